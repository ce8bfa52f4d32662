"""Presses on buttons outside a flow, dispatched through one table of button prefixes.

Messages the bot sent earlier (a roll call, an unreported-absence prompt, a contact request, a
leave request) carry buttons whose id begins with a prefix naming their kind: `r.`, `p.`, ...
The engine looks the prefix up here and hands the press to that kind's module, which checks it
against who is pressing and either answers at once or names a flow to start. A new kind of
message adds one row to `ACTIONS`, not a branch to the engine.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from dialogs import (
    case_actions,
    contact_actions,
    family_updates,
    leave_actions,
    notice_actions,
    plan_actions,
    prompts,
    staff_actions,
    task_actions,
)
from dialogs.case_card import CASE_PREFIX
from dialogs.case_notices import NOTICE_PREFIX
from dialogs.case_reminders import TASK_PREFIX
from dialogs.case_steps import STEP3_PREFIX
from dialogs.flow import Context, StartFlow
from dialogs.leave_notices import LEAVE_PREFIX
from dialogs.live import FOLLOW_UP_PREFIX, ROLL_CALL_PREFIX
from dialogs.notices import CONTACT_PREFIX
from dialogs.plan_notices import PLAN_PREFIX, WRITE_PREFIX


@dataclass(frozen=True)
class Action:
    """How one kind of button is read (None: not a button of this kind, or malformed) and
    what a press does."""

    parse: Callable[[str], tuple[Any, ...] | None]
    press: Callable[..., Awaitable[StartFlow | None]]


ACTIONS: dict[str, Action] = {
    prompts.PREFIX: Action(prompts.parse, prompts.press),
    CONTACT_PREFIX: Action(contact_actions.parse, contact_actions.press),
    ROLL_CALL_PREFIX: Action(staff_actions.parse, staff_actions.press),
    FOLLOW_UP_PREFIX: Action(staff_actions.parse, staff_actions.press),
    LEAVE_PREFIX: Action(leave_actions.parse, leave_actions.press),
    NOTICE_PREFIX: Action(notice_actions.parse_notice, notice_actions.press_notice),
    STEP3_PREFIX: Action(notice_actions.parse_step3, notice_actions.press_step3),
    TASK_PREFIX: Action(task_actions.parse, task_actions.press),
    CASE_PREFIX: Action(case_actions.parse, case_actions.press),
    PLAN_PREFIX: Action(plan_actions.parse, plan_actions.press),
    WRITE_PREFIX: Action(plan_actions.parse_write, plan_actions.press_write),
    family_updates.PREFIX: Action(family_updates.parse, family_updates.press),
}


def prefix_of(button_id: str) -> str:
    return button_id[: button_id.find(".") + 1]


async def press(ctx: Context, button_id: str) -> tuple[bool, StartFlow | None]:
    """Whether the button is one of these kinds, and the flow its press starts, if any."""
    action = ACTIONS.get(prefix_of(button_id))
    parsed = None if action is None else action.parse(button_id)
    if action is None or parsed is None:
        return False, None
    return True, await action.press(ctx, *parsed)
