"""The clock runs the schools due at the same minute together: one stored job per job and group
of schools with the same trigger, one `run_many` call when it fires, one school at a time when
that fails, and a schedule that stays put while schools join and leave a group.

The fake job records its calls (each `run_many` with its keys, each `run` with its key) instead
of doing anything; the clock is the test's.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from routine.model import Country, DateSpan, Language, School
from scheduler import clock as school_clock
from scheduler.clock import (
    PERSISTENT,
    SchoolClock,
    job_id,
    make_job_store,
    run_scheduled_group,
    run_scheduled_job,
    sync_schedules,
)
from scheduler.jobs import Job, JobContext, JobResult
from scheduler.metrics import Metrics
from scheduler.triggers import group_key, trigger_for
from tests.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory
from tests.scheduler.test_clock import CALENDAR, TIMES, FixedClock

STOCKHOLM, OSLO = "Europe/Stockholm", "Europe/Oslo"
WEDNESDAY = date(2026, 11, 25)
# Something personal, as an error's message might hold it: it must never reach the logs.
PERSONAL = "Astrid Lindgren, 120512-1234"


def raised_at(marker: str) -> str:
    """Where the fake job raises: this file and the line marked with `marker`."""
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    found = next(n for n, line in enumerate(lines, 1) if line.endswith(f"# {marker}"))
    return f"{Path(__file__).name}:{found}"


RAISED_ONE, RAISED_MANY = raised_at("RAISED_ONE"), raised_at("RAISED_MANY")


def school(key: str, zone: str = STOCKHOLM, **changes: object) -> School:
    base = School(key, key, Country.SE, zone, Language.SV, times=TIMES, calendar=CALENDAR)
    return replace(base, **changes)


A, B, C = school("se-a"), school("se-b"), school("se-c")
OSLO_SCHOOL = school("no-a", OSLO, country=Country.NO)
LATER = school("se-later", times=replace(TIMES, unreported_prompt=time(9, 30)))
# Wednesday 25 November is a day off at this school only.
DAY_OFF = school("se-ledig", calendar=replace(CALENDAR, days_off=(*CALENDAR.days_off, WEDNESDAY)))
# Its sports break is a week after the others' (week 10, not 9), as municipalities' differ.
WEEK_10 = school(
    "se-v10", calendar=replace(CALENDAR, breaks=(DateSpan(date(2026, 3, 2), date(2026, 3, 6)),))
)
STOCKHOLM_NINE = "Europe/Stockholm 09:00"


@dataclass
class ManyRecorder:
    """A fake job that can run several schools at once, and notes each call."""

    many_calls: list[tuple[str, ...]] = field(default_factory=list)
    one_calls: list[str] = field(default_factory=list)
    # Keys whose own run raises; any key here makes a run together raise too.
    failing: set[str] = field(default_factory=set)
    ran: asyncio.Event = field(default_factory=asyncio.Event)

    def job(self, name: str = "prompt", *, school_days_only: bool = True) -> Job:
        async def run(ctx: JobContext, school_key: str, day: date) -> JobResult:
            self.one_calls.append(school_key)
            if school_key in self.failing:
                raise RuntimeError(f"bad data for {PERSONAL}")  # RAISED_ONE
            return JobResult(school_key, day, "one ran")

        async def run_many(
            ctx: JobContext, school_keys: Sequence[str], day: date
        ) -> list[JobResult]:
            self.many_calls.append(tuple(school_keys))
            self.ran.set()
            if self.failing & set(school_keys):
                raise RuntimeError(f"bad data for {PERSONAL}")  # RAISED_MANY
            return [JobResult(key, day, "many ran") for key in school_keys]

        return Job(
            name, lambda s: s.times.unreported_prompt, school_days_only, run, run_many=run_many
        )


class CountingFactory(FakeUnitOfWorkFactory):
    """Counts the units of work opened: the clock's reads at fire time."""

    opened = 0

    def __call__(self) -> FakeUnitOfWork:
        self.opened += 1
        return super().__call__()


@pytest.fixture
def recorder() -> ManyRecorder:
    return ManyRecorder()


@pytest.fixture
def job(recorder: ManyRecorder) -> Job:
    return recorder.job()


@pytest.fixture
async def world() -> CountingFactory:
    factory = CountingFactory()
    async with factory() as uow:
        for each in (A, B, C, OSLO_SCHOOL, LATER, DAY_OFF, WEEK_10):
            await uow.schools.save(each)
        await uow.commit()
    factory.opened = 0
    return factory


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def registered(world: CountingFactory, job: Job, metrics: Metrics) -> Iterator[FixedClock]:
    nine = datetime.combine(WEDNESDAY, time(9, 0), tzinfo=ZoneInfo(STOCKHOLM))
    fixed = FixedClock(nine.astimezone(UTC))
    school_clock.register(JobContext(world, fixed, metrics), {job.name: job})
    yield fixed
    school_clock.unregister()


def runs(metrics: Metrics, outcome: str) -> float:
    found = metrics.registry.get_sample_value(
        "narvaro_job_runs_total", {"job": "prompt", "outcome": outcome}
    )
    return found or 0.0


def timed(metrics: Metrics) -> float:
    found = metrics.registry.get_sample_value("narvaro_job_seconds_count", {"job": "prompt"})
    return found or 0.0


# Groups


def test_schools_with_the_same_zone_and_time_share_a_group_and_others_do_not(job: Job) -> None:
    assert group_key(job, A) == group_key(job, B) == "Europe/Stockholm 09:00"
    assert group_key(job, OSLO_SCHOOL) == "Europe/Oslo 09:00"
    assert group_key(job, LATER) == "Europe/Stockholm 09:30"
    # The calendar is not part of the trigger: it is read when the group's job fires.
    assert group_key(job, DAY_OFF) == group_key(job, A)


def test_a_group_is_only_made_of_schools_with_the_same_trigger(job: Job) -> None:
    with_seconds = school("se-s", times=replace(TIMES, unreported_prompt=time(9, 0, 30)))

    assert group_key(job, with_seconds) == "Europe/Stockholm 09:00:30"
    for each in (OSLO_SCHOOL, LATER, with_seconds):
        assert repr(trigger_for(job, each)) != repr(trigger_for(job, A))
    assert repr(trigger_for(job, B)) == repr(trigger_for(job, A))


# Running a group


async def test_two_schools_with_the_same_time_run_in_one_run_many_call(
    registered: FixedClock,
    recorder: ManyRecorder,
    world: CountingFactory,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler")

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    # The day-off school is in the group but left out; Oslo and 09:30 are other groups.
    due = ("se-a", "se-b", "se-c", "se-v10")
    assert recorder.many_calls == [due]
    assert recorder.one_calls == []
    assert results == [JobResult(key, WEDNESDAY, "many ran") for key in due]
    # The schools were read once for the whole group.
    assert world.opened == 1
    assert [m for m in caplog.messages if m.startswith("prompt at se-")] == [
        "prompt at se-ledig skipped: 2026-11-25 is not a school day",
        "prompt at se-a on 2026-11-25: many ran",
        "prompt at se-b on 2026-11-25: many ran",
        "prompt at se-c on 2026-11-25: many ran",
        "prompt at se-v10 on 2026-11-25: many ran",
    ]
    # Each school counts as a run; the run together is timed once.
    assert (runs(metrics, "ok"), runs(metrics, "error"), timed(metrics)) == (4, 0, 1)


async def test_other_zones_and_times_are_separate_groups(
    registered: FixedClock, recorder: ManyRecorder
) -> None:
    await run_scheduled_group("prompt", "Europe/Stockholm 09:30")
    # Nine in Oslo is nine in Stockholm: the same instant, still a group of its own.
    await run_scheduled_group("prompt", "Europe/Oslo 09:00")

    # A group of one runs the school's own run.
    assert recorder.one_calls == ["se-later", "no-a"]
    assert recorder.many_calls == []


@pytest.mark.parametrize(
    ("day", "ran"),
    [
        # The others' sports break: only the school with its break in week 10 has school.
        (date(2026, 2, 25), ["se-v10"]),
        # Its own sports break: the others have school, and run together without it.
        (date(2026, 3, 4), [("se-a", "se-b", "se-c", "se-ledig")]),
        # May Day: a public holiday for all of them.
        (date(2026, 5, 1), []),
    ],
)
async def test_a_school_without_school_that_day_is_left_out_of_its_groups_run(
    registered: FixedClock, recorder: ManyRecorder, day: date, ran: list[object]
) -> None:
    nine = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(STOCKHOLM))
    registered.moment = nine.astimezone(UTC)

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    assert [*recorder.many_calls, *recorder.one_calls] == ran
    assert {r.day for r in results} <= {day}


async def test_a_group_whose_schools_all_left_runs_nothing(
    registered: FixedClock, recorder: ManyRecorder, world: CountingFactory
) -> None:
    assert await run_scheduled_group("prompt", "Europe/Stockholm 07:45") == []

    assert (recorder.many_calls, recorder.one_calls) == ([], [])
    assert world.opened == 1


# One school's failure costs only itself


async def test_a_failed_run_together_runs_the_schools_one_by_one(
    registered: FixedClock,
    recorder: ManyRecorder,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder.failing = {"se-b"}
    caplog.set_level(logging.INFO)

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    assert recorder.many_calls == [("se-a", "se-b", "se-c", "se-v10")]
    assert recorder.one_calls == ["se-a", "se-b", "se-c", "se-v10"]
    assert [(r.school_key, r.summary) for r in results] == [
        ("se-a", "one ran"),
        ("se-c", "one ran"),
        ("se-v10", "one ran"),
    ]
    # Counted per school, the failed run together not at all.
    assert (runs(metrics, "ok"), runs(metrics, "error"), timed(metrics)) == (3, 1, 4)
    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in failures] == [
        f"prompt for 4 schools together on 2026-11-25 failed (RuntimeError at {RAISED_MANY}); "
        "running them one by one",
        f"prompt at se-b on 2026-11-25 failed: RuntimeError at {RAISED_ONE}",
    ]
    assert "prompt at se-c on 2026-11-25: one ran" in caplog.messages
    # Nothing of the error's message, nor a traceback, reaches the logs.
    assert not any(r.exc_info or r.exc_text for r in caplog.records)
    assert PERSONAL not in caplog.text


async def test_a_failed_school_alone_in_its_group_is_logged_and_counted(
    registered: FixedClock,
    recorder: ManyRecorder,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder.failing = {"se-later"}

    assert await run_scheduled_group("prompt", "Europe/Stockholm 09:30") == []

    assert (recorder.many_calls, recorder.one_calls) == ([], ["se-later"])
    assert (runs(metrics, "ok"), runs(metrics, "error")) == (0, 1)
    assert f"prompt at se-later on 2026-11-25 failed: RuntimeError at {RAISED_ONE}" in (
        caplog.messages
    )
    assert PERSONAL not in caplog.text


# The stored schedule


@pytest.fixture
async def paused() -> AsyncIterator[AsyncIOScheduler]:
    started = AsyncIOScheduler(jobstores={PERSISTENT: MemoryJobStore()}, timezone=UTC)
    started.start(paused=True)
    yield started
    started.shutdown(wait=False)
    while started.running:
        await asyncio.sleep(0)


def stored(scheduler: AsyncIOScheduler) -> dict[str, object]:
    return {j.id: j for j in scheduler.get_jobs(jobstore=PERSISTENT)}


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


async def test_a_sync_removes_the_one_per_school_jobs_of_earlier_versions(
    paused: AsyncIOScheduler, job: Job
) -> None:
    for each in (A, B):
        paused.add_job(
            run_scheduled_job,
            trigger_for(job, each),
            args=("prompt", each.key),
            id=f"prompt:{each.key}",
            jobstore=PERSISTENT,
        )

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
    # The schedule as an earlier version stored it: one job per school, pickled by reference.
    earlier = AsyncIOScheduler(jobstores={PERSISTENT: make_job_store(database_url)}, timezone=UTC)
    earlier.start(paused=True)
    try:
        for each in (A, B, OSLO_SCHOOL):
            earlier.add_job(
                run_scheduled_job,
                trigger_for(job, each),
                args=("prompt", each.key),
                id=f"prompt:{each.key}",
                jobstore=PERSISTENT,
            )
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
