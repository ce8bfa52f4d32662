"""A member of staff marks a case's task done: what happened, and whether to adjust the plan.

The learning circle of the Danish guide, plan → try → reflect → adjust (004: 2391–2432): doing
a task is the moment to reflect. It starts from [Done] under the morning reminder
(dialogs/task_actions.py) with the task in hand, or from the menu ("My follow-up tasks"),
which first lists the person's open tasks. The answer goes into the case's log
(routine.task_service.finish_task), and the reminder is rendered again in place.
"""

from __future__ import annotations

from datetime import date

from dialogs.case_reminders import refresh_reminders, task_title, who
from dialogs.events import Form, FormField
from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, format_number, format_short_day, ngettext
from routine.calendar import is_school_day
from routine.case_service import Outcome
from routine.case_tasks import CaseTask
from routine.model import Role
from routine.task_service import finish_task

TRANSITIONS = {"pick": {"picked": "report", "none": END}, "report": {"done": END}}

# It is read in the case's log: a few sentences.
MAX_ANSWER = 500
KEEP, ADJUST = "keep", "adjust"


async def _describe(ctx: Context, tasks: list[CaseTask]) -> dict[int, str]:
    cases = {c.id: c for c in await ctx.uow.cases.open_cases(ctx.actor.school.key)}
    pupil_ids = {c.pupil_id for c in cases.values()}
    pupils = {
        p.pupil_id: p for p in await ctx.uow.school_day.pupils(ctx.actor.school.key, pupil_ids)
    }
    return {
        task.id or 0: _("{pupil}: {task}, due {day}").format(
            pupil=who(pupils, cases.get(task.case_id)),
            task=task_title(task),
            day=format_short_day(task.due),
        )
        for task in tasks
    }


async def ask_pick(ctx: Context) -> Prompt | Go:
    if "task" in ctx.data:
        return Go("picked")
    staff = ctx.actor.staff
    assert staff is not None
    tasks = await ctx.uow.case_tasks.open_of_owner(staff.school_key, staff.staff_id)
    if not tasks:
        ctx.say(_("You have no open follow-up tasks."))
        return Go("none")
    described = await _describe(ctx, tasks)
    heading = ngettext(
        "You have {count} open follow-up task. Which one is done?",
        "You have {count} open follow-up tasks. Which one is done?",
        len(tasks),
    ).format(count=format_number(len(tasks)))
    return Prompt(heading, tuple(Choice(str(t.id), described[t.id or 0]) for t in tasks))


async def answer_pick(ctx: Context, answer: Answer) -> Go:
    ctx.data["task"] = int(answer.choice or 0)
    return Go("picked")


async def ask_report(ctx: Context) -> Prompt | Go:
    task = await ctx.uow.case_tasks.get(int(ctx.data.get("task", 0)))
    staff = ctx.actor.staff
    if task is None or staff is None or task.school_key != staff.school_key:
        ctx.say(_("This button has expired."))
        return Go("done")
    if not task.is_open:
        ctx.say(_("This task is already done."))
        return Go("done")
    described = (await _describe(ctx, [task]))[task.id or 0]
    form = Form(
        id="task-done",
        title=_("Task done"),
        fields=(
            FormField(
                "what",
                _("What happened?"),
                multiline=True,
                initial=(ctx.data["what"],) if ctx.data.get("what") else (),
            ),
            FormField(
                "plan",
                _("Does the plan need adjusting?"),
                choices=((KEEP, _("No, keep the plan")), (ADJUST, _("Yes, adjust the plan"))),
                initial=(KEEP,),
            ),
        ),
        submit_label=_("Save"),
    )
    text = (
        described
        + "\n"
        + _("Plan, try, reflect, adjust: what happened, and does the plan need adjusting?")
    )
    return Prompt(text, form=form)


async def answer_report(ctx: Context, answer: Answer) -> Go | Retry:
    staff = ctx.actor.staff
    if answer.form is None or staff is None:
        return Go("done")
    what = (answer.form.get("what") or "").strip()
    if not what:
        return Retry(_("Please write briefly what happened."))
    if len(what) > MAX_ANSWER:
        ctx.data["what"] = what
        message = ngettext(
            "That is too long: at most {count} character, please.",
            "That is too long: at most {count} characters, please.",
            MAX_ANSWER,
        )
        return Retry(message.format(count=format_number(MAX_ANSWER)))
    adjust = answer.form.get("plan") == ADJUST
    task_id = int(ctx.data.get("task", 0))
    result = await finish_task(ctx.uow, task_id, staff, what, adjust, ctx.now, ctx.today)
    if result.outcome is Outcome.DONE and result.task is not None:
        await _refresh(ctx, result.task.owner_id)
        if adjust:
            ctx.say(
                _("Saved in the log. A task to adjust the plan is set for the next school day.")
            )
        else:
            ctx.say(_("Saved in the log. Thank you!"))
    elif result.outcome is Outcome.REFUSED:
        ctx.say(_("This task is already done."))
    elif result.outcome is Outcome.MOVED:
        ctx.say(_("Someone changed this task just now. Please look at it again."))
    else:
        ctx.say(_("This button has expired."))
    return Go("done")


async def _refresh(ctx: Context, owner_id: str) -> None:
    """The reminder the press came from (or today's) shows the task done, in place."""
    day = date.fromisoformat(str(ctx.data.get("day") or ctx.today.isoformat()))
    school = ctx.actor.school
    if is_school_day(school, day):
        await refresh_reminders(ctx.uow, school, day, ctx.now, {owner_id})


def follows_cases(actor: Actor) -> bool:
    staff = actor.staff
    return staff is not None and (
        staff.has_role(Role.COORDINATOR) or staff.has_role(Role.PRINCIPAL)
    )


def may_have_tasks(actor: Actor) -> bool:
    """Those who follow cases, and mentors: a plan's row can name the class's mentor
    responsible (dialogs.plan_notices.responsible_choices), so a mentor has tasks too and looks
    for them in the menu. The menu is decided without the database, so by role, not by whether
    the person has open tasks now; with none, the flow says so."""
    staff = actor.staff
    return follows_cases(actor) or (staff is not None and staff.has_role(Role.MENTOR))


FLOW = Flow(
    name="task_done",
    title=N_("My follow-up tasks"),
    audience=frozenset({"staff"}),
    start="pick",
    steps={"pick": Step(ask_pick, answer_pick), "report": Step(ask_report, answer_report)},
    transitions=TRANSITIONS,
    offered=may_have_tasks,
)
