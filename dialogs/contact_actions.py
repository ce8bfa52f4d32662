"""[I'll take it] and [Done] under a contact request that reached a mentor.

The buttons carry `c.<request id>.<action>`; a press counts only from staff who may see the
pupil's class, so a forwarded or forged button does nothing.
"""

from __future__ import annotations

from dialogs.flow import Context
from dialogs.i18n import _
from dialogs.notices import (
    CONTACT_ACTIONS,
    CONTACT_PREFIX,
    GUARDIAN_PLATFORM,
    contact_taken,
)
from dialogs.parsing import is_id
from routine.access import visible_classes
from routine.guardian_requests import complete_contact_request, take_contact_request
from routine.model import Role
from routine.requests import ContactRequest


def parse(button_id: str) -> tuple[int, str] | None:
    if not button_id.startswith(CONTACT_PREFIX):
        return None
    request_id, _dot, action = button_id.removeprefix(CONTACT_PREFIX).partition(".")
    if not is_id(request_id) or action not in CONTACT_ACTIONS:
        return None
    return int(request_id), action


async def press(ctx: Context, request_id: int, action: str) -> None:
    staff = ctx.actor.staff
    request = await ctx.uow.contact_requests.get(request_id)
    if staff is None or request is None or not await _may_see(ctx, request):
        ctx.say(_("This button has expired."))
        return
    if action == "take":
        taken = await take_contact_request(
            ctx.uow, request_id=request_id, staff=staff, now=ctx.now
        )
        if taken is None:
            await _say_who_has_it(ctx, request_id)
            return
        await tell_guardian_taken(ctx, taken)
        ctx.say(_("You have taken the request. The guardian is told that you will contact them."))
    else:
        done = await complete_contact_request(
            ctx.uow, request_id=request_id, staff=staff, now=ctx.now
        )
        ctx.say(
            _("Marked as done.") if done else _("Someone else has already taken that request.")
        )


async def _say_who_has_it(ctx: Context, request_id: int) -> None:
    """A press that did not take the request: a double press by the one who took it hears
    that they have it, not that someone else does."""
    staff = ctx.actor.staff
    current = await ctx.uow.contact_requests.get(request_id)
    if staff is not None and current is not None and current.taken_by == staff.staff_id:
        ctx.say(_("You have already taken this request."))
    else:
        ctx.say(_("Someone else has already taken that request."))


async def _may_see(ctx: Context, request: ContactRequest) -> bool:
    staff = ctx.actor.staff
    assert staff is not None
    pupil = await ctx.uow.pupils.get(request.school_key, request.pupil_id)
    if pupil is None or request.school_key != staff.school_key:
        return False
    if request.escalated_at is not None and staff.has_role(Role.COORDINATOR):
        # Escalated requests went to the coordinators, whatever their classes.
        return True
    school_classes = [c.name for c in await ctx.uow.classes.list_for(staff.school_key)]
    return pupil.class_name in visible_classes(staff, school_classes)


async def tell_guardian_taken(ctx: Context, request: ContactRequest) -> None:
    """The guardian hears who took their request, in every chat that reaches them."""
    staff = ctx.actor.staff
    guardian = await ctx.uow.guardians.get(request.school_key, request.guardian_id)
    pupil = await ctx.uow.pupils.get(request.school_key, request.pupil_id)
    if staff is None or guardian is None or pupil is None:
        return
    for account in await ctx.uow.accounts.list_for_person(
        request.school_key, "guardian", guardian.guardian_id
    ):
        if account.platform == GUARDIAN_PLATFORM and account.reachable:
            await ctx.uow.outbox.add(
                contact_taken(guardian, account, staff, pupil, request, ctx.now)
            )
