"""The clock's stored schedule with groups: one stored job per job and group of schools with the
same trigger, left alone while schools join and leave the group (so a run missed during downtime
survives), the one-job-per-school ids of earlier versions removed, and a due group's job fired by
a started clock once for all its schools.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from routine.model import School
from scheduler.clock import run_scheduled_group, run_scheduled_job
from scheduler.jobs import Job, JobContext
from scheduler.schedule import PERSISTENT, SchoolClock, job_id, make_job_store, sync_schedules
from scheduler.triggers import group_key, trigger_for
from tests.scheduler.clock.groups.support import (
    DAY_OFF,
    LATER,
    OSLO_SCHOOL,
    STOCKHOLM,
    STOCKHOLM_NINE,
    WEDNESDAY,
    A,
    B,
    C,
    CountingFactory,
    ManyRecorder,
)
from tests.scheduler.clock.support import FixedClock, stored


async def test_one_stored_job_per_job_and_group(paused: AsyncIOScheduler, job: Job) -> None:
    changes = sync_schedules(paused, [A, B, C, OSLO_SCHOOL, LATER, DAY_OFF], {"prompt": job})

    assert changes.added == (
        "prompt@Europe/Oslo 09:00",
        "prompt@Europe/Stockholm 09:00",
        "prompt@Europe/Stockholm 09:30",
    )
    nine = paused.get_job("prompt@Europe/Stockholm 09:00")
    assert (nine.func, nine.args) == (run_scheduled_group, ("prompt", STOCKHOLM_NINE))
    assert repr(nine.trigger) == repr(trigger_for(job, A))


async def test_schools_joining_and_leaving_a_group_leave_its_stored_job_alone(
    paused: AsyncIOScheduler, job: Job
) -> None:
    jobs = {"prompt": job}
    sync_schedules(paused, [A, B], jobs)
    # Missed during downtime: it must still run once when the clock is back.
    missed = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    nine = job_id("prompt", STOCKHOLM_NINE)
    paused.modify_job(nine, jobstore=PERSISTENT, next_run_time=missed)

    same = sync_schedules(paused, [A, B], jobs)
    joined = sync_schedules(paused, [A, B, C, DAY_OFF], jobs)
    left = sync_schedules(paused, [C], jobs)

    for changes in (same, joined, left):
        assert not changes.changed
        assert changes.unchanged == (nine,)
    assert paused.get_job(nine).next_run_time == missed
    # The last school leaves the group (it moved to 09:30): the group's job goes.
    moved = sync_schedules(paused, [replace(C, times=LATER.times)], jobs)
    assert (moved.added, moved.removed) == (("prompt@Europe/Stockholm 09:30",), (nine,))


def store_one_job_per_school(
    scheduler: AsyncIOScheduler, job: Job, schools: tuple[School, ...]
) -> None:
    """The schedule as an earlier version stored it: one job per school, pickled by reference."""
    for each in schools:
        scheduler.add_job(
            run_scheduled_job,
            trigger_for(job, each),
            args=("prompt", each.key),
            id=f"prompt:{each.key}",
            jobstore=PERSISTENT,
        )


async def test_a_sync_removes_the_one_per_school_jobs_of_earlier_versions(
    paused: AsyncIOScheduler, job: Job
) -> None:
    store_one_job_per_school(paused, job, (A, B))

    changes = sync_schedules(paused, [A, B], {"prompt": job})

    assert changes.removed == ("prompt:se-a", "prompt:se-b")
    assert changes.added == (job_id("prompt", STOCKHOLM_NINE),)
    assert set(stored(paused)) == {job_id("prompt", STOCKHOLM_NINE)}


async def test_the_old_jobs_in_the_apps_database_are_removed_when_the_clock_starts(
    database_url: str,
    world: CountingFactory,
    recorder: ManyRecorder,
    job: Job,
    caplog: pytest.LogCaptureFixture,
) -> None:
    earlier = AsyncIOScheduler(jobstores={PERSISTENT: make_job_store(database_url)}, timezone=UTC)
    earlier.start(paused=True)
    try:
        store_one_job_per_school(earlier, job, (A, B, OSLO_SCHOOL))
    finally:
        earlier.shutdown(wait=False)
        while earlier.running:
            await asyncio.sleep(0)
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    running = SchoolClock(
        JobContext(world, FixedClock(now)),
        job_store=make_job_store(database_url),
        jobs={"prompt": job},
        resync_every=None,
    )
    try:
        changes = await running.start()
        after = {j.id: j for j in running.scheduler.get_jobs(jobstore=PERSISTENT)}
    finally:
        await running.stop()

    assert changes.removed == ("prompt:no-a", "prompt:se-a", "prompt:se-b")
    assert set(after) == {
        "prompt@Europe/Oslo 09:00",
        "prompt@Europe/Stockholm 09:00",
        "prompt@Europe/Stockholm 09:30",
    }
    assert after["prompt@Europe/Stockholm 09:00"].func is run_scheduled_group
    # The old jobs loaded (their callable still exists) before they were removed.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert (recorder.many_calls, recorder.one_calls) == ([], [])


async def test_a_started_clock_runs_a_due_groups_schools_in_one_call(
    world: CountingFactory, recorder: ManyRecorder
) -> None:
    # Due ten minutes ago, missed while the app was down: it runs once, when the clock starts.
    ten_minutes_ago = datetime.now(ZoneInfo(STOCKHOLM)) - timedelta(minutes=10)
    at = ten_minutes_ago.time().replace(microsecond=0)
    job = replace(recorder.job(), local_time=lambda _school: at)
    group = group_key(job, A)
    nine = datetime.combine(WEDNESDAY, time(9, 0), tzinfo=ZoneInfo(STOCKHOLM))
    running = SchoolClock(
        JobContext(world, FixedClock(nine.astimezone(UTC))),
        job_store=MemoryJobStore(),
        jobs={"prompt": job},
        resync_every=None,
    )
    running.scheduler.add_job(
        run_scheduled_group,
        trigger_for(job, A),
        args=("prompt", group),
        id=job_id("prompt", group),
        jobstore=PERSISTENT,
        misfire_grace_time=3600,
        coalesce=True,
        max_instances=1,
        next_run_time=ten_minutes_ago,
    )
    try:
        changes = await running.start()
        await asyncio.wait_for(recorder.ran.wait(), timeout=10)
        await asyncio.sleep(0.3)  # room for any second run
    finally:
        await running.stop()

    assert job_id("prompt", group) in changes.unchanged
    # Every Stockholm school has this time here; the one with a day off is left out.
    assert recorder.many_calls == [("se-a", "se-b", "se-c", "se-later", "se-v10")]
    assert recorder.one_calls == []
