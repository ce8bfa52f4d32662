"""The schedule of the school clock: one stored job per job and group of schools with the same
trigger for it, kept in step with the schools, and `SchoolClock`, the scheduler of one running
app. What a stored job runs when it fires is `scheduler.clock`.

The schedule is kept in a persistent `SQLAlchemyJobStore`, in a table of its own
(`scheduler_jobs`) in the app's own database. The job store is synchronous, so it gets a
synchronous URL derived from the app's async one (`sync_database_url`). Because the store keeps
each job's next run time, a job whose time passed while the app was down runs once when it is
back, if it is late by at most `NARVARO_MISFIRE_GRACE_SECONDS` (`coalesce`: several missed runs
become one); later than that, it is skipped until its next time.

**Why the group's schools are not stored with it.** A stored job's arguments are part of what
`sync_schedules` compares, and a job that differs is replaced, with its next run time computed
afresh: a run missed during downtime would be lost whenever a school joined or left the group.
So the arguments are only the job's name and the group's key, and at fire time the callable
reads the schools (one query) and keeps those whose trigger is the group's now. A school whose
time changed leaves its old group at once, and is run by its new group's job from the next sync.

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

from apscheduler.job import Job as StoredJob
from apscheduler.jobstores.base import BaseJobStore
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import make_url

from routine.model import School
from scheduler.clock import register, run_scheduled_group, running, unregister
from scheduler.jobs import JOBS, Job, JobContext
from scheduler.triggers import group_key, trigger_for

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
            running_now = running()
            if running_now:
                await asyncio.wait(running_now, timeout=timeout)
            self.scheduler.shutdown(wait=False)
            # AsyncIOScheduler shuts down in a callback on the loop: let it happen.
            while self.scheduler.running:
                await asyncio.sleep(0)
        unregister()
