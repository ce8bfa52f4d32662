"""The daily jobs' registry, `JOBS`: each job's name, its time at each school, and what it runs.

Each job is thin: plain ids in, a routine service decides, the outbox delivers. The jobs are in
modules by what they do (`scheduler.day_jobs`, `scheduler.case_jobs`, `scheduler.retention`, and
the rules' evaluation here); what they are made of is `scheduler.job_base`. Adding a job is one
function and one entry in JOBS.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from dialogs.case_card import refresh_case_cards
from dialogs.case_notices import queue_case_notices
from routine.case_opening import CaseChanges, open_cases, trigger_from_hit
from routine.cases import Case
from routine.evaluation import evaluate_thresholds, to_tell
from routine.model import School
from routine.ports import UnitOfWork
from routine.task_service import rule_tasks
from scheduler import platform_locales
from scheduler.case_jobs import case_reminders, nothing_new
from scheduler.day_jobs import (
    contact_escalation,
    end_of_day,
    leave_reminder_job,
    platform_locales_job,
    roll_call,
    roll_call_many,
    roll_call_reminder,
    unreported_absences,
    unreported_absences_many,
)
from scheduler.gc_pause import cyclic_gc_paused
from scheduler.job_base import Job, JobContext, JobResult

# The rules' job below calls it by the name it had when the jobs shared this module.
from scheduler.job_base import school_of as _school
from scheduler.retention import RETENTION_TIME, retention

# How often untaken contact requests are looked for; the school sets how long is too long.
ESCALATION_CHECK = timedelta(minutes=5)
# The rules are evaluated once the end of the day has settled the day's absences.
EVALUATION_DELAY = timedelta(minutes=30)


async def evaluate_thresholds_job(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """The school's counting rules (`routine.policy`) over its record, every pupil at once;
    what held is stored once per rule, pupil and window start (updated while it holds), and
    opens a case for a pupil without one (`routine.case_opening`), or is logged on the open
    one."""
    # Tens of thousands of hits decided in memory, and as many cases told of them on a
    # school's first night (`scheduler.gc_pause`).
    with cyclic_gc_paused():
        async with ctx.uow_factory() as uow:
            school = await _school(uow, school_key)
            now = ctx.clock.now()
            found = await evaluate_thresholds(uow, school, day, now)
            # New hits, those updated in place, and those that hold on unchanged where a case
            # may still need them (`to_tell`): a reason logged on the open case changes nothing.
            written = await to_tell(uow, school_key, found)
            triggers = [trigger_from_hit(hit, now) for hit in written]
            changes = await open_cases(uow, school, triggers)
            # The Danish 10 % and 15 % rules ask the head to act, once per pupil and quarter.
            notices = await queue_case_notices(uow, school, written, now)
            tasks = await rule_tasks(uow, school, written, now)
            # Each new case's card, to those who act on it, and the cards of the open cases a
            # new reason was logged on, in the same unit of work.
            reasoned = await _reasoned(uow, school_key, changes)
            await refresh_case_cards(uow, school, [*changes.opened, *reasoned], now)
            await uow.commit()
    summary = found.summary() if found.span is None else f"{found.summary()}; {changes.summary()}"
    if notices.new:
        summary += f"; {notices.summary()}"
    if tasks:
        summary += f"; {len(tasks)} task(s) set"
    return JobResult(school_key, day, summary)


async def _reasoned(uow: UnitOfWork, school_key: str, changes: CaseChanges) -> list[Case]:
    """The school's open cases a new reason was logged on, read in one query."""
    touched = {event.case_id for event in changes.logged}
    if not touched:
        return []
    return [c for c in await uow.cases.open_cases(school_key) if c.id in touched]


def after_end_of_day(school: School) -> time:
    """Half an hour after the end of the day, when its absences are settled; never past
    midnight, which would be the next day's."""
    end = datetime.combine(date.min, school.times.end_of_day)
    return min(end + EVALUATION_DELAY, datetime.combine(date.min, time(23, 59))).time()


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
