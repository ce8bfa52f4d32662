"""What the clock runs when a stored job fires: school days decided at fire time, each school's
local date, and jobs, groups or schools that are gone. Nothing here waits: the scheduled function
is called directly, as APScheduler calls it, with a fixed clock."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import pytest

from scheduler import clock as school_clock
from scheduler.clock import NotASchoolDay, run_job, run_scheduled_group, run_scheduled_job
from scheduler.jobs import Job, JobResult
from scheduler.triggers import group_key
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.clock.support import (
    DK,
    NO,
    SCHOOLS_BY_ZONE,
    SE,
    STOCKHOLM,
    ZONES,
    FixedClock,
    Recorder,
    at_nine,
    context,
)


def group_of(job: Job, key: str) -> str:
    """The group of the school `key` (one of SE, NO, DK) for the job."""
    return group_key(job, next(s for s in (SE, NO, DK) if s.key == key))


NO_SCHOOL = [
    ("se-ek", date(2026, 11, 21), "Saturday"),
    ("no-fjell", date(2026, 11, 22), "Sunday"),
    ("se-ek", date(2026, 5, 1), "May Day"),
    ("no-fjell", date(2026, 5, 14), "Ascension Day"),
    ("dk-skov", date(2026, 4, 6), "Easter Monday"),
    ("dk-skov", date(2026, 2, 25), "break"),
    ("se-ek", date(2026, 11, 9), "day off"),
    ("no-fjell", date(2026, 7, 1), "summer, outside term"),
]


@pytest.mark.parametrize(("key", "day", "why"), NO_SCHOOL, ids=[n[2] for n in NO_SCHOOL])
async def test_a_school_day_job_does_not_run_on_a_day_without_school(
    registered: FixedClock,
    recorder: Recorder,
    fake_jobs: dict[str, Job],
    caplog: pytest.LogCaptureFixture,
    key: str,
    day: date,
    why: str,
) -> None:
    registered.moment = at_nine(day)
    caplog.set_level(logging.INFO, logger="scheduler.clock")

    assert await run_scheduled_group("prompt", group_of(fake_jobs["prompt"], key)) == []

    assert recorder.runs == []
    assert f"prompt at {key} skipped: {day} is not a school day" in caplog.messages


@pytest.mark.parametrize("zone", ZONES)
async def test_a_school_day_job_runs_on_a_school_day_as_of_that_day(
    registered: FixedClock, recorder: Recorder, fake_jobs: dict[str, Job], zone: str
) -> None:
    registered.moment = at_nine(date(2026, 11, 25), zone)
    key = SCHOOLS_BY_ZONE[zone].key

    results = await run_scheduled_group("prompt", group_of(fake_jobs["prompt"], key))

    assert recorder.runs == [("prompt", key, date(2026, 11, 25))]
    assert results == [JobResult(key, date(2026, 11, 25), "prompt ran")]


async def test_the_day_is_the_schools_local_date_not_utcs(
    registered: FixedClock, recorder: Recorder, fake_jobs: dict[str, Job]
) -> None:
    # Sunday 29 March 2026, 22:30 UTC is already Monday 00:30 in Stockholm (CEST).
    registered.moment = datetime(2026, 3, 29, 22, 30, tzinfo=UTC)

    await run_scheduled_group("prompt", group_of(fake_jobs["prompt"], "se-ek"))

    assert recorder.runs == [("prompt", "se-ek", date(2026, 3, 30))]


async def test_an_every_day_job_runs_on_a_sunday(
    registered: FixedClock, recorder: Recorder, fake_jobs: dict[str, Job]
) -> None:
    registered.moment = datetime(2026, 11, 22, 2, 30, tzinfo=UTC)

    await run_scheduled_group("night", group_of(fake_jobs["night"], "dk-skov"))

    assert recorder.runs == [("night", "dk-skov", date(2026, 11, 22))]


@pytest.mark.parametrize(("name", "group"), [("gone", STOCKHOLM), ("prompt", "Asia/Tokyo 09:00")])
async def test_a_job_or_group_that_no_longer_exists_is_not_run(
    registered: FixedClock,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
    name: str,
    group: str,
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler.clock")

    assert await run_scheduled_group(name, group) == []

    assert recorder.runs == []
    assert caplog.records


@pytest.mark.parametrize(("name", "key"), [("gone", "se-ek"), ("prompt", "xx-gone")])
async def test_a_job_or_school_that_no_longer_exists_is_not_run(
    registered: FixedClock,
    recorder: Recorder,
    caplog: pytest.LogCaptureFixture,
    name: str,
    key: str,
) -> None:
    assert await run_scheduled_job(name, key) is None

    assert recorder.runs == []
    assert any(r.levelno == logging.WARNING for r in caplog.records)


async def test_without_a_registered_context_the_scheduled_function_refuses() -> None:
    school_clock.unregister()

    with pytest.raises(RuntimeError, match=r"scheduler\.clock\.register"):
        await run_scheduled_group("prompt", "Europe/Stockholm 09:00")


async def test_an_operator_run_on_a_day_without_school_is_refused_unless_forced(
    world: FakeUnitOfWorkFactory, recorder: Recorder, fake_jobs: dict[str, Job]
) -> None:
    ctx = context(world, at_nine(date(2026, 11, 21)))
    saturday = date(2026, 11, 21)

    with pytest.raises(NotASchoolDay, match="2026-11-21 \\(Saturday\\) is not a school day"):
        await run_job(ctx, fake_jobs["prompt"], SE, saturday)
    assert recorder.runs == []

    await run_job(ctx, fake_jobs["prompt"], SE, saturday, force=True)
    assert recorder.runs == [("prompt", "se-ek", saturday)]
