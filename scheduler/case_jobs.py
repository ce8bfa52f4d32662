"""The jobs that keep open cases moving: reminders of their tasks (and step-2 reviews due), and
the "nothing new" updates to quiet families. The rules' evaluation, which opens cases, is
`scheduler.jobs.evaluate_thresholds_job`."""

from __future__ import annotations

from datetime import date

from dialogs.case_reminders import refresh_reminders
from dialogs.case_steps import step3_review_prompts
from dialogs.family_updates import prompt_coordinators
from routine.family_updates import due_updates
from routine.task_service import set_nothing_new_tasks, step3_reviews_due
from scheduler.job_base import JobContext, JobResult, school_of


async def case_reminders(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """Each person with open tasks of a case gets one message listing them (overdue, due
    today, due within `[cases] remind_ahead_days` school days), kept current in place; a task
    overdue by `[cases] overdue_after_days` school days goes to the principals too, once."""
    async with ctx.uow_factory() as uow:
        school, now = await school_of(uow, school_key), ctx.clock.now()
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


async def nothing_new(ctx: JobContext, school_key: str, day: date) -> JobResult:
    """The coordinators of open cases whose "nothing new" task is due (the family has not
    heard from the school for `[cases] nothing_new_days` school days) get a ready update to
    send (`routine.family_updates`); once per quiet spell, kept current in one message."""
    async with ctx.uow_factory() as uow:
        school, now = await school_of(uow, school_key), ctx.clock.now()
        await set_nothing_new_tasks(uow, school, now)
        cases = await uow.cases.open_cases(school_key)
        ids = [c.id for c in cases if c.id is not None]
        events = await uow.cases.events_of(ids) if ids else {}
        tasks = await uow.case_tasks.of_cases(ids) if ids else {}
        quiet = due_updates(cases, events, tasks, day)
        queued = await prompt_coordinators(uow, school, quiet, now)
        await uow.commit()
    return JobResult(school_key, day, f"{len(quiet)} quiet case(s); {queued} prompt(s) queued")
