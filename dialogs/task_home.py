"""The tovholder's tasks on the Home tab and under /today: what is overdue and what is due this
week, each line with its [Done] button (the same as under the morning reminder)."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.case_reminders import done_button, load_world, task_line
from dialogs.events import Button
from dialogs.i18n import _
from routine.model import School, StaffMember
from routine.ports import UnitOfWork

SUNDAY = 6


async def my_tasks(
    uow: UnitOfWork, school: School, staff: StaffMember, today: date
) -> tuple[list[str], list[Button]]:
    """Lines and buttons for the person's open tasks due by Sunday; nothing if none."""
    week_end = today + timedelta(days=SUNDAY - today.weekday())
    world = await load_world(uow, school, week_end)
    mine = [t for t in world.tasks if t.owner_id == staff.staff_id]
    if not mine:
        return [], []
    lines = [_("Your follow-up tasks this week and overdue:")]
    buttons = []
    for number, task in enumerate(mine, start=1):
        case = world.cases.get(task.case_id)
        lines.append(task_line(school, number, task, case, world.pupils, today))
        button = done_button(task, number, today)
        buttons.append(Button(button.id, button.label))
    return lines, buttons
