"""[Grant] and [Refuse] under a leave request that reached a decider.

The buttons carry `l.<request id>.<action>`. A press counts only from staff with the role the
school file names to decide leave, of the request's school, so a forwarded or forged button
does nothing; a press on a request already decided says who decided it.
"""

from __future__ import annotations

from dialogs.flow import Context, StartFlow
from dialogs.flows.leave_decision import say_decided
from dialogs.i18n import _
from dialogs.leave_notices import LEAVE_ACTIONS, LEAVE_PREFIX
from dialogs.parsing import is_id
from routine.leave import LeaveStatus, is_decider


def parse(button_id: str) -> tuple[int, str] | None:
    if not button_id.startswith(LEAVE_PREFIX):
        return None
    request_id, _dot, action = button_id.removeprefix(LEAVE_PREFIX).partition(".")
    if not is_id(request_id) or action not in LEAVE_ACTIONS:
        return None
    return int(request_id), action


async def press(ctx: Context, request_id: int, action: str) -> StartFlow | None:
    staff = ctx.actor.staff
    request = await ctx.uow.leave_requests.get(request_id)
    if (
        staff is None
        or request is None
        or request.school_key != staff.school_key
        or not is_decider(staff, ctx.actor.school)
    ):
        ctx.say(_("This button has expired."))
        return None
    if request.status is not LeaveStatus.PENDING:
        await say_decided(ctx, request)
        return None
    return StartFlow("leave_decision", {"leave_request": request_id, "grant": action == "grant"})
