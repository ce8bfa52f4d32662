"""What every daily job is made of: its context, its result, its definition in `JOBS`
(`scheduler.jobs`), and the helpers its body shares with the others.

A job runs as of one school day, so an operator can re-run it for a past day; running it twice
queues nothing twice, because every message has an idempotency key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from dialogs.live import Tally
from routine.model import School
from routine.outbox import OutboxMessage
from routine.ports import Clock, PlatformLocales, UnitOfWork, UnitOfWorkFactory
from scheduler.metrics import Metrics
from scheduler.morning import UnknownSchool


@dataclass(frozen=True)
class JobContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock
    metrics: Metrics = field(default_factory=Metrics)
    # Asks the staff's chat platform for their locales; None where it is not configured.
    locales: PlatformLocales | None = None


@dataclass(frozen=True)
class JobResult:
    school_key: str
    day: date
    summary: str


RunMany = Callable[[JobContext, Sequence[str], date], Awaitable[list[JobResult]]]


@dataclass(frozen=True)
class Job:
    """Runs daily at `local_time`; or, with `every`, at that interval from `local_time` until
    before `until` (or midnight), in whole minutes (see `scheduler.triggers.trigger_for`).

    `run_many`, where a job has it, runs several schools due at the same minute as one set of
    queries (a municipality's schools mostly share their times); its results are in the order
    of the keys given. Without it, `run_for_schools` runs them one by one."""

    name: str
    local_time: Callable[[School], time]
    school_days_only: bool
    run: Callable[[JobContext, str, date], Awaitable[JobResult]]
    every: timedelta | None = None
    until: Callable[[School], time] | None = None
    run_many: RunMany | None = None


async def run_for_schools(
    job: Job, ctx: JobContext, school_keys: Sequence[str], day: date
) -> list[JobResult]:
    """The job for these schools as of `day`, together where the job can, in key order."""
    if job.run_many is not None:
        return await job.run_many(ctx, school_keys, day)
    return [await job.run(ctx, key, day) for key in school_keys]


async def school_of(uow: UnitOfWork, school_key: str) -> School:
    # Most jobs read the school's staff next: read with the school, in the same statement.
    school = await uow.schools.get_with_staff(school_key)
    if school is None:
        raise UnknownSchool(f"no school with the key {school_key!r}")
    return school


@dataclass
class Queue:
    """Counts what a job put in the outbox, for the operator's one-line summary."""

    uow: UnitOfWork
    queued: int = 0
    already: int = 0

    async def add(self, message: OutboxMessage) -> None:
        if await self.uow.outbox.add(message):
            self.queued += 1
        else:
            self.already += 1

    async def add_many(self, messages: list[OutboxMessage]) -> None:
        for added in await self.uow.outbox.add_many(messages):
            if added:
                self.queued += 1
            else:
                self.already += 1

    def count(self, tally: Tally) -> None:
        """A live message's versions: one showing nothing new counts as already queued."""
        self.queued += tally.queued
        self.already += tally.unchanged

    def summary(self) -> str:
        return f"{self.queued} message(s) queued, {self.already} already queued"
