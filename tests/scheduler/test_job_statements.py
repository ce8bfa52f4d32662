"""The daily jobs are set-based: the number of SQL statements a job sends does not grow with
the size of the school (below the batch size of the bulk writes). A job that queried per pupil,
per class or per message would send ten times as many for the larger school and fail here."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bench import nightly
from bench.morning import DAY, NOW, Clock, StatementCounter, load, school_rows
from routine.case_tasks import CaseTask, TaskKind
from routine.cases import Case
from routine.model import Country, Role, StaffMember
from scheduler.jobs import JOBS, JobContext
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory

DAILY = (
    "roll-call",
    "roll-call-reminder",
    "unreported-absences",
    "end-of-day",
    "evaluate-thresholds",
)


async def statements_per_job(url: str, school_key: str, pupils: int) -> dict[str, int]:
    engine = make_engine(url)
    try:
        await load(engine, school_rows(school_key, pupils))
        context = JobContext(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), Clock())
        counter = StatementCounter(engine)
        counts = {}
        for job in DAILY:
            counter.count = 0
            await JOBS[job].run(context, school_key, DAY)
            counts[job] = counter.count
        return counts
    finally:
        await engine.dispose()


async def test_a_ten_times_larger_school_costs_no_more_statements(
    migrated_database_url: str,
) -> None:
    small = await statements_per_job(migrated_database_url, "small", 100)
    large = await statements_per_job(migrated_database_url, "large", 1000)
    assert large == small
    assert all(count < 60 for count in small.values()), small
    # The morning, per school (docs/performance.md, section 2): the school with its staff, the
    # roll calls opened by one INSERT returning them, the class lists, reports and marks, and
    # the messages (an INSERT comparing each with its slot's last, and the UPDATE superseding
    # the earlier ones); when due, 21 in all.
    assert small["roll-call"] <= 7, small
    assert small["unreported-absences"] <= 21, small


async def evaluation_statements(url: str, country: Country, school_key: str, pupils: int):
    engine = make_engine(url)
    try:
        await nightly.load(engine, nightly.bench_school(school_key, country), pupils)
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        context = JobContext(factory, nightly.Clock())
        counter = StatementCounter(engine)
        result = await JOBS["evaluate-thresholds"].run(context, school_key, nightly.DAY)
        return counter.count, result.summary
    finally:
        await engine.dispose()


@pytest.mark.parametrize("country", [Country.SE, Country.NO, Country.DK])
async def test_the_evaluation_costs_no_more_statements_for_a_ten_times_larger_school(
    migrated_database_url: str, country: Country
) -> None:
    small, found = await evaluation_statements(migrated_database_url, country, "small", 50)
    large, found_large = await evaluation_statements(migrated_database_url, country, "large", 500)
    assert large == small, (found, found_large)
    assert small < 40
    if country is not Country.DK:
        assert "(0 new)" not in found_large and "hits: none" not in found_large


async def reminder_statements(url: str, school_key: str, pupils: int) -> tuple[int, str]:
    """The case-reminders job at a school where every fifth pupil has a case with three tasks
    (overdue long enough to reach the principal, due today, due tomorrow), owned by the
    mentors."""
    engine = make_engine(url)
    try:
        await load(engine, school_rows(school_key, pupils))
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        async with factory() as uow:
            await uow.staff.save(
                StaffMember(
                    school_key, "HEAD", "Head", frozenset({Role.PRINCIPAL}), (), None, "UH"
                )
            )
            mentors = {
                s.classes[0]: s.staff_id
                for s in await uow.staff.list_for_school(school_key)
                if s.classes
            }
            everyone = await uow.pupils.list_for_school(school_key)
            opened = await uow.cases.add_new(
                [
                    Case(
                        school_key,
                        p.pupil_id,
                        "se.step2",
                        NOW,
                        "by_hand",
                        "",
                        mentors[p.class_name],
                    )
                    for p in everyone[::5]
                ]
            )
            await uow.case_tasks.add_new(
                [
                    CaseTask(school_key, c.id, TaskKind.REVIEW, "", c.coordinator_id, due, NOW)
                    for c in opened
                    for due in (DAY - timedelta(days=7), DAY, DAY + timedelta(days=1))
                ]
            )
            await uow.commit()
        counter = StatementCounter(engine)
        result = await JOBS["case-reminders"].run(JobContext(factory, Clock()), school_key, DAY)
        return counter.count, result.summary
    finally:
        await engine.dispose()


async def test_case_reminders_cost_no_more_statements_for_ten_times_the_tasks(
    migrated_database_url: str,
) -> None:
    small, said = await reminder_statements(migrated_database_url, "small", 100)
    large, said_large = await reminder_statements(migrated_database_url, "large", 1000)
    assert said.startswith("4 person(s) reminded: 4 message(s) queued"), said
    assert "200 overdue task notice(s)" in said_large, said_large
    assert large == small
    assert small < 20, small
