"""The case-reminders job over simulated weeks, on the fakes: one message per person and school
day, in their language, kept current in place; overdue tasks reach the principal after exactly
`[cases] overdue_after_days` school days, once; nothing on a day without school; re-running
queues nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from dialogs.case_reminders import REMINDER_KIND, reminder_slot
from dialogs.i18n import _, format_short_day, use_locale
from routine.case_tasks import CaseTask, TaskKind, done
from routine.cases import Case
from routine.model import (
    CaseRules,
    Country,
    DateSpan,
    Language,
    Pupil,
    Role,
    School,
    SchoolCalendar,
    StaffMember,
)
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory

# Thursday 17 December 2026; the Christmas break is 21 December to 8 January.
THURSDAY = date(2026, 12, 17)
SCHOOL = School(
    "se",
    "Ekbackens skola",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    calendar=SchoolCalendar(
        terms=(
            DateSpan(date(2026, 8, 17), date(2026, 12, 18), "Hösttermin"),
            DateSpan(date(2027, 1, 11), date(2027, 6, 11), "Vårtermin"),
        ),
    ),
    cases=CaseRules(remind_ahead_days=2, overdue_after_days=3),
)
COORDINATOR = StaffMember("se", "S1", "Maria Berg", frozenset({Role.COORDINATOR}), (), None, "U1")
DANISH = StaffMember("se", "S2", "Lars Holm", frozenset({Role.MENTOR}), ("7A",), Language.DA, "U2")
PRINCIPAL = StaffMember("se", "S3", "Johan Ek", frozenset({Role.PRINCIPAL}), (), None, "U3")


# The family heard from the school when the case opened: the "nothing new" update is due
# 10 school days later, in January, after the weeks these tests look at.
OPENED = datetime(2026, 12, 17, 7, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for member in (COORDINATOR, DANISH, PRINCIPAL):
            await uow.staff.save(member)
        await uow.pupils.save(Pupil("se", "P1", "Elsa Berg", "7A"))
        await uow.pupils.save(Pupil("se", "P2", "Maja Lind", "7A"))
        await uow.cases.add_new(
            [
                Case(
                    "se",
                    pupil,
                    "se.step2",
                    OPENED,
                    "by_hand",
                    "S1",
                    "S1",
                )
                for pupil in ("P1", "P2")
            ]
        )
        await uow.commit()
    return factory


async def add_tasks(world, *tasks: tuple[int, str, date, TaskKind]) -> list[CaseTask]:
    async with world() as uow:
        cases = sorted(await uow.cases.open_cases("se"), key=lambda c: c.pupil_id)
        stored = await uow.case_tasks.add_new(
            [
                CaseTask(
                    "se", cases[n].id, kind, "", owner, due, datetime(2026, 12, 1, tzinfo=UTC)
                )
                for n, owner, due, kind in tasks
            ]
        )
        await uow.commit()
    return stored


async def run(world, day: date) -> str:
    moment = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
    return (await JOBS["case-reminders"].run(JobContext(world, Clock(moment)), "se", day)).summary


def reminders(world, recipient: str) -> list:
    return sorted(
        (
            m
            for m in world.store.outbox.values()
            if m.kind == REMINDER_KIND and m.recipient == recipient
        ),
        key=lambda m: m.id,
    )


def overdue(world) -> list:
    return [m for m in world.store.outbox.values() if m.kind == "case-task-overdue"]


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def test_one_message_per_person_listing_overdue_today_and_soon(world) -> None:
    await add_tasks(
        world,
        (0, "S1", THURSDAY - timedelta(days=1), TaskKind.REVIEW),
        (1, "S1", THURSDAY, TaskKind.NOTHING_NEW),
        (0, "S1", THURSDAY + timedelta(days=1), TaskKind.REVIEW),
        # Beyond two school days (the break follows Friday): not listed yet.
        (1, "S1", date(2027, 1, 12), TaskKind.REVIEW),
        (1, "S2", THURSDAY, TaskKind.REVIEW),
    )
    summary = await run(world, THURSDAY)
    assert summary.startswith("2 person(s) reminded: 2 message(s) queued")
    [mine] = reminders(world, "U1")
    assert mine.slot == reminder_slot(THURSDAY)
    lines = mine.text.splitlines()
    assert lines.index(sv("Overdue:")) < lines.index(sv("Due today:"))
    assert sum(line.startswith(("1.", "2.", "3.", "4.")) for line in lines) == 3, mine.text
    assert "Elsa Berg (7A)" in lines[lines.index(sv("Overdue:")) + 1]
    with use_locale("sv"):
        assert format_short_day(date(2027, 1, 12)) not in mine.text
    assert [b.id.split(".")[2] for b in mine.buttons] == ["done"] * 3
    # Lars reads Danish, whatever the school's language.
    [his] = reminders(world, "U2")
    with use_locale("da"):
        assert his.text.startswith(_("Your follow-up tasks, {day}").split("{")[0])
    assert his.text != mine.text


async def test_re_running_queues_nothing_and_a_done_task_edits_the_message(world) -> None:
    first, _second = await add_tasks(
        world,
        (0, "S1", THURSDAY, TaskKind.REVIEW),
        (1, "S1", THURSDAY, TaskKind.NOTHING_NEW),
    )
    await run(world, THURSDAY)
    again = await run(world, THURSDAY)
    assert again.startswith("1 person(s) reminded: 0 message(s) queued, 1 unchanged")
    assert len(reminders(world, "U1")) == 1
    async with world() as uow:
        await uow.case_tasks.update(done(first, "staff:S1", datetime.now(UTC), "Ringde"))
        await uow.commit()
    await run(world, THURSDAY)
    versions = reminders(world, "U1")
    # A new version of the same slot: it edits the message on screen.
    assert len(versions) == 2 and {m.slot for m in versions} == {reminder_slot(THURSDAY)}
    assert len(versions[-1].buttons) == 1


def test_the_job_runs_on_school_days_only_at_the_roll_call() -> None:
    # scheduler/clock.py skips a job marked so on every day without school.
    job = JOBS["case-reminders"]
    assert job.school_days_only and job.local_time(SCHOOL) == SCHOOL.times.roll_call


async def test_overdue_reaches_the_principal_after_exactly_m_school_days_once(world) -> None:
    await add_tasks(world, (0, "S1", THURSDAY, TaskKind.REVIEW))
    # Friday 18 (1 school day late), the break, Monday 11 January (2), Tuesday 12 (3).
    school_days = [date(2026, 12, 18), date(2027, 1, 11), date(2027, 1, 12), date(2027, 1, 13)]
    told = []
    for day in school_days:
        await run(world, day)
        told.append(len(overdue(world)))
    assert told == [0, 0, 1, 1]
    [notice] = overdue(world)
    assert notice.recipient == "U3" and "Maria Berg" in notice.text
    # The due day's abbreviated month ends its sentence with one full stop.
    assert ".. " not in notice.text and " dec. Ansvarig: " in notice.text
    # Re-running the job that day tells nobody twice.
    await run(world, date(2027, 1, 12))
    assert len(overdue(world)) == 1
    # One reminder a school day for the coordinator, each its own message.
    assert [m.slot for m in reminders(world, "U1")] == [reminder_slot(d) for d in school_days]


async def test_a_principal_who_owns_the_task_is_not_told_of_it_twice(world) -> None:
    await add_tasks(world, (0, "S3", THURSDAY - timedelta(days=7), TaskKind.REVIEW))
    await run(world, THURSDAY)
    assert overdue(world) == []
    assert len(reminders(world, "U3")) == 1


async def test_the_move_of_a_due_date_is_said(world) -> None:
    [task] = await add_tasks(world, (0, "S1", THURSDAY, TaskKind.REVIEW))
    async with world() as uow:
        moved = dataclasses.replace(task, moved_by="Jullov")
        await uow.case_tasks.update(moved)
        await uow.commit()
    await run(world, THURSDAY)
    [mine] = reminders(world, "U1")
    assert "Jullov" in mine.text
