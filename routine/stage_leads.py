"""Who leads a case's stage when it moves there, and who is told that the stage is theirs.

- A stage the principal owns (SE step 3, 000: 478; NO the multidisciplinary meeting and the
  referral, 002: 736–738, domain §6) is led by the principal who moved it there, else by the
  principal who already leads the case, else by one appointed as at the opening.
- A stage the coordinator owns (NO concern; DK mapping and measures) is led by the case's own
  coordinator: the *tovholder* appointed from the start coordinates the mapping and the
  measures and stays (004: 993–1020, 1636–1639, 2205–2207).
- A stage a mentor owns is led by a mentor of the pupil's class.

Nobody with the role: the case keeps whoever led it. Whoever led the stage before stays on the
case as a member.

Told (`told_stage`): when a case reaches a stage after its first, the principals of the school
(a principal's stage) or the case's coordinator (a coordinator's stage) get the case's card as
a new message, once per case and stage. The first stage's owner and coordinator got the card
when the case was opened.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from routine.cases import Case, advance, appoint, with_member
from routine.model import Pupil, Role, StaffMember
from routine.stages import STAGES, country_of, stage_owner


def stage_lead(
    stage: str, actor: StaffMember, case: Case, pupil: Pupil | None, staff: Sequence[StaffMember]
) -> str:
    """Who leads `stage` of this case; see the module."""
    role = stage_owner(stage)
    if role is Role.COORDINATOR and case.coordinator_id:
        return case.coordinator_id
    holders = {
        s.staff_id
        for s in staff
        if s.has_role(role)
        and s.school_key == case.school_key
        and (role is not Role.MENTOR or (pupil is not None and pupil.class_name in s.classes))
    }
    if actor.staff_id in holders:
        return actor.staff_id
    if case.owner_id in holders:
        return case.owner_id
    appointed = appoint(role, pupil, staff) if pupil is not None else ""
    return appointed or case.owner_id


def moved_on(current: Case, lead: str) -> Case:
    """The case at its next stage, led by `lead`; the former owner stays as a member."""
    moved = advance(current)
    if current.owner_id and current.owner_id != lead:
        moved = with_member(moved, current.owner_id)
    return dataclasses.replace(moved, owner_id=lead)


def is_told(stage: str, case: Case, member: StaffMember) -> bool:
    """Whether reaching `stage` (after the first) tells this member of staff."""
    role = stage_owner(stage)
    if role is Role.PRINCIPAL:
        return member.has_role(Role.PRINCIPAL)
    if role is Role.COORDINATOR:
        return bool(case.coordinator_id) and member.staff_id == case.coordinator_id
    return False


def told_stage(case: Case, member: StaffMember) -> str | None:
    """The latest stage after the first, up to the case's own, at which this member of staff
    was told the stage is theirs; None if at none. Stages only move forward, so this follows
    from the case alone."""
    order = STAGES[country_of(case.stage)]
    reached = order[1 : order.index(case.stage) + 1]
    return next((s for s in reversed(reached) if is_told(s, case, member)), None)
