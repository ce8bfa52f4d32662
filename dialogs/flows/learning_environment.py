"""Staff record that a pupil's case has problems with the psychological learning environment.

Danish schools only: the principal must see to an action plan "senest ti arbejdsdage efter, at
der er modtaget oplysning om problemerne" (004: 2537–2546). From the menu ("Problems with the
learning environment") or /learningenvironment: pick the case, confirm; the log says so and the
principal gets a task due within 10 working days (routine.task_service.learning_environment).
"""

from __future__ import annotations

from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Step
from dialogs.flows.task_done import follows_cases
from dialogs.i18n import N_, _, format_short_day
from dialogs.labels import one_full_stop
from routine.case_service import Outcome
from routine.cases import may_act
from routine.model import Country
from routine.task_service import learning_environment

TRANSITIONS = {"pick": {"picked": "confirm", "none": END}, "confirm": {"done": END}}
YES, NO = "yes", "no"


async def ask_pick(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    assert staff is not None
    school = ctx.actor.school
    if school.country is not Country.DK:
        # The Danish rule (typed as a command elsewhere): no such command there.
        ctx.say(_("I don't know that command."))
        return Go("none")
    cases = await ctx.uow.cases.open_cases(school.key)
    pupils = {
        p.pupil_id: p
        for p in await ctx.uow.school_day.pupils(school.key, {c.pupil_id for c in cases})
    }
    mine = [c for c in cases if may_act(staff, c, pupils.get(c.pupil_id))]
    if not mine:
        ctx.say(_("There are no open cases you can act on."))
        return Go("none")
    choices = tuple(
        Choice(str(c.id), f"{pupils[c.pupil_id].name} ({pupils[c.pupil_id].class_name})")
        for c in sorted(mine, key=lambda c: pupils[c.pupil_id].name)
    )
    return Prompt(_("Which pupil's case?"), choices)


async def answer_pick(ctx: Context, answer: Answer) -> Go:
    ctx.data["case"] = int(answer.choice or 0)
    return Go("picked")


async def ask_confirm(ctx: Context) -> Prompt | Go:
    return Prompt(
        _(
            "Record that there are problems with the psychological learning environment? "
            "The principal is then to make an action plan within 10 working days."
        ),
        (Choice(YES, _("Yes, record it")), Choice(NO, _("No"))),
    )


async def answer_confirm(ctx: Context, answer: Answer) -> Go:
    staff = ctx.actor.staff
    if answer.choice != YES or staff is None:
        ctx.say(_("Nothing was recorded."))
        return Go("done")
    result = await learning_environment(
        ctx.uow, int(ctx.data.get("case", 0)), staff, ctx.now, ctx.today
    )
    if result.outcome is Outcome.DONE and result.task is not None:
        ctx.say(
            one_full_stop(
                _("Recorded in the case's log. The action plan is due {day}.").format(
                    day=format_short_day(result.task.due)
                )
            )
        )
    elif result.outcome is Outcome.DONE:
        ctx.say(_("Recorded in the case's log. The action plan was already set."))
    else:
        ctx.say(_("This button has expired."))
    return Go("done")


def _danish_case_staff(actor: Actor) -> bool:
    return actor.school.country is Country.DK and follows_cases(actor)


FLOW = Flow(
    name="learning_environment",
    title=N_("Problems with the learning environment"),
    audience=frozenset({"staff"}),
    start="pick",
    steps={"pick": Step(ask_pick, answer_pick), "confirm": Step(ask_confirm, answer_confirm)},
    transitions=TRANSITIONS,
    offered=_danish_case_staff,
)
