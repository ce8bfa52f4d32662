"""The school clock: APScheduler 3 inside the running app, one daily trigger per school and job.

Each job in `scheduler.jobs.JOBS` gets, for each school, a `CronTrigger` at the job's local time
in the school's own timezone (`f"{job.name}:{school.key}"`). So a 09:00 job runs at 09:00 in
Stockholm in winter and in summer alike (08:00 and 07:00 UTC), and a school in another
timezone gets its own 09:00. A job with an interval (`Job.every`) fires at that interval
within its daily window instead (`window_trigger`), so it is not woken at night.

The schedule is kept in a persistent `SQLAlchemyJobStore`, in a table of its own
(`scheduler_jobs`) in the app's own database. The job store is synchronous, so it gets a
synchronous URL derived from the app's async one (`sync_database_url`). Because the store keeps
each job's next run time, a job whose time passed while the app was down runs once when it is
back, if it is late by at most `NARVARO_MISFIRE_GRACE_SECONDS` (`coalesce`: several missed runs
become one); later than that, it is skipped until its next time.

**Why the scheduled callable takes plain ids.** A persistent job store pickles each job: its
callable as a textual reference (`scheduler.clock:run_scheduled_job`) and its arguments by
value. A unit-of-work factory (an engine, a connection pool) cannot be pickled, and must not
outlive the process anyway. So the stored job holds only the job's name and the school's key,
and `run_scheduled_job` finds what it needs to run in a module-level registry that the
composition root fills at start (`register`, done by `SchoolClock.start`).

At fire time the callable works out the school's local date from the clock (the `Clock` port,
never the system's), skips the day (with an INFO log) when the job runs on school days only and
`routine.calendar` says this is not one (weekend, public holiday, break, day off, outside
term), and otherwise runs the job as of that day. Operators run the same code with
`narvaro jobs run`.

`sync_schedules` makes the stored schedule match the schools in the database: it adds what is
missing, replaces what changed (a school's new times or timezone), removes the jobs of schools
and job names that no longer exist, and leaves unchanged jobs alone, so that their stored next
run time, and with it a run missed during downtime, survives a restart. A running
`SchoolClock` syncs at start and then every few minutes, which is how a `narvaro school apply`
made by another process reaches it: APScheduler 3 does not support a second process changing a
job store that a running scheduler uses, so the CLI does not write to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.job import Job as StoredJob
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import make_url

from routine.calendar import is_school_day
from routine.model import School
from scheduler.jobs import JOBS, Job, JobContext, JobResult

log = logging.getLogger(__name__)

JOB_TABLE = "scheduler_jobs"  # listed in storage.orm.FOREIGN_TABLES, so migrations leave it be
PERSISTENT = "default"  # the job store alias of the schools' jobs
INTERNAL = "internal"  # an in-memory store for the clock's own housekeeping
RESYNC_JOB_ID = "sync-schedules"
RESYNC_EVERY = timedelta(minutes=5)
DEFAULT_MISFIRE_GRACE_SECONDS = 3600
STOP_TIMEOUT_SECONDS = 30.0
# How far `next_run` looks for a day a school-days-only job runs on (a summer break is shorter).
LOOK_AHEAD_DAYS = 400


# The synchronous database URL


def sync_database_url(database_url: str) -> str:
    """The app's async URL, for the synchronous job store: same database, same schema.

    `sqlite+aiosqlite:///x` becomes `sqlite:///x`; `postgresql+asyncpg://...` becomes
    `postgresql+psycopg://...`. libpq's `options` (e.g. `-csearch_path=narvaro`) stays, since
    psycopg hands it to libpq as it is; asyncpg's `ssl` becomes libpq's `sslmode`.
    """
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        url = url.set(drivername="sqlite")
    elif backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
        if "ssl" in url.query and "sslmode" not in url.query:
            url = url.difference_update_query(["ssl"]).update_query_dict(
                {"sslmode": url.query["ssl"]}
            )
    else:
        raise ValueError(f"no synchronous driver for {url.drivername!r}: use SQLite or PostgreSQL")
    return url.render_as_string(hide_password=False)


def make_job_store(database_url: str) -> SQLAlchemyJobStore:
    """The persistent job store in the app's database (the app's async URL). It creates its
    table when the scheduler starts, and does not connect before."""
    return SQLAlchemyJobStore(
        url=sync_database_url(database_url),
        tablename=JOB_TABLE,
        engine_options={"pool_pre_ping": True},
    )


# The registry that the stored jobs' callable reads


@dataclass
class Registration:
    context: JobContext
    jobs: Mapping[str, Job]
    running: set[asyncio.Task[Any]] = field(default_factory=set)


_registration: Registration | None = None


def register(context: JobContext, jobs: Mapping[str, Job] = JOBS) -> None:
    """What `run_scheduled_job` runs with, in this process. See the module's docstring."""
    global _registration
    _registration = Registration(context, jobs)


def unregister() -> None:
    global _registration
    _registration = None


def registered() -> Registration:
    if _registration is None:
        raise RuntimeError(
            "no job context registered: the composition root calls scheduler.clock.register() "
            "(SchoolClock.start does) before scheduled jobs can run"
        )
    return _registration


# Running a job as of a school day


class NotASchoolDay(Exception):
    """A school-days-only job was asked to run on a day that is not a school day."""

    def __init__(self, job: Job, school: School, day: date) -> None:
        self.job, self.school, self.day = job, school, day
        super().__init__(
            f"{day:%Y-%m-%d} ({day:%A}) is not a school day at {school.key}, "
            f"and {job.name} runs on school days only"
        )


def local_day(school: School, now: datetime) -> date:
    """The school's date at `now` (an aware datetime)."""
    return now.astimezone(ZoneInfo(school.timezone)).date()


def runs_on(job: Job, school: School, day: date) -> bool:
    return not job.school_days_only or is_school_day(school, day)


async def run_job(
    context: JobContext, job: Job, school: School, day: date, *, force: bool = False
) -> JobResult:
    """Run `job` for `school` as of `day`; `force` runs it even on a day it does not run on."""
    if not force and not runs_on(job, school, day):
        raise NotASchoolDay(job, school, day)
    return await _measured(context, job, school.key, day)


async def _measured(context: JobContext, job: Job, school_key: str, day: date) -> JobResult:
    """Run the job, counting the run and its time in the app's metrics."""
    start = perf_counter()
    ok = False
    try:
        result = await job.run(context, school_key, day)
        ok = True
        return result
    finally:
        context.metrics.job_ran(job.name, perf_counter() - start, ok=ok)


async def run_scheduled_job(job_name: str, school_key: str) -> JobResult | None:
    """What every stored job calls: module-level, plain ids, so that it pickles by reference.

    Returns the job's result, or None when it did not run (not a school day; a school or job
    name that is gone, which the next sync removes from the schedule).
    """
    registration = registered()
    job = registration.jobs.get(job_name)
    if job is None:
        log.warning("scheduled job %r is not a known job; not run", job_name)
        return None
    context = registration.context
    async with context.uow_factory() as uow:
        school = await uow.schools.get(school_key)
    if school is None:
        log.warning("%s: no school with the key %r; not run", job_name, school_key)
        return None
    day = local_day(school, context.clock.now())
    if not runs_on(job, school, day):
        log.info("%s at %s skipped: %s is not a school day", job_name, school_key, day)
        return None
    # Tracked so that `SchoolClock.stop` can let a run finish instead of cancelling it.
    task = asyncio.current_task()
    tracked = {task} if task is not None else set()
    registration.running.update(tracked)
    try:
        result = await _measured(context, job, school_key, day)
    finally:
        registration.running.difference_update(tracked)
    log.info("%s at %s on %s: %s", job_name, school_key, day, result.summary)
    return result


# The schedule


def job_id(job_name: str, school_key: str) -> str:
    return f"{job_name}:{school_key}"


def trigger_for(job: Job, school: School) -> BaseTrigger:
    """Every day at the job's local time in the school's timezone, or with `every`, at that
    interval from then until its `until`. Whether a day is a school day is decided when it
    fires, from the calendar as it is then."""
    zone = ZoneInfo(school.timezone)
    at = job.local_time(school)
    if job.every is not None:
        until = job.until(school) if job.until is not None else None
        return window_trigger(job.every, at, until, zone)
    return CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=zone)


def window_trigger(
    every: timedelta, start: time, until: time | None, zone: ZoneInfo
) -> BaseTrigger:
    """Every day, every `every` (whole minutes, at most an hour) from `start` until before
    `until` (midnight if None); seconds are not looked at.

    Cron fields cannot say "from 08:15 to 15:30" in one trigger, so it is up to three: the
    rest of the start's hour, the whole hours between, the end's hour up to its minute. They
    have no start date, so their repr, which `sync_schedules` compares, stays the same from
    one sync to the next. Minutes count from each full hour (cron's `*/5`): an interval that
    does not divide 60, or a start off its grid, gives an uneven step at full hours.
    """
    minutes, rest = divmod(every, timedelta(minutes=1))
    end = (until.hour, until.minute) if until is not None else (24, 0)
    if rest or not 0 < minutes <= 60 or end <= (start.hour, start.minute):
        raise ValueError(f"no window of every {every} from {start} until {until}")

    def cron(hour: int | str, first: int, last: int) -> CronTrigger:
        return CronTrigger(hour=hour, minute=_minutes(first, last, minutes), timezone=zone)

    if start.hour == end[0]:
        return cron(start.hour, start.minute, end[1] - 1)
    parts = [cron(start.hour, start.minute, 59)]
    if end[0] - start.hour > 1:
        parts.append(cron(f"{start.hour + 1}-{end[0] - 1}", 0, 59))
    if end[1]:
        parts.append(cron(end[0], 0, end[1] - 1))
    return parts[0] if len(parts) == 1 else OrTrigger(parts)


def _minutes(first: int, last: int, step: int) -> str:
    """Every `step` minutes from `first` to `last`, in cron's words."""
    if step > last - first:
        # Cron refuses a step longer than its range; the first minute is all there is.
        return str(first)
    return f"*/{step}" if (first, last) == (0, 59) else f"{first}-{last}/{step}"


def next_run(job: Job, school: School, now: datetime) -> datetime | None:
    """When the job next runs for the school after `now`, in the school's timezone: its next
    fire time on a day it runs on; None if there is none within `LOOK_AHEAD_DAYS`."""
    trigger = trigger_for(job, school)
    zone = ZoneInfo(school.timezone)
    fire = trigger.get_next_fire_time(None, now)
    while fire is not None and fire - now <= timedelta(days=LOOK_AHEAD_DAYS):
        if runs_on(job, school, fire.date()):
            return fire
        # The rest of a day the job does not run on holds no run either: skip to the next.
        midnight = datetime.combine(fire.date() + timedelta(days=1), time(0), tzinfo=zone)
        fire = trigger.get_next_fire_time(None, midnight)
    return None


@dataclass(frozen=True)
class ScheduleChanges:
    added: tuple[str, ...] = ()
    replaced: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed)


def sync_schedules(
    scheduler: AsyncIOScheduler,
    schools: Iterable[School],
    jobs: Mapping[str, Job] = JOBS,
    *,
    misfire_grace_seconds: int = DEFAULT_MISFIRE_GRACE_SECONDS,
) -> ScheduleChanges:
    """Make the persistent store hold exactly one job per school and job, as they are now.

    Unchanged jobs are left as they are, with their stored next run time; a job whose trigger
    or options changed is replaced (its next run time computed afresh); jobs of schools or job
    names that no longer exist are removed. Works on a started scheduler (the store is written
    at once) and on one not yet started (the jobs are added when it starts)."""
    wanted: dict[str, dict[str, Any]] = {}
    for school in schools:
        for job in jobs.values():
            options = {
                "func": run_scheduled_job,
                "trigger": trigger_for(job, school),
                "args": (job.name, school.key),
                "id": job_id(job.name, school.key),
                "name": job_id(job.name, school.key),
                "misfire_grace_time": misfire_grace_seconds,
                "coalesce": True,
                "max_instances": 1,
            }
            wanted[options["id"]] = options
    existing = {job.id: job for job in scheduler.get_jobs(jobstore=PERSISTENT)}
    added, replaced, unchanged = [], [], []
    for key, options in sorted(wanted.items()):
        if key in existing and _same(existing[key], options):
            unchanged.append(key)
            continue
        (replaced if key in existing else added).append(key)
        scheduler.add_job(**options, jobstore=PERSISTENT, replace_existing=True)
    removed = sorted(set(existing) - set(wanted))
    for key in removed:
        scheduler.remove_job(key, jobstore=PERSISTENT)
    changes = ScheduleChanges(tuple(added), tuple(replaced), tuple(removed), tuple(unchanged))
    if changes.changed:
        log.info(
            "schedule synced: %d added, %d replaced, %d removed, %d unchanged",
            len(added),
            len(replaced),
            len(removed),
            len(unchanged),
        )
    return changes


def _same(stored: StoredJob, options: dict[str, Any]) -> bool:
    return (
        stored.func is options["func"]
        and tuple(stored.args) == options["args"]
        and repr(stored.trigger) == repr(options["trigger"])
        and stored.misfire_grace_time == options["misfire_grace_time"]
        and stored.coalesce == options["coalesce"]
        and stored.max_instances == options["max_instances"]
    )


# The running clock


class SchoolClock:
    """The scheduler of one running app. The composition root builds it, `await start()`s it
    inside the running event loop, and `await stop()`s it before closing the database.

    Run one per database: APScheduler 3 does not coordinate several schedulers on one store,
    so two running app processes would each run every job."""

    def __init__(
        self,
        context: JobContext,
        *,
        job_store: BaseJobStore,
        misfire_grace_seconds: int = DEFAULT_MISFIRE_GRACE_SECONDS,
        jobs: Mapping[str, Job] = JOBS,
        resync_every: timedelta | None = RESYNC_EVERY,
    ) -> None:
        self.context = context
        self.jobs = jobs
        self.misfire_grace_seconds = misfire_grace_seconds
        self.resync_every = resync_every
        self.job_store = job_store
        # UTC for the scheduler's own bookkeeping; every trigger carries its school's timezone.
        self.scheduler = AsyncIOScheduler(
            jobstores={PERSISTENT: job_store, INTERNAL: MemoryJobStore()},
            timezone=UTC,
        )

    async def start(self) -> ScheduleChanges:
        """Register the job context, start the scheduler and sync the schedule. Jobs that were
        missed while the app was down, within the grace time, run once right after the sync
        (a job whose time changed meanwhile is rescheduled instead: its next run is the new
        time's next occurrence)."""
        register(self.context, self.jobs)
        self.scheduler.start(paused=True)
        try:
            changes = await self.sync()
        except BaseException:
            await self.stop()
            raise
        self.scheduler.resume()
        if self.resync_every is not None:
            self.scheduler.add_job(
                self.sync,
                IntervalTrigger(seconds=self.resync_every.total_seconds(), timezone=UTC),
                id=RESYNC_JOB_ID,
                jobstore=INTERNAL,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
            )
        return changes

    async def sync(self) -> ScheduleChanges:
        """Match the schedule to the schools in the database now."""
        async with self.context.uow_factory() as uow:
            schools = await uow.schools.list()
        return sync_schedules(
            self.scheduler, schools, self.jobs, misfire_grace_seconds=self.misfire_grace_seconds
        )

    async def stop(self, timeout: float = STOP_TIMEOUT_SECONDS) -> None:
        """Start no more jobs, let the running ones finish (up to `timeout` seconds), then shut
        the scheduler down (which cancels what still runs) and release the job store."""
        if self.scheduler.running:
            self.scheduler.pause()
            running = set(_registration.running) if _registration is not None else set()
            if running:
                await asyncio.wait(running, timeout=timeout)
            self.scheduler.shutdown(wait=False)
            # AsyncIOScheduler shuts down in a callback on the loop: let it happen.
            while self.scheduler.running:
                await asyncio.sleep(0)
        unregister()
