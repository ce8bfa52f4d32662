"""A staff member's day at a glance: what the App Home tab and `/narvaro` show above the menu.

Roll calls still to take (with their buttons), pupils absent without a report and where their
follow-up stands, and open contact requests, for the classes the person may see (§6).
"""

from __future__ import annotations

from dialogs.events import Button, Reply
from dialogs.flow import Context
from dialogs.follow_up_list import load_follow_up_day
from dialogs.i18n import _, format_day, format_number
from dialogs.live import ROLL_CALL_ACTIONS, roll_call_button
from dialogs.my_cases import my_cases_summary
from dialogs.task_home import my_tasks
from routine.access import visible_classes
from routine.calendar import is_school_day
from routine.follow_up import LineState
from routine.model import Pupil
from routine.requests import RequestStatus
from routine.roll_call import RollCallStatus, editable


async def staff_today(ctx: Context) -> Reply | None:
    staff, school = ctx.actor.staff, ctx.actor.school
    if staff is None:
        return None
    school_classes = [c.name for c in await ctx.uow.classes.list_for(school.key)]
    classes = visible_classes(staff, school_classes)
    lines = [_("Today, {day}").format(day=format_day(ctx.today))]
    task_lines, task_buttons = await my_tasks(ctx.uow, school, staff, ctx.today)
    # The cases waiting for the person, on every day: a meeting may fall on a holiday.
    case_lines, case_buttons = await my_cases_summary(ctx)
    if not is_school_day(school, ctx.today):
        lines.append(_("There is no school today."))
        lines.extend([*case_lines, *task_lines])
        return Reply("\n".join(lines), buttons=(*case_buttons, *task_buttons))
    buttons = await _roll_calls(ctx, classes, lines)
    pupils = await ctx.uow.pupils.list_for_classes(school.key, classes)
    await _follow_ups(ctx, pupils, lines)
    # Open: nobody has taken them yet (those taken are on someone's desk).
    requests = [
        r
        for r in await ctx.uow.contact_requests.list_open(school.key, [p.pupil_id for p in pupils])
        if r.status is RequestStatus.OPEN
    ]
    lines.append(_("Open contact requests: {count}").format(count=format_number(len(requests))))
    lines.extend([*case_lines, *task_lines])
    return Reply("\n".join(lines), buttons=(*buttons, *case_buttons, *task_buttons))


async def _roll_calls(ctx: Context, classes: list[str], lines: list[str]) -> list[Button]:
    """Only the person's own classes: a principal sees the school, but takes no roll call."""
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    own = [c for c in classes if c in staff.classes]
    waiting, buttons = [], []
    for class_name in own:
        roll_call = await ctx.uow.roll_calls.find(school.key, class_name, ctx.today)
        if roll_call is None or roll_call.status is RollCallStatus.SUBMITTED:
            continue
        if not editable(school, roll_call, ctx.now):
            continue
        waiting.append(class_name)
        assert roll_call.id is not None
        button = roll_call_button(roll_call.id, "open")
        label = f"{ROLL_CALL_ACTIONS['open']}: {class_name}"
        buttons.append(Button(button.id, label))
    if waiting:
        lines.append(_("Roll calls to take: {classes}").format(classes=", ".join(waiting)))
    elif own:
        lines.append(_("Your roll calls are in, or not open yet."))
    return buttons


async def _follow_ups(ctx: Context, pupils: list[Pupil], lines: list[str]) -> None:
    visible = {p.pupil_id for p in pupils}
    view = await load_follow_up_day(ctx.uow, ctx.actor.school, ctx.today)
    follow_ups = [f for f in view.current() if f.pupil_id in visible]
    if not follow_ups:
        lines.append(_("Absent without a report: nobody so far."))
        return
    waiting = (LineState.WAITING, LineState.NOT_REACHED)
    open_ones = [view.pupils[f.pupil_id].name for f in follow_ups if view.state(f) in waiting]
    lines.append(
        _("Absent without a report: {count}, of whom still to contact: {names}").format(
            count=format_number(len(follow_ups)), names=", ".join(sorted(open_ones)) or "–"
        )
    )
