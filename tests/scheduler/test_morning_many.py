"""The morning's jobs for all the schools due at one minute run as one set of queries
(`scheduler.job_base.run_for_schools`): ten times the schools send the same statements, and queue
what each school queues when it runs alone."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.morning import DAY, Clock, StatementCounter, analyze_tables, load, school_rows
from scheduler.job_base import run_for_schools
from scheduler.jobs import JOBS, JobContext
from scheduler.morning import UnknownSchool
from storage.db import make_engine, make_session_factory
from storage.orm import (
    AbsencePromptRow,
    FollowUpRow,
    OutboxRow,
    RollCallRow,
    StaffRoleRow,
    StaffRow,
)
from storage.uow import SqlAlchemyUnitOfWorkFactory

MORNING = ("roll-call", "unreported-absences")


async def morning_statements(engine: AsyncEngine, prefix: str, schools: int) -> dict[str, int]:
    keys = [f"{prefix}{n:02d}" for n in range(schools)]
    for n, key in enumerate(keys):
        # Schools of different sizes: 50 to 150 pupils.
        await load(engine, school_rows(key, 50 + 25 * (n % 5)), analyze=False)
    await analyze_tables(engine)
    context = JobContext(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), Clock())
    counter = StatementCounter(engine)
    counts = {}
    for job in MORNING:
        counter.count = 0
        results = await run_for_schools(JOBS[job], context, keys, DAY)
        counts[job] = counter.count
        assert [r.school_key for r in results] == keys
        assert all("message(s) queued" in r.summary for r in results)
    return counts


async def test_ten_times_the_schools_cost_no_more_statements(migrated_database_url: str) -> None:
    engine = make_engine(migrated_database_url)
    try:
        two = await morning_statements(engine, "two", 2)
        twenty = await morning_statements(engine, "twenty", 20)
    finally:
        await engine.dispose()
    # A statement per school would make it 18 more; a loop per pupil, thousands.
    assert twenty == two
    assert two["roll-call"] <= 7, two
    assert two["unreported-absences"] <= 21, two


def _outbox(rows: list[Any], school_key: str) -> list[tuple[Any, ...]]:
    """A school's queued messages, comparable between runs: a live message's key holds a
    random version, and a prompt's buttons its random token, so those are left out."""
    return sorted(
        (
            row.kind,
            row.platform,
            row.recipient,
            row.slot,
            row.text,
            row.status,
            row.key if row.slot is None else None,
            len(row.buttons or ""),
        )
        for row in rows
        if row.school_key == school_key
    )


async def _queued(engine: AsyncEngine) -> list[Any]:
    async with engine.connect() as connection:
        return list(await connection.execute(select(OutboxRow.__table__)))


async def _forget_the_morning(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        for row_type in (OutboxRow, AbsencePromptRow, FollowUpRow, RollCallRow):
            await connection.execute(delete(row_type.__table__))


async def test_schools_run_together_queue_what_each_queues_alone(
    migrated_database_url: str,
) -> None:
    engine = make_engine(migrated_database_url)
    keys = [f"k{n}" for n in range(6)]
    try:
        for n, key in enumerate(keys):
            await load(engine, school_rows(key, 50 + 25 * n), analyze=False)
        async with engine.begin() as connection:
            # Every other school has a coordinator, who hears of the unanswered roll calls.
            for key in keys[::2]:
                await connection.execute(
                    insert(StaffRow.__table__),
                    {"school_key": key, "staff_id": "C1", "name": "Coordinator"}
                    | {"language": None, "slack_user_id": f"UC{key.upper()}"},
                )
                await connection.execute(
                    insert(StaffRoleRow.__table__),
                    {"school_key": key, "staff_id": "C1", "role": "coordinator"},
                )
        context = JobContext(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), Clock())
        together = []
        for job in MORNING:
            together.append(await run_for_schools(JOBS[job], context, keys, DAY))
        queued_together = await _queued(engine)
        await _forget_the_morning(engine)
        alone = []
        for job in MORNING:
            alone.append([(await JOBS[job].run(context, key, DAY)) for key in keys])
        queued_alone = await _queued(engine)
    finally:
        await engine.dispose()
    assert together == alone
    assert len(queued_together) == len(queued_alone) > 6 * 3
    for key in keys:
        assert _outbox(queued_together, key) == _outbox(queued_alone, key)
        kinds = {row[0] for row in _outbox(queued_together, key)}
        assert {"roll-call", "unreported-prompt", "follow-up-list"} <= kinds, kinds
    assert any(row.kind == "missing-roll-calls" for row in queued_together)


def test_the_collector_is_paused_while_any_group_runs_and_then_as_it_was() -> None:
    import gc

    from scheduler.gc_pause import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
        with cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        # Off before, off after: the pause does not switch on what someone else turned off.
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_a_group_with_an_unknown_school_stores_nothing_and_says_which(
    migrated_database_url: str,
) -> None:
    engine = make_engine(migrated_database_url)
    try:
        await load(engine, school_rows("known", 50), analyze=False)
        context = JobContext(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), Clock())
        for job in MORNING:
            with pytest.raises(UnknownSchool, match="'gone'"):
                await run_for_schools(JOBS[job], context, ["known", "gone"], DAY)
        # The group rolled back as one: the caller runs the schools one by one instead.
        assert await _queued(engine) == []
        (result,) = await run_for_schools(JOBS["roll-call"], context, ["known"], DAY)
        assert result.summary == "2 roll call(s) open; 2 message(s) queued, 0 already queued"
        # Run again: the roll calls opened before are shown again, and nothing is new.
        (result,) = await run_for_schools(JOBS["roll-call"], context, ["known"], DAY)
        assert result.summary == "2 roll call(s) open; 0 message(s) queued, 2 already queued"
    finally:
        await engine.dispose()
