"""The school clock: APScheduler 3 inside the running app, one daily trigger per job and group of
schools whose trigger for it is the same.

Each job in `scheduler.jobs.JOBS` has, at each school, a trigger at the job's local time in the
school's own timezone (`scheduler.triggers`). The schools with the same trigger for a job (same
timezone, same local time, same window: `group_key`) share one stored job,
`f"{job.name}@{group}"`, e.g. `roll-call@Europe/Stockholm 08:15`. When it fires, the job runs
for all of them at once (`Job.run_many`, through `scheduler.together`, which falls back to one
school at a time if that fails), so a municipality's 200 schools with the same 08:15 are one run
with a few queries, not 200 runs with a few queries each.

The schedule is kept in a persistent `SQLAlchemyJobStore`, in a table of its own
(`scheduler_jobs`) in the app's own database. The job store is synchronous, so it gets a
synchronous URL derived from the app's async one (`sync_database_url`). Because the store keeps
each job's next run time, a job whose time passed while the app was down runs once when it is
back, if it is late by at most `NARVARO_MISFIRE_GRACE_SECONDS` (`coalesce`: several missed runs
become one); later than that, it is skipped until its next time.

**Why the scheduled callable takes plain ids.** A persistent job store pickles each job: its
callable as a textual reference (`scheduler.clock:run_scheduled_group`) and its arguments by
value. A unit-of-work factory (an engine, a connection pool) cannot be pickled, and must not
outlive the process anyway. So the stored job holds only the job's name and the group's key,
and `run_scheduled_group` finds what it needs to run in a module-level registry that the
composition root fills at start (`register`, done by `SchoolClock.start`).

**Why the group's schools are not stored with it.** A stored job's arguments are part of what
`sync_schedules` compares, and a job that differs is replaced, with its next run time computed
afresh: a run missed during downtime would be lost whenever a school joined or left the group.
So the arguments are only the job's name and the group's key, and at fire time the callable
reads the schools (one query) and keeps those whose trigger is the group's now. A school whose
time changed leaves its old group at once, and is run by its new group's job from the next sync.

At fire time the callable works out each school's local date from the clock (the `Clock` port,
never the system's), leaves out the schools (with an INFO log each) where the job runs on school
days only and `routine.calendar` says this is not one (weekend, public holiday, break, day off,
outside term: each school's own calendar), and runs the job for the rest as of that day.
Operators run a job for one school, or each school in turn, with `narvaro jobs run` (`run_job`).

`sync_schedules` makes the stored schedule match the schools in the database: it adds what is
missing (a group no school had before), replaces what changed, removes the jobs of groups no
school is in any more and of job names that no longer exist (and the one-job-per-school ids,
`job:school`, of the versions before groups), and leaves unchanged jobs alone, so that their
stored next run time, and with it a run missed during downtime, survives a restart. A running
`SchoolClock` syncs at start and then every few minutes, which is how a `narvaro school apply`
made by another process reaches it: APScheduler 3 does not support a second process changing a
job store that a running scheduler uses, so the CLI does not write to it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from time import perf_counter
from typing import Any

from apscheduler.job import Job as StoredJob
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import make_url

from routine.model import School
from scheduler.jobs import JOBS, Job, JobContext, JobResult
from scheduler.together import run_together
from scheduler.triggers import group_key, local_day, runs_on, trigger_for

# Re-exported: the operator's commands read a school's day and next runs from the clock.
from scheduler.triggers import next_run as next_run

log = logging.getLogger(__name__)

JOB_TABLE = "scheduler_jobs"  # listed in storage.orm.FOREIGN_TABLES, so migrations leave it be
PERSISTENT = "default"  # the job store alias of the schools' jobs
INTERNAL = "internal"  # an in-memory store for the clock's own housekeeping
RESYNC_JOB_ID = "sync-schedules"
RESYNC_EVERY = timedelta(minutes=5)
DEFAULT_MISFIRE_GRACE_SECONDS = 3600
STOP_TIMEOUT_SECONDS = 30.0


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


async def run_scheduled_group(job_name: str, group: str) -> list[JobResult]:
    """What every stored job calls: module-level, plain ids, so that it pickles by reference.

    Runs the job for the schools whose trigger for it is `group`'s now (`group_key`), read with
    one query, leaving out those where today is not a day it runs on. Returns the results of
    the schools it ran for; a school whose run failed has none (`scheduler.together`)."""
    registration = registered()
    job = registration.jobs.get(job_name)
    if job is None:
        log.warning("scheduled job %r is not a known job; not run", job_name)
        return []
    async with registration.context.uow_factory() as uow:
        schools = await uow.schools.list()
    members = [school for school in schools if group_key(job, school) == group]
    if not members:
        # The group's last school changed its time or left: the next sync removes the job.
        log.info("%s at %s: no school has this time any more; not run", job_name, group)
        return []
    return await _run_due(registration, job, members)


async def run_scheduled_job(job_name: str, school_key: str) -> JobResult | None:
    """One job for one school, as the clock runs it: what versions before groups stored, one
    job per school, so that such a stored job still loads and the first sync removes it.

    Returns the job's result, or None when it did not run (not a school day; it failed; a
    school or job name that is gone)."""
    registration = registered()
    job = registration.jobs.get(job_name)
    if job is None:
        log.warning("scheduled job %r is not a known job; not run", job_name)
        return None
    async with registration.context.uow_factory() as uow:
        school = await uow.schools.get(school_key)
    if school is None:
        log.warning("%s: no school with the key %r; not run", job_name, school_key)
        return None
    results = await _run_due(registration, job, [school])
    return results[0] if results else None


async def _run_due(
    registration: Registration, job: Job, schools: Sequence[School]
) -> list[JobResult]:
    """The job for those of `schools` whose local today is a day it runs on, together."""
    context = registration.context
    now = context.clock.now()
    due: dict[date, list[str]] = {}
    for school in schools:
        day = local_day(school, now)
        if runs_on(job, school, day):
            due.setdefault(day, []).append(school.key)
        else:
            log.info("%s at %s skipped: %s is not a school day", job.name, school.key, day)
    # Tracked so that `SchoolClock.stop` can let a run finish instead of cancelling it.
    task = asyncio.current_task()
    tracked = {task} if task is not None else set()
    registration.running.update(tracked)
    results: list[JobResult] = []
    try:
        # One day in practice: a group's schools share a timezone.
        for day, keys in sorted(due.items()):
            results += await run_together(context, job, keys, day)
    finally:
        registration.running.difference_update(tracked)
    for result in results:
        log.info("%s at %s on %s: %s", job.name, result.school_key, result.day, result.summary)
    return results


# The schedule


def job_id(job_name: str, group: str) -> str:
    """The stored job of a job and a group of schools (`group_key`)."""
    return f"{job_name}@{group}"


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
    """Make the persistent store hold exactly one job per job and group of schools with the
    same trigger for it (`group_key`), as the schools are now.

    Unchanged jobs are left as they are, with their stored next run time: a school joining or
    leaving a group that stays changes nothing stored. A job whose trigger or options changed
    is replaced (its next run time computed afresh); jobs of groups no school is in, of job
    names that no longer exist, and with ids of another form (one per school, as before groups)
    are removed. Works on a started scheduler (the store is written at once) and on one not
    yet started (the jobs are added when it starts)."""
    schools = list(schools)
    wanted: dict[str, dict[str, Any]] = {}
    for job in jobs.values():
        for school in schools:
            group = group_key(job, school)
            key = job_id(job.name, group)
            if key in wanted:
                continue
            wanted[key] = {
                "func": run_scheduled_group,
                # The same for every school of the group: the key is made of what it reads.
                "trigger": trigger_for(job, school),
                "args": (job.name, group),
                "id": key,
                "name": key,
                "misfire_grace_time": misfire_grace_seconds,
                "coalesce": True,
                "max_instances": 1,
            }
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
