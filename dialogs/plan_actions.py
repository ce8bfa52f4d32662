"""[Plan] on a case's card, [Confirm] under the guardians' copy of a plan, and [The pupil
agrees] under staff's.

The buttons carry `a.<plan id>.<action>`. A confirmation counts only from a guardian linked to
the plan's pupil, and only for the plan's latest version (an older copy says a newer one was
sent); the pupil's agreement only from staff who may act on the case. Anything else, a forged
or forwarded button included, changes nothing. Both are recorded once and logged on the case.
"""

from __future__ import annotations

from dialogs.flow import Context, StartFlow
from dialogs.i18n import _
from dialogs.parsing import is_id
from dialogs.plan_notices import CONFIRM, PLAN_PREFIX, PUPIL_AGREES, WRITE_PREFIX
from routine.case_service import Outcome, change_case
from routine.cases import CaseEvent, EventKind, guardian_actor, may_act, staff_actor
from routine.plans import Plan

ACTIONS = (CONFIRM, PUPIL_AGREES)


def parse_write(button_id: str) -> tuple[int] | None:
    case_id = button_id.removeprefix(WRITE_PREFIX)
    if not button_id.startswith(WRITE_PREFIX) or not is_id(case_id):
        return None
    return (int(case_id),)


async def press_write(ctx: Context, case_id: int) -> StartFlow | None:
    """[Plan] on a case's card: the form, for those who may act on the case."""
    staff = ctx.actor.staff
    case = await ctx.uow.cases.get(case_id)
    if staff is not None and case is not None and case.school_key == staff.school_key:
        pupil = await ctx.uow.pupils.get(case.school_key, case.pupil_id)
        if may_act(staff, case, pupil):
            return StartFlow("case_plan", {"case": case_id})
        # Who tried, on which case; nothing of what they sent.
        refused = CaseEvent(
            case_id, ctx.now, EventKind.REFUSED, staff_actor(staff.staff_id), {"tried": "plan"}
        )
        await ctx.uow.cases.add_events([refused])
    ctx.say(_("This case is closed or no longer yours."))
    return None


def parse(button_id: str) -> tuple[int, str] | None:
    if not button_id.startswith(PLAN_PREFIX):
        return None
    plan_id, _dot, action = button_id.removeprefix(PLAN_PREFIX).partition(".")
    if not is_id(plan_id) or action not in ACTIONS:
        return None
    return int(plan_id), action


async def press(ctx: Context, plan_id: int, action: str) -> StartFlow | None:
    plan = await ctx.uow.plans.get(plan_id)
    if plan is None or plan.school_key != ctx.actor.school.key:
        ctx.say(_("This button has expired."))
    elif action == CONFIRM:
        await _confirm(ctx, plan)
    else:
        await _pupil_agrees(ctx, plan)
    return None


async def _latest(ctx: Context, plan: Plan) -> bool:
    latest = (await ctx.uow.plans.latest_of([plan.case_id])).get(plan.case_id)
    return latest is not None and latest.id == plan.id


async def _confirm(ctx: Context, plan: Plan) -> None:
    guardian = ctx.actor.guardian
    case = await ctx.uow.cases.get(plan.case_id)
    if guardian is None or case is None or case.pupil_id not in guardian.pupil_ids:
        ctx.say(_("This button has expired."))
        return
    if not await _latest(ctx, plan):
        ctx.say(_("The school has sent a newer version of this plan. Please look at that one."))
        return
    if not await ctx.uow.plans.confirm(plan.id or 0, guardian.guardian_id, ctx.now):
        ctx.say(_("You have already confirmed this plan. Thank you."))
        return
    event = CaseEvent(
        plan.case_id,
        ctx.now,
        EventKind.PLAN_CONFIRMED,
        guardian_actor(guardian.guardian_id),
        {"version": plan.version},
    )
    await ctx.uow.cases.add_events([event])
    ctx.say(_("Thank you. The school can see that you have confirmed the plan."))


async def _pupil_agrees(ctx: Context, plan: Plan) -> None:
    staff = ctx.actor.staff
    if staff is None:
        ctx.say(_("This button has expired."))
        return
    if not await _latest(ctx, plan):
        ctx.say(_("This plan has a newer version. Please record the agreement on that one."))
        return
    result = await change_case(
        ctx.uow,
        plan.case_id,
        staff,
        lambda c: c,
        EventKind.PUPIL_AGREED,
        ctx.now,
        {"version": plan.version},
    )
    if result.outcome is not Outcome.DONE:
        ctx.say(_("This button has expired."))
        return
    if not await ctx.uow.plans.record_pupil_agreement(plan.id or 0, staff.staff_id, ctx.now):
        # Logged already by someone else: undo nothing, say so.
        ctx.say(_("The pupil's agreement to this plan was already recorded."))
        return
    ctx.say(_("Recorded: the pupil agrees to the plan."))
