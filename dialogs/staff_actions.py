"""The buttons under the roll-call message and the mentor's follow-up list.

They carry `r.<roll call id>.<action>` and `f.<follow-up id>.contact`. A press counts only from
staff who may see the class, so a forwarded or forged button does nothing. Most presses open a
form (a flow started with the roll call or follow-up in hand); "Nobody else is absent" saves
the roll call as the guardians' reports have it, at once.
"""

from __future__ import annotations

from dialogs.flow import Context, Retry, StartFlow
from dialogs.flows import roll_call as roll_call_flow
from dialogs.i18n import _
from dialogs.live import (
    CONTACT_ACTION,
    FOLLOW_UP_PREFIX,
    ROLL_CALL_ACTIONS,
    ROLL_CALL_PREFIX,
    roll_call_state,
)
from dialogs.parsing import is_id
from routine.roll_call import RollCallStatus


def parse(button_id: str) -> tuple[str, int, str] | None:
    for prefix, actions in (
        (ROLL_CALL_PREFIX, set(ROLL_CALL_ACTIONS)),
        (FOLLOW_UP_PREFIX, {CONTACT_ACTION}),
    ):
        if button_id.startswith(prefix):
            item, _dot, action = button_id.removeprefix(prefix).partition(".")
            if is_id(item) and action in actions:
                return prefix, int(item), action
    return None


async def press(ctx: Context, prefix: str, item_id: int, action: str) -> StartFlow | None:
    if ctx.actor.staff is None:
        ctx.say(_("This button has expired."))
        return None
    if prefix == FOLLOW_UP_PREFIX:
        return StartFlow("guardian_contact", {"follow_up": item_id})
    if action != "confirm":
        return StartFlow("roll_call", {"roll_call": item_id})
    await _confirm(ctx, item_id)
    return None


async def _confirm(ctx: Context, roll_call_id: int) -> None:
    """As the guardians reported it; a roll call already submitted is left as it is. Whatever
    the person was doing meanwhile (`ctx.data`) is left alone."""
    roll_call = await roll_call_flow.current(ctx, roll_call_id)
    if roll_call is None:
        return
    if roll_call.status is RollCallStatus.SUBMITTED:
        ctx.say(
            _("The roll call for class {name} is already in.").format(name=roll_call.class_name)
        )
        return
    _pupils, reported, _marked = await roll_call_state(ctx.uow, roll_call)
    result = await roll_call_flow.save(ctx, roll_call, reported)
    if isinstance(result, Retry):
        ctx.say(result.message)
