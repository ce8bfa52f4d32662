"""The nightly retention job: what is older than the school's retention period is deleted."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from routine.attendance import retention_cutoff
from scheduler.job_base import JobContext, JobResult, school_of

# A conversation left this long is abandoned: what was typed into it and never sent (a note
# may hold a health detail) is forgotten, and the next message starts from the menu.
CONVERSATION_IDLE = timedelta(hours=24)
# Retention runs at night, at a time that exists exactly once on both DST change days.
RETENTION_TIME = time(3, 30)


async def retention(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Deletes what is older than the school's retention period: reports, marks, corrections,
    messages, and cases closed before it (an open case stays, whatever its age)."""
    async with ctx.uow_factory() as uow:
        school = await school_of(uow, school_key)
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
