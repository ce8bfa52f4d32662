"""Acting on one case: every change by a person goes through `change_case`.

It reads the case and its pupil, checks that the person may act on it (`routine.cases.may_act`),
applies the change in memory, stores it with a compare-and-set on the case's version, and logs
the event, all in the caller's unit of work. A person who may not act (another school, not a
member, a forged or replayed button) changes nothing, and the refusal is logged on the case (an
audit trail of who tried), without what they sent.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from routine.cases import (
    Case,
    CaseEvent,
    CaseRefused,
    EventKind,
    may_act,
    may_see,
    staff_actor,
)
from routine.model import Pupil, StaffMember
from routine.ports import UnitOfWork


class Outcome(enum.StrEnum):
    DONE = "done"
    # Nothing to do: the change leaves the case as it was (a tick already there).
    UNCHANGED = "unchanged"
    # No such case, or not one this person may act on: the same answer for both.
    NOT_ALLOWED = "not_allowed"
    # The change is not possible in the case's state (closed, last stage, ...).
    REFUSED = "refused"
    # Someone else changed the case since it was read: read it again and retry.
    MOVED = "moved"


@dataclass(frozen=True)
class CaseResult:
    outcome: Outcome
    case: Case | None = None
    pupil: Pupil | None = None
    event: CaseEvent | None = None
    reason: str = ""
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.outcome is Outcome.DONE


async def case_for(uow: UnitOfWork, case_id: int, staff: StaffMember) -> tuple[Case, Pupil] | None:
    """The case and its pupil, if this member of staff may see it; None otherwise (no such
    case, or not theirs: the caller answers both alike)."""
    case = await uow.cases.get(case_id)
    if case is None or case.school_key != staff.school_key:
        return None
    pupil = await uow.pupils.get(case.school_key, case.pupil_id)
    if not may_see(staff, case, pupil):
        return None
    assert pupil is not None
    return case, pupil


async def change_case(
    uow: UnitOfWork,
    case_id: int,
    staff: StaffMember,
    change: Callable[[Case], Case],
    kind: EventKind,
    now: datetime,
    detail: Mapping[str, object] | None = None,
    *,
    allowed: Callable[[StaffMember, Case, Pupil | None], bool] = may_act,
) -> CaseResult:
    """Apply `change` to the case as `staff`, log `kind` with `detail`; see the module."""
    case = await uow.cases.get(case_id)
    if case is None or case.school_key != staff.school_key:
        return CaseResult(Outcome.NOT_ALLOWED)
    pupil = await uow.pupils.get(case.school_key, case.pupil_id)
    actor = staff_actor(staff.staff_id)
    if not allowed(staff, case, pupil):
        # Logged without what was sent: who tried, and what kind of change.
        refused = CaseEvent(case_id, now, EventKind.REFUSED, actor, {"tried": kind.value})
        await uow.cases.add_events([refused])
        return CaseResult(Outcome.NOT_ALLOWED)
    try:
        changed = change(case)
    except CaseRefused as refusal:
        return CaseResult(Outcome.REFUSED, case, pupil, reason=str(refusal))
    event_detail = dict(detail or {})
    if changed == case and kind not in _ALWAYS_LOGGED:
        return CaseResult(Outcome.UNCHANGED, case, pupil)
    stored = case
    if changed != case:
        updated = await uow.cases.update(changed)
        if updated is None:
            return CaseResult(Outcome.MOVED, case, pupil)
        stored = updated
    event = CaseEvent(case_id, now, kind, actor, event_detail)
    await uow.cases.add_events([event])
    return CaseResult(Outcome.DONE, stored, pupil, event, detail=event_detail)


# Events that are the change itself: a tick changes the log, not the case row.
_ALWAYS_LOGGED = frozenset(
    {
        EventKind.TICKED,
        EventKind.UNTICKED,
        EventKind.NOTED,
        EventKind.VIEWED,
        EventKind.NOTICE_APPROVED,
        EventKind.NOTICE_SENT,
        EventKind.COUNCIL_NOTIFIED,
        EventKind.TASK_DONE,
        EventKind.TASKS_HANDED,
        EventKind.LEARNING_ENVIRONMENT,
        EventKind.PLAN_SAVED,
        EventKind.PUPIL_AGREED,
        EventKind.FAMILY_UPDATED,
        EventKind.FAMILY_CONTACTED,
    }
)


def informing_pupil_health(now: datetime) -> Callable[[Case], Case]:
    def change(case: Case) -> Case:
        if case.health_informed_at is not None:
            return case
        return dataclasses.replace(case, health_informed_at=now)

    return change
