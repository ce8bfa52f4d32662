"""Staff who never wrote to the bot: their Slack locale is asked once (`users.info`, over real
HTTP to the fake Slack API) before the morning, and their first roll call is in it. Failures are
asked again on the next run, a rate limit ends a run, an event's locale wins over an answer that
comes after it, and the job's statements do not grow with the staff. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bench.morning import StatementCounter
from bot import operator
from bot.operator import demo_file
from bot.settings import Settings
from bot.slack.locales import SlackLocales
from dialogs.i18n import _, format_day, use_locale
from routine.model import Language, Role, StaffMember
from scheduler.jobs import JOBS, JobContext
from scheduler.platform_locales import ask_time
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.bot.process import MONDAY_MORNING
from tests.conftest import sql_uow_factory
from tests.slack.fake_slack_api import FakeSlackApi
from tests.telegram.service import load_demo_schools

SCHOOL = "se-bjorkangen"  # Swedish; its staff are U0SE0001 (Anna, 7A) to U0SE0005
ANNA, ERIK, MARIA = "U0SE0001", "U0SE0002", "U0SE0003"
MONDAY = date(2026, 11, 23)
ASKED_AT = datetime(2026, 11, 23, 6, 15, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return datetime.fromisoformat(MONDAY_MORNING)


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi().running() as fake:
        fake.locales.update({ANNA: "sv-SE", ERIK: "nb-NO", MARIA: "en-US"})
        yield fake


def context(factory, slack_api: FakeSlackApi) -> JobContext:
    client = AsyncWebClient(token=slack_api.token, base_url=slack_api.url)
    return JobContext(factory, Clock(), locales=SlackLocales(client, pause=0))


def roll_call_head(locale: str, class_name: str) -> str:
    with use_locale(locale):
        return _("Roll call for class {name}, {day}.").format(
            name=class_name, day=format_day(MONDAY)
        )


async def staff_by_slack_id(factory) -> dict[str, StaffMember]:
    async with factory() as uow:
        return {m.slack_user_id: m for m in await uow.staff.list_for_school(SCHOOL)}


def asked_users(slack_api: FakeSlackApi) -> list[str]:
    return [call.params["user"] for call in slack_api.calls_of("users.info")]


async def test_a_mentor_whose_slack_speaks_bokmal_and_who_never_wrote_gets_the_roll_call_in_bokmal(
    migrated_database_url: str, slack_api: FakeSlackApi
) -> None:
    await load_demo_schools(migrated_database_url)
    async with sql_uow_factory(migrated_database_url) as factory:
        ctx = context(factory, slack_api)

        result = await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)
        await JOBS["roll-call"].run(ctx, SCHOOL, MONDAY)
        # The operator applies the school file again: what Slack said is kept.
        await operator.apply_school_file(
            Settings(database_url=migrated_database_url), demo_file("se.toml")
        )
        again = await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)

        async with factory() as uow:
            sent = {m.recipient: m for m in await uow.outbox.list() if m.kind == "roll-call"}
        staff = await staff_by_slack_id(factory)
    assert sent[ERIK].text.startswith(roll_call_head("nb", "7B"))
    assert sent[ANNA].text.startswith(roll_call_head("sv", "7A"))
    # Each account asked once, with its locale; en-US is none of ours, and is not asked again.
    assert sorted(asked_users(slack_api)) == [f"U0SE000{n}" for n in range(1, 6)]
    assert staff[ERIK].platform_language is Language.NB
    assert staff[MARIA].platform_language is None and staff[MARIA].platform_locale_asked
    assert result.summary.startswith("5 staff member(s) without a known platform locale")
    assert again.summary.startswith("0 staff member(s)")


async def test_a_failure_is_asked_again_on_the_next_run_and_logged_without_the_person(
    migrated_database_url: str, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    await load_demo_schools(migrated_database_url)
    slack_api.fail_next("users.info", "internal_error")
    async with sql_uow_factory(migrated_database_url) as factory:
        ctx = context(factory, slack_api)
        with caplog.at_level(logging.INFO):
            first = await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)
        before = len(asked_users(slack_api))
        await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)
        staff = await staff_by_slack_id(factory)

    assert "1 failed" in first.summary
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "internal_error" in warning.getMessage()
    assert not any(name in warning.getMessage() for name in ("U0SE", "Anna", "Lindqvist"))
    # The first asked (Anna) failed: only she is asked again, and her answer is then kept.
    assert (before, asked_users(slack_api)[before:]) == (5, [ANNA])
    assert staff[ANNA].platform_language is Language.SV


async def test_a_rate_limit_ends_the_run_and_the_rest_are_asked_on_the_next(
    migrated_database_url: str, slack_api: FakeSlackApi
) -> None:
    await load_demo_schools(migrated_database_url)
    async with sql_uow_factory(migrated_database_url) as factory:
        ctx = context(factory, slack_api)
        await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)  # Anna .. Sara asked
        async with factory() as uow:
            await uow.staff.save_many(
                [
                    StaffMember(SCHOOL, f"S-NEW-{n}", f"New {n}", frozenset(), (), None, f"UN{n}")
                    for n in range(3)
                ]
            )
            await uow.commit()
        slack_api.rate_limit_next("users.info", retry_after=30)

        limited = await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)
        after_limit = asked_users(slack_api)[5:]
        later = await JOBS["platform-locales"].run(ctx, SCHOOL, MONDAY)

    assert "rate limited" in limited.summary
    assert after_limit == ["UN0"]  # the first call was refused; nobody else was asked
    assert asked_users(slack_api)[6:] == ["UN0", "UN1", "UN2"]
    assert later.summary.startswith("3 staff member(s)") and "3 remembered" in later.summary


async def test_a_locale_an_event_told_meanwhile_wins_over_the_answer(
    migrated_database_url: str,
) -> None:
    await load_demo_schools(migrated_database_url)
    async with sql_uow_factory(migrated_database_url) as factory:
        async with factory() as uow:
            erik = await uow.staff.get(SCHOOL, "S-SE-02")
            assert erik is not None
            # Erik wrote while Slack was being asked: his event's locale is remembered first.
            await uow.staff.save(dataclasses.replace(erik, platform_language=Language.DA))
            await uow.commit()
        async with factory() as uow:
            answers = {"S-SE-01": Language.NB, "S-SE-02": Language.NB, "S-SE-03": None}
            done = await uow.staff.remember_platform_languages(SCHOOL, answers, ASKED_AT)
            twice = await uow.staff.remember_platform_languages(SCHOOL, answers, ASKED_AT)
            await uow.commit()
        staff = await staff_by_slack_id(factory)

    assert (done, twice) == (2, 0)
    assert staff[ERIK].platform_language is Language.DA
    assert staff[ERIK].platform_locale_asked is None
    assert (staff[ANNA].platform_language, staff[ANNA].platform_locale_asked) == (
        Language.NB,
        ASKED_AT,
    )


async def statements(url: str, slack_api: FakeSlackApi, extra_staff: int) -> int:
    engine = make_engine(url)
    try:
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        async with factory() as uow:
            await uow.staff.save_many(
                [
                    StaffMember(SCHOOL, f"S-X-{n}", f"X {n}", frozenset({Role.MENTOR}), ("7A",))
                    for n in range(extra_staff)
                ]
                + [
                    StaffMember(SCHOOL, f"S-Y-{n}", f"Y {n}", frozenset(), (), None, f"UY{n}")
                    for n in range(extra_staff)
                ]
            )
            await uow.commit()
        counter = StatementCounter(engine)
        await JOBS["platform-locales"].run(context(factory, slack_api), SCHOOL, MONDAY)
        return counter.count
    finally:
        await engine.dispose()


async def test_the_job_s_statements_do_not_grow_with_the_staff(
    migrated_database_url: str, slack_api: FakeSlackApi
) -> None:
    await load_demo_schools(migrated_database_url)
    small = await statements(migrated_database_url, slack_api, 0)
    # Five answered; now ten times as many new accounts to ask.
    large = await statements(migrated_database_url, slack_api, 50)
    assert len(asked_users(slack_api)) == 5 + 50
    assert large == small and small <= 6, (small, large)


def test_it_asks_an_hour_before_the_roll_call_and_never_the_day_before() -> None:
    assert ask_time(datetime(2026, 1, 1, 8, 15).time()).isoformat() == "07:15:00"
    assert ask_time(datetime(2026, 1, 1, 0, 30).time()).isoformat() == "00:00:00"
