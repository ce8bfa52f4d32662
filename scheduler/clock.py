"""The school clock's runs: what a stored job calls when it fires, and an operator's run of one
job for one school.

Each job in `scheduler.jobs.JOBS` has, at each school, a trigger at the job's local time in the
school's own timezone (`scheduler.triggers`). The schools with the same trigger for a job (same
timezone, same local time, same window: `group_key`) share one stored job,
`f"{job.name}@{group}"`, e.g. `roll-call@Europe/Stockholm 08:15` (`scheduler.schedule` keeps
those stored jobs in step with the schools). When it fires, the job runs for all of them at once
(`Job.run_many`, through `scheduler.together`, which falls back to one school at a time if that
fails), so a municipality's 200 schools with the same 08:15 are one run with a few queries, not
200 runs with a few queries each.

**Why the scheduled callable takes plain ids.** A persistent job store pickles each job: its
callable as a textual reference (`scheduler.clock:run_scheduled_group`) and its arguments by
value. A unit-of-work factory (an engine, a connection pool) cannot be pickled, and must not
outlive the process anyway. So the stored job holds only the job's name and the group's key,
and `run_scheduled_group` finds what it needs to run in a module-level registry that the
composition root fills at start (`register`, done by `scheduler.schedule.SchoolClock.start`).
The reference is stored: the callables stay here, under these names.

At fire time the callable reads the group's schools (one query) and keeps those whose trigger is
the group's now, works out each school's local date from the clock (the `Clock` port, never the
system's), leaves out the schools (with an INFO log each) where the job runs on school days only
and `routine.calendar` says this is not one (weekend, public holiday, break, day off, outside
term: each school's own calendar), and runs the job for the rest as of that day. Operators run a
job for one school, or each school in turn, with `narvaro jobs run` (`run_job`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from time import perf_counter
from typing import Any

from routine.model import School
from scheduler.jobs import JOBS, Job, JobContext, JobResult
from scheduler.together import run_together
from scheduler.triggers import group_key, local_day, runs_on

# Re-exported: the operator's commands read a school's day and next runs from the clock.
from scheduler.triggers import next_run as next_run

log = logging.getLogger(__name__)


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


def running() -> set[asyncio.Task[Any]]:
    """The runs under way in this process, which `SchoolClock.stop` lets finish."""
    return set(_registration.running) if _registration is not None else set()


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
