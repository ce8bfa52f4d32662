"""The daily jobs. Each is thin: plain ids in, a routine service decides, the outbox delivers.

A job runs as of one school day, so an operator can re-run it for a past day; running it twice
queues nothing twice, because every message has an idempotency key. Adding a job is one
function and one entry in JOBS.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.case_card import refresh_case_cards
from dialogs.case_notices import queue_case_notices
from dialogs.case_reminders import refresh_reminders
from dialogs.case_steps import step3_review_prompts
from dialogs.family_updates import prompt_coordinators
from dialogs.follow_up_list import load_follow_up_day
from dialogs.leave_notices import leave_reminder
from dialogs.live import Tally, refresh_roll_calls
from dialogs.notices import contact_escalated
from routine.attendance import close_the_day, mentors_of_class, retention_cutoff
from routine.case_opening import CaseChanges, open_cases, trigger_from_hit
from routine.cases import Case
from routine.evaluation import evaluate_thresholds, to_tell
from routine.family_updates import due_updates
from routine.guardian_requests import escalate_untaken_requests
from routine.leave import LeaveStatus, deciders, due_for_reminder
from routine.model import Role, School
from routine.outbox import OutboxMessage
from routine.ports import Clock, PlatformLocales, UnitOfWork, UnitOfWorkFactory
from routine.roll_call import RollCallStatus
from routine.task_service import rule_tasks, set_nothing_new_tasks, step3_reviews_due
from scheduler import messages, morning, platform_locales
from scheduler.metrics import Metrics
from scheduler.morning import UnknownSchool

# How often untaken contact requests are looked for; the school sets how long is too long.
ESCALATION_CHECK = timedelta(minutes=5)
# A conversation left this long is abandoned: what was typed into it and never sent (a note
# may hold a health detail) is forgotten, and the next message starts from the menu.
CONVERSATION_IDLE = timedelta(hours=24)
# Retention runs at night, at a time that exists exactly once on both DST change days.
RETENTION_TIME = time(3, 30)
# The rules are evaluated once the end of the day has settled the day's absences.
EVALUATION_DELAY = timedelta(minutes=30)


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
    before `until` (or midnight), in whole minutes (see `scheduler.clock.trigger_for`).

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


async def _school(uow: UnitOfWork, school_key: str) -> School:
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


async def platform_locales_job(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Staff whose Slack locale is not known are asked for it, once, before the morning's
    jobs write to them (`scheduler.platform_locales`)."""
    async with ctx.uow_factory() as uow:
        await _school(uow, school_key)
        staff = await uow.staff.list_for_school(school_key)
    if ctx.locales is None:
        return JobResult(school_key, day, "no chat platform to ask for locales")
    asked = await platform_locales.ask_and_remember(
        ctx.uow_factory, ctx.locales, school_key, staff, ctx.clock.now()
    )
    return JobResult(school_key, day, asked.summary())


async def roll_call(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Each class's roll call opens; its mentors get it with what guardians reported."""
    return (await roll_call_many(ctx, [school_key], day))[0]


async def roll_call_many(
    ctx: JobContext, school_keys: Sequence[str], day: date
) -> list[JobResult]:
    summaries = await morning.roll_calls(ctx.uow_factory, ctx.clock, school_keys, day)
    return [JobResult(key, day, s) for key, s in zip(school_keys, summaries, strict=True)]


async def roll_call_reminder(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Mentors whose roll call is not in yet are reminded before it is due."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        queue, now = Queue(uow), ctx.clock.now()
        staff = await uow.staff.list_for_school(school_key)
        waiting = [
            r
            for r in await uow.roll_calls.list_for_day(school_key, day)
            if r.status is RollCallStatus.OPEN
        ]
        await queue.add_many(
            [
                messages.roll_call_reminder(school, mentor, roll_call, now)
                for roll_call in waiting
                for mentor in mentors_of_class(roll_call.class_name, staff)
                if mentor.slack_user_id
            ]
        )
        await uow.commit()
    return JobResult(school_key, day, f"{len(waiting)} roll call(s) not in; {queue.summary()}")


async def unreported_absences(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """When the roll call is due: roll calls still open are recorded as not answered and the
    coordinators told; then step 1 for every pupil absent without a report."""
    return (await unreported_absences_many(ctx, [school_key], day))[0]


async def unreported_absences_many(
    ctx: JobContext, school_keys: Sequence[str], day: date
) -> list[JobResult]:
    summaries = await morning.unreported_absences(ctx.uow_factory, ctx.clock, school_keys, day)
    return [JobResult(key, day, s) for key, s in zip(school_keys, summaries, strict=True)]


async def contact_escalation(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Contact requests nobody has taken in time go to the coordinators."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        queue, now = Queue(uow), ctx.clock.now()
        escalated = await escalate_untaken_requests(uow, school=school, now=now)
        staff = await uow.staff.list_for_school(school_key)
        coordinators = [s for s in staff if s.has_role(Role.COORDINATOR) and s.slack_user_id]
        for request in escalated:
            pupil = await uow.pupils.get(school_key, request.pupil_id)
            guardian = await uow.guardians.get(school_key, request.guardian_id)
            if pupil is None or guardian is None:
                continue
            for coordinator in coordinators:
                await queue.add(
                    contact_escalated(school, coordinator, pupil, guardian, request, now)
                )
        await uow.commit()
    return JobResult(school_key, day, f"{len(escalated)} request(s) escalated; {queue.summary()}")


async def end_of_day(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """What a report explains takes the report's reason; what nobody explained is invalid.
    The day's roll-call messages lose their buttons: the roll call cannot change any more."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        marks = await uow.marks.list_for_day(school_key, day)
        reports = await uow.reports.list_covering(
            school_key, sorted({m.pupil_id for m in marks}), day
        )
        leave = await uow.leave_requests.list_between(
            school_key, day, day, statuses=[LeaveStatus.GRANTED]
        )
        codes = await uow.codes.list_for(school_key)
        closed = close_the_day(school, marks, reports, codes, leave)
        await uow.school_day.update_marks(closed.on_leave + closed.explained + closed.invalid)
        now = ctx.clock.now()
        roll_calls = await uow.roll_calls.list_for_day(school_key, day)
        await refresh_roll_calls(uow, school, roll_calls, now)
        queue = Queue(uow)
        not_reached = (await load_follow_up_day(uow, school, day)).not_reached()
        if not_reached:
            await queue.add_many(
                [
                    messages.guardians_not_reached(school, coordinator, not_reached, day, now)
                    for coordinator in await uow.staff.list_for_school(school_key)
                    if coordinator.has_role(Role.COORDINATOR) and coordinator.slack_user_id
                ]
            )
        await uow.commit()
    summary = (
        f"{len(closed.explained)} explained by reports, {len(closed.invalid)} invalid, "
        f"{len(not_reached)} without a contact with a guardian; {queue.summary()}"
    )
    if closed.on_leave:
        summary = f"{len(closed.on_leave)} on granted leave, {summary}"
    return JobResult(school_key, day, summary)


async def leave_reminder_job(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Requests nobody has decided for `[leave] remind_after_days` school days are reminded to
    the deciders, once a school day (the message's key names the day)."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        queue, now = Queue(uow), ctx.clock.now()
        due = due_for_reminder(await uow.leave_requests.list_pending(school_key), school, day)
        pupils = {
            p.pupil_id: p
            for p in await uow.school_day.pupils(school_key, {r.pupil_id for r in due})
        }
        to_remind = [
            s
            for s in deciders(school, await uow.staff.list_for_school(school_key))
            if s.slack_user_id
        ]
        await queue.add_many(
            [
                leave_reminder(school, decider, request, pupils[request.pupil_id], day, now)
                for request in due
                if request.pupil_id in pupils
                for decider in to_remind
            ]
        )
        await uow.leave_requests.mark_reminded([r.id for r in due if r.id is not None], now)
        await uow.commit()
    return JobResult(school_key, day, f"{len(due)} leave request(s) waiting; {queue.summary()}")


async def evaluate_thresholds_job(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """The school's counting rules (`routine.policy`) over its record, every pupil at once;
    what held is stored once per rule, pupil and window start (updated while it holds), and
    opens a case for a pupil without one (`routine.case_opening`), or is logged on the open
    one."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        now = ctx.clock.now()
        found = await evaluate_thresholds(uow, school, day, now)
        # New hits, those updated in place, and those that hold on unchanged where a case may
        # still need them (`to_tell`): a reason logged on the open case already changes nothing.
        written = await to_tell(uow, school_key, found)
        triggers = [trigger_from_hit(hit, now) for hit in written]
        changes = await open_cases(uow, school, triggers)
        # The Danish 10 % and 15 % rules ask the head to act, once per pupil and quarter.
        notices = await queue_case_notices(uow, school, written, now)
        tasks = await rule_tasks(uow, school, written, now)
        # Each new case's card, to those who act on it, and the cards of the open cases a new
        # reason was logged on, in the same unit of work.
        reasoned = await _reasoned(uow, school_key, changes)
        await refresh_case_cards(uow, school, [*changes.opened, *reasoned], now)
        await uow.commit()
    summary = found.summary() if found.span is None else f"{found.summary()}; {changes.summary()}"
    if notices.new:
        summary += f"; {notices.summary()}"
    if tasks:
        summary += f"; {len(tasks)} task(s) set"
    return JobResult(school_key, day, summary)


async def case_reminders(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Each person with open tasks of a case gets one message listing them (overdue, due
    today, due within `[cases] remind_ahead_days` school days), kept current in place; a task
    overdue by `[cases] overdue_after_days` school days goes to the principals too, once."""
    async with ctx.uow_factory() as uow:
        school, now = await _school(uow, school_key), ctx.clock.now()
        await set_nothing_new_tasks(uow, school, now)
        done = await refresh_reminders(uow, school, day, now, escalate=True)
        # Sweden: a step-2 case whose review date has come while step 2 still holds.
        reviews = await step3_reviews_due(uow, school, day)
        asked = await step3_review_prompts(uow, school, reviews, now)
        await uow.commit()
    summary = (
        f"{done.people} person(s) reminded: {done.queued} message(s) queued, "
        f"{done.unchanged} unchanged; {done.escalated} overdue task notice(s) to principals"
    )
    if reviews:
        summary += f"; {len(reviews)} step-2 review(s) for the principals ({asked} queued)"
    return JobResult(school_key, day, summary)


async def _reasoned(uow: UnitOfWork, school_key: str, changes: CaseChanges) -> list[Case]:
    """The school's open cases a new reason was logged on, read in one query."""
    touched = {event.case_id for event in changes.logged}
    if not touched:
        return []
    return [c for c in await uow.cases.open_cases(school_key) if c.id in touched]


async def nothing_new(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """The coordinators of open cases whose "nothing new" task is due (the family has not
    heard from the school for `[cases] nothing_new_days` school days) get a ready update to
    send (`routine.family_updates`); once per quiet spell, kept current in one message."""
    async with ctx.uow_factory() as uow:
        school, now = await _school(uow, school_key), ctx.clock.now()
        await set_nothing_new_tasks(uow, school, now)
        cases = await uow.cases.open_cases(school_key)
        ids = [c.id for c in cases if c.id is not None]
        events = await uow.cases.events_of(ids) if ids else {}
        tasks = await uow.case_tasks.of_cases(ids) if ids else {}
        quiet = due_updates(cases, events, tasks, day)
        queued = await prompt_coordinators(uow, school, quiet, now)
        await uow.commit()
    return JobResult(school_key, day, f"{len(quiet)} quiet case(s); {queued} prompt(s) queued")


def after_end_of_day(school: School) -> time:
    """Half an hour after the end of the day, when its absences are settled; never past
    midnight, which would be the next day's."""
    end = datetime.combine(date.min, school.times.end_of_day)
    return min(end + EVALUATION_DELAY, datetime.combine(date.min, time(23, 59))).time()


async def retention(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Deletes what is older than the school's retention period: reports, marks, corrections,
    messages, and cases closed before it (an open case stays, whatever its age)."""
    async with ctx.uow_factory() as uow:
        school = await _school(uow, school_key)
        cutoff = retention_cutoff(day, school.privacy.retention_days)
        midnight = datetime.combine(cutoff, time(0), tzinfo=ZoneInfo(school.timezone))
        reports = await uow.reports.delete_ended_before(school_key, cutoff)
        leave = await uow.leave_requests.delete_ended_before(school_key, cutoff)
        marks = await uow.marks.delete_before(school_key, cutoff)
        days = await uow.roll_calls.delete_before(school_key, cutoff)
        days += await uow.follow_ups.delete_before(school_key, cutoff)
        corrections = await uow.corrections.delete_before(school_key, cutoff)
        corrections += await uow.record_uses.delete_before(school_key, cutoff)
        corrections += await uow.rule_hits.delete_before(school_key, cutoff)
        sent = await uow.outbox.delete_created_before(school_key, midnight)
        cases = await uow.cases.delete_closed_before(school_key, midnight)
        # Conversations belong to no one school; each school's run clears the abandoned ones.
        await uow.conversations.clear_idle_before(ctx.clock.now() - CONVERSATION_IDLE)
        requests = sum(
            [
                await uow.prompts.delete_created_before(school_key, midnight),
                await uow.contact_requests.delete_created_before(school_key, midnight),
                await uow.concerns.delete_created_before(school_key, midnight),
                await uow.staff_concerns.delete_created_before(school_key, midnight),
            ]
        )
        await uow.commit()
    summary = (
        f"deleted before {cutoff}: {reports} report(s), {leave} leave request(s), "
        f"{marks} mark(s), {days} roll call(s) and follow-up(s), "
        f"{corrections} correction(s), record use(s) and rule hit(s), {sent} message(s), "
        f"{cases} closed case(s), "
        f"{requests} answer(s), request(s) and concern(s)"
    )
    return JobResult(school_key, day, summary)


JOBS: dict[str, Job] = {
    job.name: job
    for job in (
        Job(
            "platform-locales",
            lambda s: platform_locales.ask_time(s.times.roll_call),
            True,
            platform_locales_job,
        ),
        Job("roll-call", lambda s: s.times.roll_call, True, roll_call, run_many=roll_call_many),
        Job("roll-call-reminder", lambda s: s.times.roll_call_reminder, True, roll_call_reminder),
        Job(
            "unreported-absences",
            lambda s: s.times.unreported_prompt,
            True,
            unreported_absences,
            run_many=unreported_absences_many,
        ),
        Job("end-of-day", lambda s: s.times.end_of_day, True, end_of_day),
        Job("evaluate-thresholds", after_end_of_day, True, evaluate_thresholds_job),
        Job("retention", lambda _school: RETENTION_TIME, False, retention),
        Job("leave-reminder", lambda s: s.times.roll_call, True, leave_reminder_job),
        Job("case-reminders", lambda s: s.times.roll_call, True, case_reminders),
        Job("nothing-new", lambda s: s.times.roll_call, True, nothing_new),
        Job(
            "contact-escalation",
            lambda s: s.times.roll_call,
            True,
            contact_escalation,
            every=ESCALATION_CHECK,
            # The job acts in school hours only: outside them a run would only be logged.
            until=lambda s: s.times.end_of_day,
        ),
    )
}
