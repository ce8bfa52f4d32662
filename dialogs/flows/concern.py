"""A guardian says it is hard to get their child to school (the Norwegian routine's trigger 7).

It is recorded and reaches the mentor, who contacts the family, and it opens a case at once
(or is logged on the pupil's open one) in the same unit of work (`routine.concerns`). Nothing
more is asked in chat: the conversation about why belongs with a person (domain guide §6), and
the guardian is never told about cases.
"""

from __future__ import annotations

from dialogs.case_card import refresh_pupil_case
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Step
from dialogs.flows.common import answer_child, ask_child, child_name, tell_mentors
from dialogs.i18n import N_, _
from dialogs.notices import concern_reported
from routine.concerns import ConcernOutcome, guardian_concern_opens_case
from routine.guardian_requests import report_concern

TRANSITIONS = {
    "child": {"picked": "confirm", "none": END},
    "confirm": {"sent": END},
}


async def ask_confirm(ctx: Context) -> Prompt:
    text = _(
        "Thank you for telling us. Shall we let {name}'s mentor know, so that the school can "
        "contact you and find a way forward together?"
    ).format(name=await child_name(ctx))
    return Prompt(text, (Choice("send", _("Yes, please tell the school")),))


async def answer_confirm(ctx: Context, answer: Answer) -> Go:
    guardian = ctx.actor.guardian
    assert guardian is not None
    concern = await report_concern(
        ctx.uow, guardian=guardian, pupil_id=ctx.data["pupil_id"], now=ctx.now
    )
    outcome = await guardian_concern_opens_case(
        ctx.uow, ctx.actor.school, guardian, concern.pupil_id, ctx.now
    )
    if outcome in (ConcernOutcome.OPENED, ConcernOutcome.LOGGED):
        # The case's card to those who act on it, in the same unit of work.
        await refresh_pupil_case(ctx.uow, ctx.actor.school, concern.pupil_id, ctx.now)
    await tell_mentors(
        ctx,
        concern.pupil_id,
        lambda mentor, pupil: concern_reported(
            ctx.actor.school, mentor, pupil, guardian, str(concern.id), ctx.now
        ),
    )
    ctx.say(_("Thank you. The school will contact you soon."))
    return Go("sent")


FLOW = Flow(
    name="concern",
    title=N_("It is hard to get my child to school"),
    audience=frozenset({"guardian"}),
    start="child",
    steps={"child": Step(ask_child, answer_child), "confirm": Step(ask_confirm, answer_confirm)},
    transitions=TRANSITIONS,
)
