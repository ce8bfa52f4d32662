"""The daily jobs are set-based: the number of SQL statements a job sends does not grow with
the size of the school (below the batch size of the bulk writes). A job that queried per pupil,
per class or per message would send ten times as many for the larger school and fail here."""

from __future__ import annotations

from bench.morning import DAY, Clock, StatementCounter, load, school_rows
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
