"""Presses on the buttons of a head's notice and of a step-3 prompt (dialogs/case_notices.py,
dialogs/case_steps.py).

`n.<notice id>.approve` approves the Danish notice to the parents, `n.<notice id>.council`
records that the municipal council was notified; `s3.<case id>` raises a Swedish case to step 3.
Only a head of the notice's school decides a notice, once; a press by anyone else, or a forged
or replayed button, changes nothing and is logged on the case.
"""

from __future__ import annotations

from dialogs.case_notices import NOTICE_ACTIONS, NOTICE_PREFIX, Decision, decide_notice
from dialogs.case_steps import STEP2, STEP3, STEP3_PREFIX, raise_to_step3, stage_name
from dialogs.flow import Context, StartFlow
from dialogs.i18n import _, ngettext
from dialogs.parsing import is_id
from routine.case_service import Outcome
from routine.notices_dk import NoticeKind

_KINDS = {action: kind for kind, (action, _label) in NOTICE_ACTIONS.items()}


def parse_notice(button_id: str) -> tuple[int, NoticeKind] | None:
    if not button_id.startswith(NOTICE_PREFIX):
        return None
    notice_id, _dot, action = button_id.removeprefix(NOTICE_PREFIX).partition(".")
    if not is_id(notice_id) or action not in _KINDS:
        return None
    return int(notice_id), _KINDS[action]


async def press_notice(ctx: Context, notice_id: int, kind: NoticeKind) -> StartFlow | None:
    staff = ctx.actor.staff
    if staff is None:
        ctx.say(_("This button has expired."))
        return None
    result = await decide_notice(ctx.uow, ctx.actor.school, notice_id, kind, staff, ctx.now)
    if result.decision is Decision.NOT_ALLOWED:
        ctx.say(_("This button has expired."))
    elif result.decision is Decision.ALREADY:
        if kind is NoticeKind.PARENTS:
            ctx.say(_("{name} has already approved this notice.").format(name=result.decided_by))
        else:
            ctx.say(_("{name} has already recorded this.").format(name=result.decided_by))
    elif kind is NoticeKind.COUNCIL:
        ctx.say(_("Recorded: the municipal council has been notified."))
    else:
        sent = ngettext(
            "Approved. The notice is being sent in chat to {count} parent.",
            "Approved. The notice is being sent in chat to {count} parents.",
            result.sent,
        ).format(count=result.sent)
        ctx.say(sent)
        if result.unreached:
            names = ", ".join(g.name for g in result.unreached)
            ctx.say(
                _("No chat reaches: {names}. Please send them a letter or call them.").format(
                    names=names
                )
            )
    return None


def parse_step3(button_id: str) -> tuple[int] | None:
    if not button_id.startswith(STEP3_PREFIX):
        return None
    case_id = button_id.removeprefix(STEP3_PREFIX)
    return (int(case_id),) if is_id(case_id) else None


async def press_step3(ctx: Context, case_id: int) -> StartFlow | None:
    staff = ctx.actor.staff
    if staff is None:
        ctx.say(_("This button has expired."))
        return None
    result = await raise_to_step3(ctx.uow, ctx.actor.school, case_id, staff, ctx.now)
    if result.done and result.pupil is not None:
        stage = stage_name(STEP3, ctx.locale)
        ctx.say(_("{pupil} is now at {stage}.").format(pupil=result.pupil.name, stage=stage))
    elif result.outcome is Outcome.REFUSED and result.pupil is not None:
        stage = stage_name(STEP2, ctx.locale)
        ctx.say(
            _("Nothing changed: {pupil} is no longer at {stage}.").format(
                pupil=result.pupil.name, stage=stage
            )
        )
    elif result.outcome is Outcome.MOVED:
        ctx.say(_("Someone changed this just now. Please try again."))
    else:
        ctx.say(_("This button has expired."))
    return None
