"""A member of staff going on leave hands their open tasks of cases to a colleague.

From the menu ("Hand over my tasks") or the command /handover, on Slack and in the console.
Every open task moves (routine.task_service.hand_over), each case logs it, and both people's
reminders of the day are rendered again in place.
"""

from __future__ import annotations

from dialogs.case_reminders import refresh_reminders
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Step
from dialogs.flows.task_done import may_have_tasks
from dialogs.i18n import N_, _, format_number, ngettext
from routine.calendar import is_school_day
from routine.case_service import Outcome
from routine.task_service import hand_over

TRANSITIONS = {"whom": {"chosen": END, "none": END}}


async def ask_whom(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    assert staff is not None
    tasks = await ctx.uow.case_tasks.open_of_owner(staff.school_key, staff.staff_id)
    if not tasks:
        ctx.say(_("You have no open follow-up tasks to hand over."))
        return Go("none")
    colleagues = sorted(
        (s for s in await ctx.uow.staff.list_for_school(staff.school_key) if s != staff),
        key=lambda s: s.name,
    )
    question = ngettext(
        "You have {count} open follow-up task. Who takes it over?",
        "You have {count} open follow-up tasks. Who takes them over?",
        len(tasks),
    ).format(count=format_number(len(tasks)))
    return Prompt(question, tuple(Choice(s.staff_id, s.name) for s in colleagues))


async def answer_whom(ctx: Context, answer: Answer) -> Go:
    staff = ctx.actor.staff
    assert staff is not None
    to_id = answer.choice or ""
    result = await hand_over(ctx.uow, staff, staff.staff_id, to_id, ctx.now)
    if result.outcome is not Outcome.DONE:
        ctx.say(_("Someone changed these tasks just now. Please try again."))
        return Go("chosen")
    colleagues = {
        s.staff_id: s.name for s in await ctx.uow.staff.list_for_school(staff.school_key)
    }
    count = len(result.tasks)
    ctx.say(
        ngettext(
            "{count} task handed over to {name}. The case's log says so.",
            "{count} tasks handed over to {name}. The cases' logs say so.",
            count,
        ).format(count=format_number(count), name=colleagues.get(to_id, to_id))
    )
    if is_school_day(ctx.actor.school, ctx.today):
        await refresh_reminders(
            ctx.uow, ctx.actor.school, ctx.today, ctx.now, {staff.staff_id, to_id}
        )
    return Go("chosen")


FLOW = Flow(
    name="hand_over",
    title=N_("Hand over my tasks"),
    audience=frozenset({"staff"}),
    start="whom",
    steps={"whom": Step(ask_whom, answer_whom)},
    transitions=TRANSITIONS,
    offered=may_have_tasks,
)
