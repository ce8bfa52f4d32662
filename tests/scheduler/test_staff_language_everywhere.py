"""One person, one language, in every message a member of staff gets: at a Swedish school whose
staff's Slack speaks bokmål and who never wrote to the bot, every message of the day is in
bokmål: what the daily jobs queue (roll call, reminders, lists, case cards, tasks, leave and
contact notices), what guardians' requests set off, the answers in the DM and the Home tab.
The guardians, meanwhile, read Swedish. The language of each message is told by the catalogs
(`tests.catalog_language`), so a message in a kind that no test names is checked too.
SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.locales import SlackLocales
from dialogs.case_card import refresh_case_cards
from dialogs.engine import Engine
from dialogs.events import ConversationKey, Incoming, Reply
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from routine.case_opening import open_cases
from routine.model import AttendanceMark, ChatAccount, Language, MarkKind, Role, StaffMember
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWorkFactory
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext
from tests.catalog_language import written_in
from tests.dialogs.cases_world import NIGHT, hit_trigger
from tests.dialogs.conftest import MONDAY_MORNING, SCHOOLS, FixedClock, seed
from tests.dialogs.leave_world import ask_for_leave_for_elsa
from tests.dialogs.transcript import Chat
from tests.slack.fake_slack_api import FakeSlackApi

MONDAY = date(2026, 11, 23)
SCHOOL = SCHOOLS["se"]
# Karin mentors 7A (Elsa, Maja), Jonas 7B (Olle); Eva is the principal, Nils the coordinator.
KARIN, EVA, NILS = "U-se-S1", "U-se-S3", "U-se-S4"
ANNA_TELEGRAM, PER_TELEGRAM = "4711", "4712"
# What the day brings the staff, at the least; any other kind is checked as well.
KINDS = {
    "case-card",
    "concern",
    "contact-escalated",
    "contact-request",
    "follow-up-list",
    "guardians-not-reached",
    "leave-granted",
    "leave-request",
    "missing-roll-calls",
    "prompt-answer-ill",
    "roll-call",
    "roll-call-reminder",
}


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


def nb(message: str) -> str:
    with use_locale("nb"):
        return _(message)


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi().running() as fake:
        yield fake


async def staff_on_slack(factory: UnitOfWorkFactory, slack_api: FakeSlackApi) -> None:
    """The Swedish school's staff on Slack, whose Slack speaks bokmål; a second mentor of 7A,
    the school's absence codes, and the guardians on Telegram."""
    async with factory() as uow:
        await uow.staff.save(
            StaffMember("se", "S6", "Sara Vik", frozenset({Role.MENTOR}), ("7A",))
        )
        for member in await uow.staff.list_for_school("se"):
            slack = f"U-se-{member.staff_id}"
            # The school file gives Karin Swedish: her Slack's bokmål comes first.
            language = Language.SV if member.staff_id == "S1" else None
            await uow.staff.save(
                dataclasses.replace(member, slack_user_id=slack, language=language)
            )
            slack_api.locales[slack] = "nb-NO"
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        # The guardians on Telegram too, for what is written to them.
        for account, guardian in ((ANNA_TELEGRAM, "G1"), (PER_TELEGRAM, "G2")):
            await uow.accounts.save(ChatAccount("telegram", account, "se", "guardian", guardian))
        await uow.commit()


async def guardians_write(engine: Engine) -> None:
    """Anna (G1: Elsa 7A, Olle 7B) asks to be called about Elsa and asks for leave for her;
    Per (G2: Maja 7A) says it is hard to get Maja to school."""
    anna = Chat(engine, ConversationKey("test", "se-G1", "se-G1"))
    await anna.send("hej")
    await anna.send(f"[{sv('Ask the school to contact me')}]")
    await anna.send("[Elsa Berg]")
    for label in ["Wellbeing", "By phone", "In the afternoon", "Send request"]:
        await anna.send(f"[{sv(label)}]")
    await ask_for_leave_for_elsa(anna)
    per = Chat(engine, ConversationKey("test", "se-G2", "se-G2"))
    await per.send("hej")
    await per.send(f"[{sv('It is hard to get my child to school')}]")
    await per.send(f"[{sv('Yes, please tell the school')}]")


async def per_answers_the_question(engine: Engine, factory: UnitOfWorkFactory) -> None:
    """Asked why Maja is absent, Per says she is ill."""
    async with factory() as uow:
        (asked,) = [m for m in await uow.outbox.list() if m.recipient == PER_TELEGRAM]
    (ill,) = [b.id for b in asked.buttons if b.id.endswith(".ill")]
    await engine.handle(
        Incoming(key=ConversationKey("telegram", PER_TELEGRAM, PER_TELEGRAM), button=ill)
    )


async def eva_grants_the_leave(engine: Engine, factory: UnitOfWorkFactory) -> list[Reply]:
    async with factory() as uow:
        (request,) = [
            m for m in await uow.outbox.list() if m.kind == "leave-request" and m.recipient == EVA
        ]
    eva = ConversationKey("slack", EVA, EVA, workspace="T1")
    (grant, *_rest) = request.buttons
    replies = await engine.handle(Incoming(key=eva, button=grant.id))
    (form,) = [r for r in replies if r.form is not None]
    assert form.form is not None
    return replies + await engine.handle(
        Incoming(key=eva, form={"comment": "God tur!"}, form_id=form.form.id)
    )


async def run_the_day(
    ctx: JobContext, clock: FixedClock, factory: UnitOfWorkFactory, engine: Engine
) -> None:
    """Maja and Olle are marked absent without a report; nobody hands in a roll call."""
    async with factory() as uow:
        await uow.marks.add(AttendanceMark("se", "P3", MONDAY, MarkKind.ABSENT))
        await uow.marks.add(AttendanceMark("se", "P2", MONDAY, MarkKind.ABSENT))
        await uow.commit()
    for job in ("roll-call", "roll-call-reminder", "leave-reminder", "case-reminders"):
        await JOBS[job].run(ctx, "se", MONDAY)
    clock.moment = MONDAY_MORNING + timedelta(hours=5)
    for job in ("unreported-absences", "contact-escalation", "nothing-new"):
        await JOBS[job].run(ctx, "se", MONDAY)
    await per_answers_the_question(engine, factory)
    clock.moment = MONDAY_MORNING + timedelta(hours=9)
    for job in ("end-of-day", "evaluate-thresholds"):
        await JOBS[job].run(ctx, "se", MONDAY)


async def staff_read(engine: Engine) -> list[Reply]:
    """Karin, who never wrote, writes now; Slack cannot be asked for her locale this time. She
    opens the Home tab, her absences of the day and her contact requests; Nils his menu."""
    karin = Chat(engine, ConversationKey("slack", KARIN, KARIN, workspace="T1"), None)
    home = Chat(engine, ConversationKey("slack", "home", KARIN, workspace="T1"), None)
    nils = Chat(engine, ConversationKey("slack", NILS, NILS, workspace="T1"), None)
    replies = [*await karin.send("hej"), *await home.send("/today")]
    todays = nb("Today's reported absences")
    replies += await karin.send(f"[{todays}]")
    replies += await karin.send("hej")
    replies += await karin.send(f"[{nb('Contact requests')}]")
    take = nb("I'll take it: {name}").format(name="Elsa Berg")
    replies += await karin.send(f"[{take}]")
    replies += await nils.send("/menu")
    return replies


async def test_staff_whose_slack_speaks_bokmal_read_bokmal_in_every_message(
    uow_factory: UnitOfWorkFactory, slack_api: FakeSlackApi
) -> None:
    await seed(uow_factory)
    await staff_on_slack(uow_factory, slack_api)
    clock = FixedClock(MONDAY_MORNING - timedelta(hours=1))
    client = AsyncWebClient(token=slack_api.token, base_url=slack_api.url)
    ctx = JobContext(uow_factory, clock, locales=SlackLocales(client, pause=0))
    await JOBS["platform-locales"].run(ctx, "se", MONDAY)
    async with uow_factory() as uow:  # a case the rules opened last night, with its cards
        changes = await open_cases(uow, SCHOOL, [hit_trigger("se")])
        await refresh_case_cards(uow, SCHOOL, changes.opened, NIGHT)
        await uow.commit()
    clock.moment = MONDAY_MORNING
    engine = Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock)

    await guardians_write(engine)
    replies = await eva_grants_the_leave(engine, uow_factory)
    await run_the_day(ctx, clock, uow_factory, engine)
    replies += await staff_read(engine)

    async with uow_factory() as uow:
        sent = await uow.outbox.list()
    to_staff = [m for m in sent if m.platform == "slack"]
    to_guardians = [m for m in sent if m.platform != "slack"]
    assert {m.kind for m in to_staff} >= KINDS
    assert {m.recipient for m in to_staff} == {f"U-se-S{n}" for n in (1, 2, 3, 4, 6)}
    wrong = [(m.kind, m.recipient, m.text) for m in to_staff if written_in(shown(m)) != "nb"]
    assert wrong == []
    assert [r.text for r in replies if written_in(shown(r)) != "nb"] == []
    assert {m.kind for m in to_guardians} >= {"unreported-prompt", "contact-taken"}
    assert all(written_in(shown(m)) == "sv" for m in to_guardians)


def shown(message: OutboxMessage | Reply) -> str:
    """The text and the buttons' labels."""
    return "\n".join([message.text, *(button.label for button in message.buttons)])
