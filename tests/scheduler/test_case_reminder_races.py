"""Two processes run the case-reminders job at once, on SQLite and PostgreSQL (each with its
own engine, as two `narvaro run` would): the principal is told of an overdue task once, the
"nothing new" task is set once, and each person's reminder stays one message on screen (every
version in one slot)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time

from routine.case_tasks import CaseTask, TaskKind
from routine.cases import Case
from routine.model import Role, StaffMember
from scheduler.jobs import JOBS, JobContext
from tests.conftest import sql_uow_factory
from tests.storage.support import EKBACKA, save_schools_and_people

# Tuesday 9 December 2025, in Ekbacka's autumn term; the review was due Tuesday 2 December.
DAY = date(2025, 12, 9)
# Opened the day before: the "nothing new" update is not due yet.
OPENED = datetime(2025, 12, 8, 7, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return datetime.combine(DAY, time(7, 15), tzinfo=UTC)


async def test_two_processes_at_once_tell_the_principal_once(migrated_database_url: str) -> None:
    async with sql_uow_factory(migrated_database_url) as factory, factory() as uow:
        await save_schools_and_people(uow)
        for member in (
            StaffMember(EKBACKA.key, "c1", "Maria", frozenset({Role.COORDINATOR}), (), None, "U1"),
            StaffMember(EKBACKA.key, "h1", "Johan", frozenset({Role.PRINCIPAL}), (), None, "U2"),
        ):
            await uow.staff.save(member)
        [case] = await uow.cases.add_new(
            [Case(EKBACKA.key, "p1", "se.step2", OPENED, "by_hand", "c1", "c1")]
        )
        await uow.case_tasks.add_new(
            [CaseTask(EKBACKA.key, case.id, TaskKind.REVIEW, "", "c1", date(2025, 12, 2), OPENED)]
        )
        await uow.commit()

    async def one_process() -> str:
        async with sql_uow_factory(migrated_database_url) as own:
            return (
                await JOBS["case-reminders"].run(JobContext(own, Clock()), EKBACKA.key, DAY)
            ).summary

    summaries = await asyncio.gather(one_process(), one_process())
    assert all(s.startswith("1 person(s) reminded") for s in summaries), summaries

    async with sql_uow_factory(migrated_database_url) as factory, factory() as uow:
        messages = await uow.outbox.list(school_key=EKBACKA.key)
        tasks = (await uow.case_tasks.of_cases([case.id]))[case.id]
    notices = [m for m in messages if m.kind == "case-task-overdue"]
    assert [m.recipient for m in notices] == ["U2"]
    assert len([t for t in tasks if t.kind is TaskKind.NOTHING_NEW]) == 1
    reminders = [m for m in messages if m.kind == "case-tasks"]
    assert reminders and {(m.recipient, m.slot) for m in reminders} == {
        ("U1", "case-tasks:2025-12-09")
    }
