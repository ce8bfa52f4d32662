"""The coordinator writes their own "nothing new" update to a family, in one form.

Started from [Write my own] on the prompt (dialogs/family_updates.py), with the ready message
as a start. The text is sent as typed to every chat that reaches the pupil's guardians, and the
update is logged on the case (that it was sent, not its text).
"""

from __future__ import annotations

from dialogs.events import Form, FormField
from dialogs.family_updates import ready_message, send_update
from dialogs.flow import END, Actor, Answer, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _
from routine.cases import may_act

TRANSITIONS = {"write": {"sent": END, "gone": END}}
CASE, TEXT = "case", "text"
MAX_TEXT = 1000


async def ask_text(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    assert staff is not None
    case = await ctx.uow.cases.get(int(ctx.data.get(CASE, 0)))
    pupil = None if case is None else await ctx.uow.pupils.get(case.school_key, case.pupil_id)
    if case is None or pupil is None or not may_act(staff, case, pupil):
        ctx.say(_("This case is closed or no longer yours."))
        return Go("gone")
    start = ctx.data.get(TEXT) or ready_message(ctx.actor.school, pupil)
    form = Form(
        id="family_update",
        title=_("Update to the family"),
        fields=(
            FormField(
                TEXT,
                _("Your message (sent as written; no health details)"),
                multiline=True,
                initial=(start,),
            ),
        ),
        submit_label=_("Send"),
    )
    return Prompt(
        _("Write your update to the family of {pupil}.").format(pupil=pupil.name), form=form
    )


async def answer_text(ctx: Context, answer: Answer) -> Go | Retry:
    text = ((answer.form or {}).get(TEXT) or "").strip()
    if not text:
        return Retry(_("Please write the message."))
    if len(text) > MAX_TEXT:
        ctx.data[TEXT] = text
        return Retry(_("Please keep the message under 1000 characters."))
    await send_update(ctx, int(ctx.data[CASE]), text)
    return Go("sent")


def _never_in_the_menu(_actor: Actor) -> bool:
    # Started from [Write my own] on a prompt, never from the menu.
    return False


FLOW = Flow(
    name="family_update",
    title=N_("Update to the family"),
    audience=frozenset({"staff"}),
    start="write",
    steps={"write": Step(ask_text, answer_text)},
    transitions=TRANSITIONS,
    offered=_never_in_the_menu,
)
