"""The clock's stored schedule: the job store in the app's database, the schedule synced with
the schools (and left alone where nothing changed, so a missed run survives a restart), missed
runs made up once, and a clean stop. The two tests with a started scheduler give it a job that
is already due."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect

from routine.model import School
from scheduler import clock as school_clock
from scheduler.clock import run_scheduled_group, run_scheduled_job
from scheduler.jobs import JOBS, Job
from scheduler.schedule import (
    INTERNAL,
    JOB_TABLE,
    PERSISTENT,
    RESYNC_JOB_ID,
    SchoolClock,
    job_id,
    make_job_store,
    sync_database_url,
    sync_schedules,
)
from scheduler.triggers import group_key, trigger_for
from storage.db import make_engine
from storage.orm import FOREIGN_TABLES
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.clock.support import (
    DK,
    NO,
    OSLO,
    SE,
    STOCKHOLM,
    TIMES,
    Recorder,
    at_nine,
    context,
    school,
    stored,
)

# The job store's database URL


@pytest.mark.parametrize(
    ("app_url", "store_url"),
    [
        ("sqlite+aiosqlite:///narvaro.db", "sqlite:///narvaro.db"),
        ("sqlite+aiosqlite:////var/lib/narvaro/n.db", "sqlite:////var/lib/narvaro/n.db"),
        (
            "postgresql+asyncpg://narvaro:s%40cret@db.example:5433/narvaro",
            "postgresql+psycopg://narvaro:s%40cret@db.example:5433/narvaro",
        ),
        (
            "postgresql+asyncpg://postgres@127.0.0.1/test?options=-csearch_path%3Dnarvaro_t1",
            "postgresql+psycopg://postgres@127.0.0.1/test?options=-csearch_path%3Dnarvaro_t1",
        ),
        (
            "postgresql+asyncpg://u@h/d?ssl=require",
            "postgresql+psycopg://u@h/d?sslmode=require",
        ),
    ],
)
def test_the_job_store_uses_the_apps_database_with_a_synchronous_driver(
    app_url: str, store_url: str
) -> None:
    assert sync_database_url(app_url) == store_url


def test_other_databases_have_no_synchronous_url() -> None:
    with pytest.raises(ValueError, match="use SQLite or PostgreSQL"):
        sync_database_url("mysql+aiomysql://db/x")


# Syncing the schedule


def ids_of(schools: list[School], jobs: dict[str, Job] = JOBS) -> set[str]:
    return {job_id(name, group_key(job, s)) for name, job in jobs.items() for s in schools}


async def test_each_school_gets_each_job_at_its_local_time_in_its_timezone(
    paused: AsyncIOScheduler,
) -> None:
    changes = sync_schedules(paused, [SE, NO], JOBS, misfire_grace_seconds=1234)

    jobs = stored(paused)
    # Two timezones: each job has two groups.
    assert set(jobs) == ids_of([SE, NO]) == set(changes.added)
    assert len(jobs) == 2 * len(JOBS)
    roll_call = paused.get_job("roll-call@Europe/Oslo 08:15")
    assert roll_call.func is run_scheduled_group
    assert roll_call.args == ("roll-call", "Europe/Oslo 08:15")
    assert repr(roll_call.trigger) == (
        "<CronTrigger (hour='8', minute='15', second='0', timezone='Europe/Oslo')>"
    )
    assert (roll_call.misfire_grace_time, roll_call.coalesce, roll_call.max_instances) == (
        1234,
        True,
        1,
    )
    assert repr(paused.get_job("retention@Europe/Stockholm 03:30").trigger) == (
        "<CronTrigger (hour='3', minute='30', second='0', timezone='Europe/Stockholm')>"
    )
    escalation = paused.get_job("contact-escalation@Europe/Stockholm 08:15-15:30 every 0:05:00")
    assert repr(escalation.trigger) == (
        "<OrTrigger(["
        "<CronTrigger (hour='8', minute='15-59/5', timezone='Europe/Stockholm')>, "
        "<CronTrigger (hour='9-14', minute='*/5', timezone='Europe/Stockholm')>, "
        "<CronTrigger (hour='15', minute='0-29/5', timezone='Europe/Stockholm')>"
        "])>"
    )


async def test_syncing_again_leaves_unchanged_jobs_and_their_next_run_alone(
    paused: AsyncIOScheduler,
) -> None:
    sync_schedules(paused, [SE, NO], JOBS)
    missed = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    roll_call = "roll-call@Europe/Stockholm 08:15"
    paused.modify_job(roll_call, jobstore=PERSISTENT, next_run_time=missed)

    changes = sync_schedules(paused, [SE, NO], JOBS)

    assert (changes.added, changes.replaced, changes.removed) == ((), (), ())
    assert len(changes.unchanged) == 2 * len(JOBS) and not changes.changed
    assert paused.get_job(roll_call).next_run_time == missed


async def test_changed_times_move_to_new_groups_and_gone_schools_and_jobs_are_removed(
    paused: AsyncIOScheduler,
) -> None:
    sync_schedules(paused, [SE, NO], JOBS)
    later = replace(SE, times=replace(TIMES, roll_call=time(8, 30)))
    fewer_jobs = {name: job for name, job in JOBS.items() if name != "end-of-day"}

    changes = sync_schedules(paused, [later], fewer_jobs)

    # Contact escalation, the leave and case reminders and the "nothing new" prompt start at the
    # roll call; the Slack locales are asked an hour before it. The school was alone at its old
    # times: those groups go, and new ones come.
    assert changes.added == (
        "case-reminders@Europe/Stockholm 08:30",
        "contact-escalation@Europe/Stockholm 08:30-15:30 every 0:05:00",
        "leave-reminder@Europe/Stockholm 08:30",
        "nothing-new@Europe/Stockholm 08:30",
        "platform-locales@Europe/Stockholm 07:30",
        "roll-call@Europe/Stockholm 08:30",
    )
    assert set(changes.removed) == ids_of([SE, NO]) - ids_of([later], fewer_jobs)
    assert {"roll-call@Europe/Stockholm 08:15", "end-of-day@Europe/Stockholm 15:30"} <= set(
        changes.removed
    )
    assert changes.replaced == ()
    assert set(stored(paused)) == ids_of([later], fewer_jobs)
    assert "minute='30'" in repr(paused.get_job("roll-call@Europe/Stockholm 08:30").trigger)


async def test_a_school_moving_timezone_is_rescheduled(
    paused: AsyncIOScheduler,
) -> None:
    sync_schedules(paused, [SE], JOBS)
    moved = replace(SE, timezone=OSLO)

    changes = sync_schedules(paused, [moved], JOBS)

    assert set(changes.added) == ids_of([moved])
    assert set(changes.removed) == ids_of([SE])
    assert "Europe/Oslo" in repr(paused.get_job("roll-call@Europe/Oslo 08:15").trigger)


# A running clock


async def test_a_job_missed_during_downtime_runs_once_when_the_clock_starts(
    world: FakeUnitOfWorkFactory, recorder: Recorder
) -> None:
    # The job's time was ten minutes ago; its stored next run three days ago: the app was down
    # for three days. With a grace time longer than that, only coalescing makes it run once.
    grace = int(timedelta(days=5).total_seconds())
    ten_minutes_ago = datetime.now(ZoneInfo(STOCKHOLM)) - timedelta(minutes=10)
    job = recorder.job("prompt", ten_minutes_ago.time().replace(microsecond=0))
    wednesday = at_nine(date(2026, 11, 25))
    running = SchoolClock(
        context(world, wednesday),
        job_store=MemoryJobStore(),
        misfire_grace_seconds=grace,
        jobs={"prompt": job},
        resync_every=None,
    )
    stored_id = job_id("prompt", group_key(job, SE))
    running.scheduler.add_job(
        run_scheduled_group,
        trigger_for(job, SE),
        args=("prompt", group_key(job, SE)),
        id=stored_id,
        name=stored_id,
        jobstore=PERSISTENT,
        misfire_grace_time=grace,
        coalesce=True,
        max_instances=1,
        next_run_time=ten_minutes_ago - timedelta(days=3),
    )
    try:
        changes = await running.start()
        await asyncio.wait_for(recorder.ran.wait(), timeout=10)
        await asyncio.sleep(0.3)  # room for any second run
        next_time = running.scheduler.get_job(stored_id).next_run_time
    finally:
        await running.stop()

    assert stored_id in changes.unchanged
    assert recorder.runs == [("prompt", "se-ek", date(2026, 11, 25))]
    assert next_time > datetime.now(UTC) + timedelta(hours=23)


async def test_stopping_lets_a_running_job_finish(
    world: FakeUnitOfWorkFactory, recorder: Recorder
) -> None:
    recorder.delay = 0.2
    running = SchoolClock(
        context(world, at_nine(date(2026, 11, 25))),
        job_store=MemoryJobStore(),
        jobs={"prompt": recorder.job("prompt")},
        resync_every=None,
    )
    await running.start()
    run = asyncio.create_task(run_scheduled_job("prompt", "se-ek"))
    await asyncio.sleep(0.05)

    await running.stop()

    assert run.done() and not run.cancelled()
    assert recorder.runs == [("prompt", "se-ek", date(2026, 11, 25))]
    assert not running.scheduler.running
    with pytest.raises(RuntimeError):
        school_clock.registered()


async def test_a_started_clock_syncs_now_and_every_few_minutes(
    world: FakeUnitOfWorkFactory, fake_jobs: dict[str, Job]
) -> None:
    running = SchoolClock(
        context(world, at_nine(date(2026, 11, 25))),
        job_store=MemoryJobStore(),
        jobs=fake_jobs,
        resync_every=timedelta(minutes=5),
    )
    try:
        first = await running.start()
        resync = running.scheduler.get_job(RESYNC_JOB_ID, jobstore=INTERNAL)
        async with world() as uow:
            await uow.schools.save(school("fi-uusi", "Europe/Helsinki"))
            await uow.commit()
        second = await running.sync()
    finally:
        await running.stop()

    assert len(first.added) == 6
    assert isinstance(resync.trigger, IntervalTrigger)
    assert resync.trigger.interval == timedelta(minutes=5)
    assert second.added == ("night@Europe/Helsinki 03:30", "prompt@Europe/Helsinki 09:00")


# The persistent job store, on both backends


def table_names(connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_the_schedule_survives_a_restart_in_the_apps_database(
    database_url: str, world: FakeUnitOfWorkFactory, fake_jobs: dict[str, Job]
) -> None:
    def clock_on_database() -> SchoolClock:
        return SchoolClock(
            context(world, at_nine(date(2026, 11, 25))),
            job_store=make_job_store(database_url),
            jobs=fake_jobs,
            resync_every=None,
        )

    first = clock_on_database()
    try:
        added = await first.start()
        before = {j.id: j.next_run_time for j in first.scheduler.get_jobs(jobstore=PERSISTENT)}
    finally:
        await first.stop()

    second = clock_on_database()
    try:
        again = await second.start()
        after = second.scheduler.get_jobs(jobstore=PERSISTENT)
    finally:
        await second.stop()

    ids = ids_of([SE, NO, DK], fake_jobs)
    assert set(added.added) == ids
    assert (again.added, again.replaced, set(again.unchanged)) == ((), (), ids)
    assert {j.id: j.next_run_time for j in after} == before
    night = next(j for j in after if j.id == "night@Europe/Oslo 03:30")
    assert (night.func, night.args) == (run_scheduled_group, ("night", "Europe/Oslo 03:30"))
    assert str(night.trigger.timezone) == OSLO
    # The table is in the app's database, in its schema (PostgreSQL: the test's own schema).
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert JOB_TABLE in await connection.run_sync(table_names)
    finally:
        await engine.dispose()


def test_the_job_table_is_one_migrations_leave_alone() -> None:
    assert JOB_TABLE in FOREIGN_TABLES
