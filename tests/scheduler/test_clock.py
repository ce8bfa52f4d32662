"""The school clock: triggers in each school's timezone across DST, school days decided at fire
time, a schedule that survives restarts, and missed runs made up once.

Nothing here waits for 09:00: fire times come from the triggers, the scheduled function is
called directly with a fixed clock, and the two tests with a started scheduler give it a job
that is already due.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import inspect

from routine.model import (
    Country,
    DateSpan,
    Language,
    School,
    SchoolCalendar,
    SchoolTimes,
)
from scheduler import clock as school_clock
from scheduler.clock import NotASchoolDay, run_job, run_scheduled_group, run_scheduled_job
from scheduler.jobs import JOBS, Job, JobContext, JobResult
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
from scheduler.triggers import group_key, next_run, trigger_for, window_trigger
from storage.db import make_engine
from storage.orm import FOREIGN_TABLES
from tests.fakes import FakeUnitOfWorkFactory

STOCKHOLM, OSLO, COPENHAGEN = "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen"
ZONES = (STOCKHOLM, OSLO, COPENHAGEN)

CALENDAR = SchoolCalendar(
    terms=(
        DateSpan(date(2026, 1, 7), date(2026, 6, 12), "vår 2026"),
        DateSpan(date(2026, 8, 17), date(2026, 12, 18), "höst 2026"),
        DateSpan(date(2027, 1, 7), date(2027, 6, 11), "vår 2027"),
    ),
    breaks=(DateSpan(date(2026, 2, 23), date(2026, 2, 27), "sportlov"),),
    days_off=(date(2026, 11, 9),),
)
TIMES = SchoolTimes(
    roll_call=time(8, 15),
    report_cutoff=time(8, 0),
    unreported_prompt=time(9, 0),
    end_of_day=time(15, 30),
)


def school(key: str, zone: str = STOCKHOLM, country: Country = Country.SE) -> School:
    return School(key, key, country, zone, Language.SV, times=TIMES, calendar=CALENDAR)


SE = school("se-ek", STOCKHOLM, Country.SE)
NO = school("no-fjell", OSLO, Country.NO)
DK = school("dk-skov", COPENHAGEN, Country.DK)
SCHOOLS_BY_ZONE = {STOCKHOLM: SE, OSLO: NO, COPENHAGEN: DK}


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@dataclass
class Recorder:
    """Fake jobs that note each run (school key, day) instead of doing anything."""

    runs: list[tuple[str, str, date]] = field(default_factory=list)
    ran: asyncio.Event = field(default_factory=asyncio.Event)
    delay: float = 0.0

    def job(self, name: str, at: time | None = None, *, school_days_only: bool = True) -> Job:
        async def run(ctx: JobContext, school_key: str, day: date) -> JobResult:
            if self.delay:
                await asyncio.sleep(self.delay)
            self.runs.append((name, school_key, day))
            self.ran.set()
            return JobResult(school_key, day, f"{name} ran")

        return Job(
            name,
            (lambda s: at) if at else (lambda s: s.times.unreported_prompt),
            school_days_only,
            run,
        )


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def fake_jobs(recorder: Recorder) -> dict[str, Job]:
    return {
        "prompt": recorder.job("prompt"),
        "night": recorder.job("night", time(3, 30), school_days_only=False),
    }


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        for each in (SE, NO, DK):
            await uow.schools.save(each)
        await uow.commit()
    return factory


def context(world: FakeUnitOfWorkFactory, now: datetime) -> JobContext:
    return JobContext(uow_factory=world, clock=FixedClock(now))


@pytest.fixture
def registered(world: FakeUnitOfWorkFactory, fake_jobs: dict[str, Job]) -> Iterator[FixedClock]:
    """The fake jobs registered as the composition root would; the clock is the test's."""
    fixed = FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    school_clock.register(JobContext(uow_factory=world, clock=fixed), fake_jobs)
    yield fixed
    school_clock.unregister()


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


# Triggers across daylight saving time

# (zone, last Sunday of the month): the clocks go forward in March and back in October.
DST_CHANGES = [
    (zone, change) for zone in ZONES for change in (date(2026, 3, 29), date(2026, 10, 25))
] + [(zone, change) for zone in ZONES for change in (date(2027, 3, 28), date(2027, 10, 31))]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_a_nine_oclock_job_fires_at_nine_local_time_across_the_change(
    zone: str, change: date
) -> None:
    trigger = trigger_for(JOBS["unreported-absences"], SCHOOLS_BY_ZONE[zone])
    friday = change - timedelta(days=2)
    start = datetime.combine(friday, time(0), tzinfo=ZoneInfo(zone))

    fires = []
    fire = trigger.get_next_fire_time(None, start)
    for _ in range(5):
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)

    assert [f.date() for f in fires] == [friday + timedelta(days=n) for n in range(5)]
    assert {f.time() for f in fires} == {time(9, 0)}
    # Winter is UTC+1, summer UTC+2: 08:00 UTC before the change in March, 07:00 after it.
    before, after = (8, 7) if change.month == 3 else (7, 8)
    utc_hours = [f.astimezone(UTC).hour for f in fires]
    assert utc_hours == [before, before, after, after, after]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_retention_fires_exactly_once_on_the_day_of_the_change(zone: str, change: date) -> None:
    trigger = trigger_for(JOBS["retention"], SCHOOLS_BY_ZONE[zone])
    midnight = datetime.combine(change, time(0), tzinfo=ZoneInfo(zone))
    next_midnight = datetime.combine(change + timedelta(days=1), time(0), tzinfo=ZoneInfo(zone))

    fires = []
    fire = trigger.get_next_fire_time(None, midnight)
    while fire < next_midnight:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)

    assert [(f.date(), f.time()) for f in fires] == [(change, time(3, 30))]


def test_the_next_run_after_friday_morning_across_the_change_is_monday_nine_local() -> None:
    friday_noon = datetime(2026, 3, 27, 11, 0, tzinfo=UTC)  # 12:00 in Stockholm (CET)

    monday = next_run(JOBS["unreported-absences"], SE, friday_noon)

    assert monday == datetime(2026, 3, 30, 9, 0, tzinfo=ZoneInfo(STOCKHOLM))
    assert monday is not None and monday.astimezone(UTC) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Thursday before Easter (after 09:00): Good Friday and Easter Monday are holidays.
        (datetime(2026, 4, 2, 8, 0, tzinfo=UTC), date(2026, 4, 7)),
        # Friday before the sports break: back on the Monday after it.
        (datetime(2026, 2, 20, 12, 0, tzinfo=UTC), date(2026, 3, 2)),
        # The morning before the day off (Monday 9 November): Tuesday.
        (datetime(2026, 11, 6, 12, 0, tzinfo=UTC), date(2026, 11, 10)),
        # After the last term day: the first day of the next term.
        (datetime(2026, 12, 18, 12, 0, tzinfo=UTC), date(2027, 1, 7)),
        # Before 09:00 on a school day: the same day.
        (datetime(2026, 11, 25, 7, 59, tzinfo=UTC), date(2026, 11, 25)),
    ],
)
def test_the_next_run_of_a_school_day_job_skips_days_without_school(
    now: datetime, expected: date
) -> None:
    found = next_run(JOBS["unreported-absences"], SE, now)

    assert found is not None and (found.date(), found.time()) == (expected, time(9, 0))


def test_a_job_for_every_day_runs_on_the_weekend_too() -> None:
    saturday_noon = datetime(2026, 11, 21, 11, 0, tzinfo=UTC)

    found = next_run(JOBS["retention"], SE, saturday_noon)

    assert found == datetime(2026, 11, 22, 3, 30, tzinfo=ZoneInfo(STOCKHOLM))


def test_there_is_no_next_run_when_no_term_lies_ahead() -> None:
    ended = replace(SE, calendar=SchoolCalendar(terms=CALENDAR.terms[:1]))

    assert next_run(JOBS["roll-call"], ended, datetime(2026, 7, 1, tzinfo=UTC)) is None


# Jobs at an interval, within a window of the day


def fires_on(trigger: BaseTrigger, day: date, zone: str = STOCKHOLM) -> list[time]:
    """The local times the trigger fires at on `day`."""
    midnight = datetime.combine(day, time(0), tzinfo=ZoneInfo(zone))
    fires = []
    fire = trigger.get_next_fire_time(None, midnight)
    while fire is not None and fire.date() == day:
        fires.append(fire.time())
        fire = trigger.get_next_fire_time(fire, fire)
    return fires


def every_five_minutes(start: time, until: time) -> list[time]:
    first = datetime.combine(date.min, start)
    count = (datetime.combine(date.min, until) - first) // timedelta(minutes=5)
    return [(first + n * timedelta(minutes=5)).time() for n in range(count)]


@pytest.mark.parametrize(("zone", "change"), DST_CHANGES, ids=lambda v: str(v))
def test_contact_escalation_fires_every_five_minutes_from_roll_call_to_end_of_day(
    zone: str, change: date
) -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SCHOOLS_BY_ZONE[zone])

    assert fires_on(trigger, change, zone) == every_five_minutes(time(8, 15), time(15, 30))


def test_contact_escalation_does_not_fire_at_night() -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SE)
    three = datetime(2026, 11, 24, 3, 0, tzinfo=ZoneInfo(STOCKHOLM))

    assert trigger.get_next_fire_time(None, three) == three.replace(hour=8, minute=15)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Saturday evening: the roll call on Monday.
        (datetime(2026, 11, 21, 19, 0), datetime(2026, 11, 23, 8, 15)),
        # In school hours: the next five minutes.
        (datetime(2026, 11, 25, 10, 2), datetime(2026, 11, 25, 10, 5)),
        # At the end of the day: tomorrow's roll call.
        (datetime(2026, 11, 25, 15, 30), datetime(2026, 11, 26, 8, 15)),
        # After the last term day: the first day of the next term, found quickly.
        (datetime(2026, 12, 18, 16, 0), datetime(2027, 1, 7, 8, 15)),
    ],
)
def test_the_next_contact_escalation_is_in_the_next_school_hours(
    now: datetime, expected: datetime
) -> None:
    zone = ZoneInfo(STOCKHOLM)

    found = next_run(JOBS["contact-escalation"], SE, now.replace(tzinfo=zone))

    assert found == expected.replace(tzinfo=zone)


@pytest.mark.parametrize(
    ("every", "start", "until", "expected"),
    [
        (timedelta(minutes=20), time(8, 10), time(8, 50), [time(8, 10), time(8, 30)]),
        (timedelta(minutes=30), time(8, 0), time(9, 30), [time(8, 0), time(8, 30), time(9, 0)]),
        (timedelta(minutes=20), time(8, 50), time(9, 30), [time(8, 50), time(9, 0), time(9, 20)]),
        (timedelta(hours=1), time(21, 0), None, [time(21, 0), time(22, 0), time(23, 0)]),
    ],
)
def test_a_window_runs_from_its_start_until_before_its_end(
    every: timedelta, start: time, until: time | None, expected: list[time]
) -> None:
    trigger = window_trigger(every, start, until, ZoneInfo(STOCKHOLM))

    assert fires_on(trigger, date(2026, 11, 25)) == expected


@pytest.mark.parametrize(
    ("every", "until"),
    [
        (timedelta(seconds=90), time(16, 0)),
        (timedelta(0), time(16, 0)),
        (timedelta(minutes=90), time(16, 0)),
        (timedelta(minutes=5), time(8, 15)),
    ],
)
def test_a_window_that_cron_cannot_say_is_refused(every: timedelta, until: time) -> None:
    with pytest.raises(ValueError, match="no window"):
        window_trigger(every, time(8, 15), until, ZoneInfo(STOCKHOLM))


def test_a_window_reads_back_the_same_from_the_job_store() -> None:
    trigger = trigger_for(JOBS["contact-escalation"], SE)

    # `sync_schedules` compares the stored trigger's repr with a new one's.
    assert repr(pickle.loads(pickle.dumps(trigger))) == repr(trigger)


# The scheduled function, called as APScheduler calls it, with a fixed clock


def at_nine(day: date, zone: str = STOCKHOLM) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


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


# Syncing the schedule


@pytest.fixture
async def paused() -> AsyncIterator[AsyncIOScheduler]:
    """Started but paused: jobs go into the store and nothing runs."""
    started = AsyncIOScheduler(jobstores={PERSISTENT: MemoryJobStore()}, timezone=UTC)
    started.start(paused=True)
    yield started
    started.shutdown(wait=False)
    while started.running:
        await asyncio.sleep(0)


def stored(scheduler: AsyncIOScheduler) -> dict[str, object]:
    return {job.id: job for job in scheduler.get_jobs(jobstore=PERSISTENT)}


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
