"""One person, one language: what a staff member chose in the chat, or the locale their Slack
reports, is the language of the messages the daily jobs write to them too, and applying the
school file again undoes neither. On SQLite and PostgreSQL, with the demo's Swedish school."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from bot import operator
from bot.operator import demo_file
from bot.settings import Settings
from dialogs.engine import Engine
from dialogs.events import ConversationKey
from dialogs.flows import all_flows
from dialogs.i18n import _, format_day, language_name, use_locale
from routine.model import Language
from routine.outbox import OutboxMessage
from scheduler.jobs import JOBS, JobContext
from tests.bot.process import MONDAY_MORNING
from tests.conftest import sql_uow_factory
from tests.dialogs.transcript import Chat
from tests.telegram.service import load_demo_schools

SCHOOL = "se-bjorkangen"
ANNA, ERIK = "U0SE0001", "U0SE0002"  # the mentors of 7A and 7B, staff of a Swedish school
MONDAY = date(2026, 11, 23)


class Clock:
    def now(self) -> datetime:
        return datetime.fromisoformat(MONDAY_MORNING)


def roll_call_head(locale: str, class_name: str) -> str:
    with use_locale(locale):
        return _("Roll call for class {name}, {day}.").format(
            name=class_name, day=format_day(MONDAY)
        )


def slack_chat(url: str, factory, user: str, locale: str | None) -> Chat:
    engine = Engine(uow_factory=factory, flows=all_flows(), clock=Clock())
    return Chat(engine, ConversationKey("slack", user, user, workspace="T1"), locale)


async def roll_calls(url: str) -> dict[str, OutboxMessage]:
    async with sql_uow_factory(url) as factory:
        await JOBS["roll-call"].run(JobContext(factory, Clock()), SCHOOL, MONDAY)
        async with factory() as uow:
            pending = await uow.outbox.list()
    return {m.recipient: m for m in pending if m.kind == "roll-call"}


async def test_a_mentor_who_chose_danish_gets_the_morning_roll_call_in_danish(
    migrated_database_url: str,
) -> None:
    url = migrated_database_url
    await load_demo_schools(url)
    async with sql_uow_factory(url) as factory:
        anna = slack_chat(url, factory, ANNA, "sv-SE")
        await anna.send("/language")
        said, *_menu = await anna.send(f"[{language_name('da')}]")
        with use_locale("da"):
            assert said.text.startswith(_("From now on I will write to you in {language}.")[:8])
    # The operator applies the school file again (it gives Anna no language of her own).
    await operator.apply_school_file(Settings(database_url=url), demo_file("se.toml"))

    sent = await roll_calls(url)

    assert sent[ANNA].text.startswith(roll_call_head("da", "7A"))
    assert sent[ERIK].text.startswith(roll_call_head("sv", "7B"))
    async with sql_uow_factory(url) as factory, factory() as uow:
        member = await uow.staff.get(SCHOOL, "S-SE-01")
    assert member is not None and member.chosen_language is Language.DA


async def test_a_mentor_whose_slack_speaks_bokmal_gets_the_roll_call_in_bokmal(
    migrated_database_url: str,
) -> None:
    url = migrated_database_url
    await load_demo_schools(url)
    async with sql_uow_factory(url) as factory:
        erik = slack_chat(url, factory, ERIK, "nb-NO")
        menu = (await erik.send("hei"))[-1]
        with use_locale("nb"):
            assert _("Today's reported absences") in [b.label for b in menu.buttons]
        # Slack could not be asked this time: what it said last time still holds.
        await slack_chat(url, factory, ERIK, None).send("/menu")
    await operator.apply_school_file(Settings(database_url=url), demo_file("se.toml"))

    sent = await roll_calls(url)

    assert sent[ERIK].text.startswith(roll_call_head("nb", "7B"))
    assert sent[ANNA].text.startswith(roll_call_head("sv", "7A"))


async def test_a_slack_locale_we_do_not_speak_falls_back_to_the_school_s_language(
    migrated_database_url: str,
) -> None:
    url = migrated_database_url
    await load_demo_schools(url)
    async with sql_uow_factory(url) as factory:
        await slack_chat(url, factory, ERIK, "da-DK").send("hej")
        await slack_chat(url, factory, ERIK, "en-US").send("hello")

    sent = await roll_calls(url)

    assert sent[ERIK].text.startswith(roll_call_head("sv", "7B"))


async def test_two_mentors_of_one_class_get_its_roll_call_each_in_their_language(
    migrated_database_url: str,
) -> None:
    # The roll call is rendered once per class and language, not once per mentor.
    url = migrated_database_url
    await load_demo_schools(url)
    async with sql_uow_factory(url) as factory:
        async with factory() as uow:
            erik = await uow.staff.get(SCHOOL, "S-SE-02")
            assert erik is not None and erik.slack_user_id == ERIK
            await uow.staff.save(dataclasses.replace(erik, classes=("7A", *erik.classes)))
            await uow.commit()
        anna = slack_chat(url, factory, ANNA, "sv-SE")
        await anna.send("/language")
        await anna.send(f"[{language_name('da')}]")
        await JOBS["roll-call"].run(JobContext(factory, Clock()), SCHOOL, MONDAY)
        async with factory() as uow:
            pending = await uow.outbox.list()
    seven_a = {m.recipient: m for m in pending if m.slot.startswith("roll-call:7A:")}

    assert set(seven_a) == {ANNA, ERIK}
    assert seven_a[ANNA].text.startswith(roll_call_head("da", "7A"))
    assert seven_a[ERIK].text.startswith(roll_call_head("sv", "7A"))
    assert seven_a[ANNA].text.split("\n")[1:] != seven_a[ERIK].text.split("\n")[1:]
    labels = {who: [b.label for b in m.buttons] for who, m in seven_a.items()}
    for who, locale in ((ANNA, "da"), (ERIK, "sv")):
        with use_locale(locale):
            assert labels[who] == [_("Take the roll call"), _("Nobody else is absent")]
    assert labels[ANNA] != labels[ERIK]
