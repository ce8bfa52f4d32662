"""[Done: 1] under a line of the morning reminder of a case's tasks (dialogs/case_reminders.py).

The button carries `t.<task id>.done.<YYYYMMDD>`, the day naming the reminder the press renders
again. A press counts only from staff of the task's school; the flow it starts
(dialogs/flows/task_done.py) checks that the person may act on the case, so a forwarded or
forged button does nothing.
"""

from __future__ import annotations

from datetime import date

from dialogs.case_reminders import TASK_PREFIX
from dialogs.flow import Context, StartFlow
from dialogs.i18n import _
from dialogs.parsing import is_id

DAY_DIGITS = 8


def parse(button_id: str) -> tuple[int, date] | None:
    if not button_id.startswith(TASK_PREFIX):
        return None
    parts = button_id.removeprefix(TASK_PREFIX).split(".")
    if len(parts) != 3:
        return None
    task_id, action, day = parts
    if not is_id(task_id) or action != "done" or len(day) != DAY_DIGITS or not day.isdecimal():
        return None
    try:
        return int(task_id), date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None


async def press(ctx: Context, task_id: int, day: date) -> StartFlow | None:
    staff = ctx.actor.staff
    task = await ctx.uow.case_tasks.get(task_id)
    if staff is None or task is None or task.school_key != staff.school_key:
        ctx.say(_("This button has expired."))
        return None
    return StartFlow("task_done", {"task": task_id, "day": day.isoformat()})
