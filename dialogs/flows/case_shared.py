"""What the steps of the case flow (dialogs/flows/case.py) share: the keys of its data, the case
of the conversation (its first showing logged), and the answer when it is gone."""

from __future__ import annotations

from dialogs.case_actions import CASE, CLOSING, LEAVING, NOTING, QUESTIONS
from dialogs.flow import Context, Go
from dialogs.i18n import _
from routine.case_service import case_for, change_case
from routine.cases import Case, EventKind, may_see

# The case whose viewing is logged already in this conversation.
VIEWED = "viewed"
# The stage whose questions are shown: a tick counts only while the case is at it.
STAGE = "stage"
# What was typed into a note that could not be saved as it was, offered again to correct.
DRAFT = "note_draft"
YES, NO = "yes", "no"


def expired(ctx: Context, said: str | None = None) -> Go:
    """The flow ends, saying so (a button of a case the person may no longer see or act on)."""
    ctx.say(said if said is not None else _("This button has expired."))
    for key in (CASE, QUESTIONS, CLOSING, VIEWED, STAGE, NOTING, DRAFT, LEAVING):
        ctx.data.pop(key, None)
    return Go("gone")


async def current_case(ctx: Context) -> Case | None:
    """The case of this conversation, if the person may see it; its first showing is logged
    (and an attempt by someone who may not, as refused)."""
    staff, case_id = ctx.actor.staff, ctx.data.get(CASE)
    if staff is None or not isinstance(case_id, int):
        return None
    if ctx.data.get(VIEWED) != case_id:
        viewed = await change_case(
            ctx.uow, case_id, staff, same, EventKind.VIEWED, ctx.now, allowed=may_see
        )
        if not viewed.done:
            return None
        ctx.data[VIEWED] = case_id
    found = await case_for(ctx.uow, case_id, staff)
    return found[0] if found is not None else None


def same(case: Case) -> Case:
    return case
