"""The daily jobs. Each is thin: plain ids in, a routine service decides, the outbox delivers.

A job runs as of one school day, so an operator can re-run it for a past day; running it twice
queues nothing twice, because every message has an idempotency key. Adding a job is one
function and one entry in JOBS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dialogs.notices import GUARDIAN_PLATFORM
from routine.access import visible_classes
from routine.attendance import (
    close_the_day,
    guardians_of,
    mentors_of,
    retention_cutoff,
    unreported_absent_pupils,
)
from routine.guardian_requests import ask_about_absence
from routine.model import Pupil, Role, School
from routine.outbox import OutboxMessage
from routine.ports import Clock, UnitOfWork, UnitOfWorkFactory
from scheduler import messages

# Retention runs at night, at a time that exists exactly once on both DST change days.
RETENTION_TIME = time(3, 30)


@dataclass(frozen=True)
class JobContext:
    uow_factory: UnitOfWorkFactory
    clock: Clock


@dataclass(frozen=True)
class JobResult:
    school_key: str
    day: date
    summary: str


@dataclass(frozen=True)
class Job:
    name: str
    local_time: Callable[[School], time]
    school_days_only: bool
    run: Callable[[JobContext, str, date], Awaitable[JobResult]]


class UnknownSchool(LookupError):
    pass


async def _school(uow: UnitOfWork, school_key: str) -> School:
    school = await uow.schools.get(school_key)
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

    def summary(self) -> str:
        return f"{self.queued} message(s) queued, {self.already} already queued"


async def roll_call(ctx: JobContext, school_key: str, day: date) -> JobResult:
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        school_classes = [c.name for c in await uow.classes.list_for(school_key)]
        queue, now = Queue(uow), ctx.clock.now()
        for member in await uow.staff.list_for_school(school_key):
            classes = visible_classes(member, school_classes)
            if member.has_role(Role.MENTOR) and member.slack_user_id and classes:
                await queue.add(messages.roll_call_reminder(school, member, classes, day, now))
        await uow.commit()
    return JobResult(school_key, day, queue.summary())


async def unreported_absences(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Step 1: every guardian of a pupil absent without a report is asked, the same day, and
    each mentor gets the list for their classes, with who cannot be reached in chat."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        marks = await uow.marks.list_for_day(school_key, day)
        absent_ids = sorted({m.pupil_id for m in marks})
        reports = await uow.reports.list_covering(school_key, absent_ids, day)
        unreported = unreported_absent_pupils(marks, reports)
        queue, now = Queue(uow), ctx.clock.now()
        guardians = await uow.guardians.list_for_school(school_key)
        asked: list[tuple[Pupil, bool]] = []
        for pupil_id in unreported:
            pupil = await uow.pupils.get(school_key, pupil_id)
            if pupil is None:
                continue
            reachable = False
            for guardian in guardians_of(pupil_id, guardians):
                accounts = await uow.accounts.list_for_person(
                    school_key, "guardian", guardian.guardian_id
                )
                chats = [a for a in accounts if a.platform == GUARDIAN_PLATFORM and a.reachable]
                if not chats:
                    continue
                prompt = await ask_about_absence(
                    uow,
                    school_key=school_key,
                    pupil_id=pupil_id,
                    guardian_id=guardian.guardian_id,
                    day=day,
                    now=now,
                )
                for account in chats:
                    await queue.add(
                        messages.unreported_prompt(school, guardian, account, pupil, prompt, now)
                    )
                reachable = True
            asked.append((pupil, reachable))
        await _tell_mentors(uow, queue, school, asked, day, now)
        await uow.commit()
    return JobResult(school_key, day, f"{len(asked)} unreported absence(s); {queue.summary()}")


async def _tell_mentors(
    uow: UnitOfWork,
    queue: Queue,
    school: School,
    asked: list[tuple[Pupil, bool]],
    day: date,
    now: datetime,
) -> None:
    staff = await uow.staff.list_for_school(school.key)
    for mentor in staff:
        mine = [(p, ok) for p, ok in asked if mentor in mentors_of(p, staff)]
        if mine and mentor.slack_user_id:
            await queue.add(messages.unreported_list(school, mentor, mine, day, now))


async def end_of_day(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """What a report explains takes the report's reason; what nobody explained is invalid."""
    async with ctx.uow_factory() as uow:
        await _school(uow, school_key)
        marks = await uow.marks.list_for_day(school_key, day)
        reports = await uow.reports.list_covering(
            school_key, sorted({m.pupil_id for m in marks}), day
        )
        closed = close_the_day(marks, reports, await uow.codes.list_for(school_key))
        for mark in closed.explained + closed.invalid:
            await uow.marks.update(mark)
        await uow.commit()
    summary = f"{len(closed.explained)} explained by reports, {len(closed.invalid)} invalid"
    return JobResult(school_key, day, summary)


async def retention(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Deletes what is older than the school's retention period: reports, marks, messages."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        cutoff = retention_cutoff(day, school.privacy.retention_days)
        midnight = datetime.combine(cutoff, time(0), tzinfo=ZoneInfo(school.timezone))
        reports = await uow.reports.delete_ended_before(school_key, cutoff)
        marks = await uow.marks.delete_before(school_key, cutoff)
        sent = await uow.outbox.delete_created_before(school_key, midnight)
        requests = sum(
            [
                await uow.prompts.delete_created_before(school_key, midnight),
                await uow.contact_requests.delete_created_before(school_key, midnight),
                await uow.concerns.delete_created_before(school_key, midnight),
            ]
        )
        await uow.commit()
    summary = (
        f"deleted before {cutoff}: {reports} report(s), {marks} mark(s), {sent} message(s), "
        f"{requests} answer(s), request(s) and concern(s)"
    )
    return JobResult(school_key, day, summary)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job("roll-call", lambda s: s.times.roll_call, True, roll_call),
        Job("unreported-absences", lambda s: s.times.unreported_prompt, True, unreported_absences),
        Job("end-of-day", lambda s: s.times.end_of_day, True, end_of_day),
        Job("retention", lambda _school: RETENTION_TIME, False, retention),
    )
}
