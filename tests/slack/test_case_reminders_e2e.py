"""The coordinator's reminders on Slack over simulated weeks, end to end: the real `narvaro
run` delivers what the `case-reminders` job queues (the test runs the job for the school days
it wants) to the fake Slack server over HTTP.

Maria Berg (närvarosamordnare at the Swedish demo school) follows Alva's case; its review is
due Thursday 17 December 2026, the Christmas break runs 21 December to 8 January. Louise Holm
(tovholder at the Danish demo school) reads her reminder in Danish. The reminder arrives on
school days only, one message a day, edited in place when a task is done; re-running the job
sends nothing; the principal hears of the overdue task after exactly three school days
(Friday 18 December, Monday 11 and Tuesday 12 January), once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from dialogs.i18n import _, format_day, ngettext, use_locale
from routine.calendar import is_school_day
from routine.case_tasks import CaseTask, TaskKind
from routine.cases import Case
from scheduler.jobs import JOBS, JobContext
from tests.conftest import BACKENDS, sql_uow_factory
from tests.slack.fake_slack_api import Posted
from tests.slack.people import StaffMember, submit_view
from tests.slack.service import SlackService, demo_slack_service

SE, DK = "se-bjorkangen", "dk-egebjerg"
THURSDAY = date(2026, 12, 17)
# The school days the test walks through, and the days without school in between.
DAYS = [THURSDAY, date(2026, 12, 18), date(2027, 1, 11), date(2027, 1, 12), date(2027, 1, 13)]
MARIA, JOHAN, LOUISE = "U0SE0003", "U0SE0004", "U0DK0003"


class Clock:
    def __init__(self, day: date) -> None:
        self.moment = datetime.combine(day, time(7, 15), tzinfo=UTC)

    def now(self) -> datetime:
        return self.moment


@pytest.fixture(scope="module", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackService]:
    with demo_slack_service(
        request, tmp_path_factory, "tasks", _cases_with_a_review_due
    ) as running:
        yield running


async def _cases_with_a_review_due(database: str) -> None:
    opened = datetime(2026, 12, 17, 7, tzinfo=UTC)
    async with sql_uow_factory(database) as factory, factory() as uow:
        se, dk = await uow.cases.add_new(
            [
                Case(SE, "P-SE-001", "se.step2", opened, "by_hand", "S-SE-03", "S-SE-03"),
                Case(DK, "P-DK-001", "dk.stage1", opened, "by_hand", "S-DK-03", "S-DK-03"),
            ]
        )
        await uow.case_tasks.add_new(
            [
                CaseTask(SE, se.id, TaskKind.REVIEW, "", "S-SE-03", THURSDAY, opened),
                CaseTask(DK, dk.id, TaskKind.REVIEW, "", "S-DK-03", THURSDAY, opened),
            ]
        )
        await uow.commit()


def run_job(service: SlackService, school: str, day: date) -> str:
    async def run() -> str:
        async with sql_uow_factory(service.database.database) as factory:
            context = JobContext(factory, Clock(day))
            return (await JOBS["case-reminders"].run(context, school, day)).summary

    return asyncio.run(run())


def person(service: SlackService, user: str, locale: str = "sv-SE") -> StaffMember:
    return StaffMember(service.api, service.events_url, user, locale)


def head(language: str, day: date) -> str:
    with use_locale(language):
        return _("Your follow-up tasks, {day}").format(day=format_day(day))


def reminder_of(service: SlackService, user: str, language: str, day: date) -> Posted:
    member = person(service, user)
    return service.api.wait_until(
        lambda: next((m for m in member.messages if m.shown.startswith(head(language, day))), None)
    )


def late(language: str, count: int) -> str:
    with use_locale(language):
        return ngettext("{count} school day late", "{count} school days late", count).format(
            count=count
        )


@pytest.fixture(scope="module")
def weeks(service: SlackService) -> dict[date, Posted]:
    """The job on each school day of the walk (and, to no effect, on the break's days too,
    were the scheduler to run it: it does not, `school_days_only`), each day's message."""
    found = {}
    for day in DAYS:
        assert is_school_day_of(service, day)
        summary = run_job(service, SE, day)
        assert summary.startswith("1 person(s) reminded: 1 message(s) queued"), summary
        found[day] = reminder_of(service, MARIA, "sv", day)
    return found


def is_school_day_of(service: SlackService, day: date) -> bool:
    async def read() -> bool:
        async with sql_uow_factory(service.database.database) as factory, factory() as uow:
            school = await uow.schools.get(SE)
            return is_school_day(school, day)

    return asyncio.run(read())


def test_the_break_has_no_school_days(service: SlackService) -> None:
    between = [DAYS[1] + timedelta(days=n) for n in range(1, (DAYS[2] - DAYS[1]).days)]
    assert not any(is_school_day_of(service, day) for day in between)
    assert JOBS["case-reminders"].school_days_only


def test_one_reminder_a_school_day_with_the_task_and_how_late_it_is(
    service: SlackService, weeks: dict[date, Posted]
) -> None:
    with use_locale("sv"):
        due_today = _("Due today:")
        overdue = _("Overdue:")
    assert due_today in weeks[THURSDAY].shown and "Alva Nilsson (7A)" in weeks[THURSDAY].shown
    assert overdue in weeks[DAYS[1]].shown and late("sv", 1) in weeks[DAYS[1]].shown
    # The break does not count: Monday 11 January is two school days late, not 26 days.
    assert late("sv", 2) in weeks[DAYS[2]].shown and late("sv", 4) in weeks[DAYS[4]].shown
    # One message a school day, each its own (a new day is a new message, not an edit).
    maria = person(service, MARIA)
    for day in DAYS:
        assert len([m for m in maria.messages if m.shown.startswith(head("sv", day))]) == 1
    assert len({m.ts for m in weeks.values()}) == len(DAYS)


def outbox_of(service: SlackService, kind: str) -> list:
    async def read() -> list:
        async with sql_uow_factory(service.database.database) as factory, factory() as uow:
            return [m for m in await uow.outbox.list(school_key=SE) if m.kind == kind]

    return asyncio.run(read())


def test_re_running_the_job_sends_nothing(
    service: SlackService, weeks: dict[date, Posted]
) -> None:
    before = len(outbox_of(service, "case-tasks")), len(outbox_of(service, "case-task-overdue"))
    summary = run_job(service, SE, DAYS[-1])
    assert summary.startswith("1 person(s) reminded: 0 message(s) queued, 1 unchanged")
    assert "0 overdue task notice(s)" in summary
    after = len(outbox_of(service, "case-tasks")), len(outbox_of(service, "case-task-overdue"))
    assert after == before


def test_the_principal_hears_after_exactly_three_school_days_once(
    service: SlackService, weeks: dict[date, Posted]
) -> None:
    johan = person(service, JOHAN)
    with use_locale("sv"):
        notice = ngettext(
            "A follow-up task is {count} school day overdue.",
            "A follow-up task is {count} school days overdue.",
            3,
        ).format(count=3)
    told = service.api.wait_until(
        lambda: [m for m in johan.messages if m.shown.startswith(notice)] or None
    )
    assert len(told) == 1 and "Maria Berg" in told[0].shown and "Alva Nilsson" in told[0].shown
    # Queued by the run of Tuesday 12 January, the third school day late, and by no other.
    [queued] = outbox_of(service, "case-task-overdue")
    assert queued.created_at.date() == DAYS[3]


def test_done_edits_the_days_reminder_in_place(
    service: SlackService, weeks: dict[date, Posted]
) -> None:
    maria = person(service, MARIA)
    message = weeks[DAYS[-1]]
    with use_locale("sv"):
        label = _("Done: {number}").format(number=1)
        keep = _("No, keep the plan")
    before_views = len(service.api.calls_of("views.open"))
    posted_before = len(service.api.posted)
    maria.press_value(message.value_of(label))
    view = service.api.wait_until(
        lambda: service.api.calls_of("views.open")[before_views:] or None
    )[-1].params["view"]
    status, _body = submit_view(
        maria, view, {"what": "Möte med Alva och familjen.", "plan": [keep]}
    )
    assert status == 200
    edited = service.api.wait_until(
        lambda: next((m for m in maria.messages if m.ts == message.ts and m.edits), None)
    )
    with use_locale("sv"):
        assert _("Nothing left on this list. Thank you!") in edited.shown
    assert edited.labels == []
    # Edited, not posted again: the reply to the form is the only new post.
    new_posts = service.api.posted[posted_before:]
    assert not any(p.text.startswith(head("sv", DAYS[-1])[:8]) for p in new_posts)


def test_the_danish_tovholder_reads_danish(service: SlackService) -> None:
    summary = run_job(service, DK, THURSDAY)
    assert summary.startswith("1 person(s) reminded: 1 message(s) queued"), summary
    message = reminder_of(service, LOUISE, "da", THURSDAY)
    with use_locale("da"):
        assert _("Due today:") in message.shown
        assert _("Review the plan") in message.shown
        assert _("Done: {number}").format(number=1) in message.labels
