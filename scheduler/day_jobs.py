"""The school day's jobs: staff locales asked before the morning, the roll calls opened and
reminded, unreported absences, untaken contact requests escalated, the end of the day, and
reminders of undecided leave requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dialogs.follow_up_list import load_follow_up_day
from dialogs.leave_notices import leave_reminder
from dialogs.live import refresh_roll_calls
from dialogs.notices import contact_escalated
from routine.attendance import close_the_day, mentors_of_class
from routine.guardian_requests import escalate_untaken_requests
from routine.leave import LeaveStatus, deciders, due_for_reminder
from routine.model import Role
from routine.roll_call import RollCallStatus
from scheduler import messages, morning, platform_locales
from scheduler.job_base import JobContext, JobResult, Queue, school_of


async def platform_locales_job(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Staff whose Slack locale is not known are asked for it, once, before the morning's
    jobs write to them (`scheduler.platform_locales`)."""
    async with ctx.uow_factory() as uow:
        await school_of(uow, school_key)
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
        school = await school_of(uow, school_key)
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
        school = await school_of(uow, school_key)
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
        school = await school_of(uow, school_key)
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
        school = await school_of(uow, school_key)
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
