"""Cases: the routine after step 1, one per pupil at a time, guided stage by stage.

A *case* is opened when a counting rule holds for a pupil (`routine.thresholds.RuleHit`), when
a guardian says it is hard to get their child to school, or when a member of staff is worried
about a pupil. It moves through its country's stages (`routine.stages`), has an owner (the
stage's owner role), a coordinator (the Danish *tovholder*, appointed from the start, who stays
when the case is referred: 004: 774–775, 993–1020, 1740) and members, and keeps a log of who
did what and when (`CaseEvent`), with the numbers of every rule hit behind it. "Follow-up" is
the step-1 record (`routine.follow_up`); nothing here uses that name.

Opening is decided in memory for a whole school at once (`decide_openings`):

- a pupil has at most one open case; a trigger for a pupil with an open case is logged on it,
  once per rule (rolling windows hold night after night, and the case must open only once);
- after a case is closed, a rule hit whose window began on or before the closing day is
  evidence the closing already weighed, so it opens nothing; a later window, a concern or a
  worried member of staff opens a new case, and the old one keeps its history.

Who sees a case (`may_see`): its owner, coordinator and members, the mentors of the pupil's
class, the school's principals, and pupil health once informed. Items only the principal sees
(a report to social services, domain guide §6) are `routine.guides` items marked
principal_only (`may_see_item`).
"""

from __future__ import annotations

import dataclasses
import enum
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from routine.model import Pupil, Role, School, StaffMember
from routine.stages import country_of, first_stage, next_stage, stage_owner


class CaseStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class Origin(enum.StrEnum):
    """What opened a case or was logged on it."""

    RULE = "rule"
    GUARDIAN_CONCERN = "guardian_concern"
    STAFF_CONCERN = "staff_concern"
    BY_HAND = "by_hand"


class EventKind(enum.StrEnum):
    OPENED = "opened"
    # A rule held, or a concern was raised, for a pupil whose case was open.
    TRIGGER = "trigger"
    STAGE_CHANGED = "stage_changed"
    TICKED = "ticked"
    UNTICKED = "unticked"
    # A note on a conversation question that is not covered-only (routine.case_notes).
    NOTED = "noted"
    MEMBER_ADDED = "member_added"
    COORDINATOR_SET = "coordinator_set"
    OWNER_SET = "owner_set"
    PUPIL_HEALTH_INFORMED = "pupil_health_informed"
    NOTICE_APPROVED = "notice_approved"
    NOTICE_SENT = "notice_sent"
    COUNCIL_NOTIFIED = "council_notified"
    # The plan (routine.plans): a version saved, confirmed by a guardian, agreed by the pupil.
    PLAN_SAVED = "plan_saved"
    PLAN_CONFIRMED = "plan_confirmed"
    PUPIL_AGREED = "pupil_agreed"
    # The family heard from the school: an update sent, or staff talked with them.
    FAMILY_UPDATED = "family_updated"
    FAMILY_CONTACTED = "family_contacted"
    VIEWED = "viewed"
    # A press or command on the case by someone who may not act on it; nothing changed.
    REFUSED = "refused"
    CLOSED = "closed"
    REOPENED = "reopened"
    # A dated task of the case (routine.case_tasks) done: what happened, and whether the plan
    # is to be adjusted (the learning circle, 004: 2391–2432).
    TASK_DONE = "task_done"
    # Tasks of the case handed from one member of staff to another (leave, absence).
    TASKS_HANDED = "tasks_handed"
    # Staff recorded that problems with the psychological learning environment are found
    # (004: 2537–2546): an action plan is due within 10 working days.
    LEARNING_ENVIRONMENT = "learning_environment"


@dataclass(frozen=True)
class Case:
    school_key: str
    pupil_id: str
    stage: str
    opened_at: datetime
    # What opened it: an Origin, with the rule id for a rule ("rule:se.step2").
    opened_by: str
    owner_id: str = ""
    coordinator_id: str = ""
    members: tuple[str, ...] = ()
    status: CaseStatus = CaseStatus.OPEN
    health_informed_at: datetime | None = None
    closed_at: datetime | None = None
    # Compare-and-set: an update is stored only if nobody changed the case since it was read.
    version: int = 1
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is CaseStatus.OPEN

    def involves(self, staff_id: str) -> bool:
        return staff_id in (self.owner_id, self.coordinator_id) or staff_id in self.members


@dataclass(frozen=True)
class CaseEvent:
    case_id: int
    at: datetime
    kind: EventKind
    # Who: "staff:<id>", "guardian:<id>", or "rule:<rule id>" / "system".
    actor: str
    # What, without free text about health or home: a rule's numbers, an item id, a stage.
    detail: Mapping[str, object] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class Trigger:
    """Something that opens a case, or is logged on the open one."""

    pupil_id: str
    origin: Origin
    at: datetime
    actor: str
    rule_id: str = ""
    numbers: Mapping[str, float] = field(default_factory=dict)
    window_start: date | None = None
    window_end: date | None = None
    # What a member of staff saw (routine.concerns.StaffConcernKind), for a staff concern.
    kind: str = ""

    @property
    def reason(self) -> str:
        """What the log keeps once per case: the rule, or the origin of a concern with what
        was seen ("staff_concern:leaves_lessons")."""
        if self.origin is Origin.RULE:
            return f"rule:{self.rule_id}"
        return f"{self.origin.value}:{self.kind}" if self.kind else self.origin.value

    def detail(self) -> dict[str, object]:
        found: dict[str, object] = {"reason": self.reason}
        if self.kind:
            found["kind"] = self.kind
        if self.numbers:
            found["numbers"] = dict(self.numbers)
        if self.window_start is not None and self.window_end is not None:
            found["window"] = [self.window_start.isoformat(), self.window_end.isoformat()]
        return found


def staff_actor(staff_id: str) -> str:
    return f"staff:{staff_id}"


def guardian_actor(guardian_id: str) -> str:
    return f"guardian:{guardian_id}"


def rule_actor(rule_id: str) -> str:
    return f"rule:{rule_id}"


@dataclass(frozen=True)
class Openings:
    """What a school's triggers do: new cases (each with the trigger that opened it), and
    triggers logged on open cases."""

    new: list[tuple[Case, Trigger]] = field(default_factory=list)
    logged: list[CaseEvent] = field(default_factory=list)
    # Triggers that changed nothing: a reason already logged on the open case, a window the
    # last closing weighed, or a pupil no longer at the school.
    unchanged: int = 0


def decide_openings(
    school: School,
    pupils: Mapping[str, Pupil],
    staff: Sequence[StaffMember],
    open_cases: Mapping[str, Case],
    last_closed: Mapping[str, Case],
    logged_reasons: Mapping[int, set[str]],
    triggers: Iterable[Trigger],
) -> Openings:
    """For one school, in memory: which triggers open a case and which are logged on one.
    `open_cases` and `last_closed` are by pupil id; `logged_reasons` by case id."""
    result = Openings()
    unchanged = 0
    load = Counter(c.coordinator_id for c in open_cases.values() if c.coordinator_id)
    opening: dict[str, tuple[Case, Trigger]] = {}
    seen: dict[int, set[str]] = {k: set(v) for k, v in logged_reasons.items()}
    for trigger in sorted(triggers, key=lambda t: (t.pupil_id, t.at, t.reason)):
        pupil = pupils.get(trigger.pupil_id)
        if pupil is None or not pupil.active:
            unchanged += 1
            continue
        case = open_cases.get(trigger.pupil_id)
        if case is not None and case.id is not None:
            reasons = seen.setdefault(case.id, set())
            if trigger.reason in reasons:
                unchanged += 1
                continue
            reasons.add(trigger.reason)
            result.logged.append(
                CaseEvent(case.id, trigger.at, EventKind.TRIGGER, trigger.actor, trigger.detail())
            )
            continue
        if trigger.pupil_id in opening or _weighed(last_closed.get(trigger.pupil_id), trigger):
            unchanged += 1
            continue
        new = new_case(school, pupil, staff, trigger, load)
        load[new.coordinator_id] += 1
        opening[trigger.pupil_id] = (new, trigger)
    result.new.extend(opening.values())
    return dataclasses.replace(result, unchanged=unchanged)


def _weighed(closed: Case | None, trigger: Trigger) -> bool:
    if closed is None or closed.closed_at is None or trigger.origin is not Origin.RULE:
        return False
    return trigger.window_start is not None and trigger.window_start <= closed.closed_at.date()


def new_case(
    school: School,
    pupil: Pupil,
    staff: Sequence[StaffMember],
    trigger: Trigger,
    coordinator_load: Mapping[str, int] | None = None,
) -> Case:
    stage = first_stage(school.country)
    # Nobody with the stage's role: the class's mentor, else a principal, holds it meanwhile.
    owner = (
        appoint(stage_owner(stage), pupil, staff, coordinator_load)
        or appoint(Role.MENTOR, pupil, staff)
        or appoint(Role.PRINCIPAL, pupil, staff)
    )
    coordinator = appoint(Role.COORDINATOR, pupil, staff, coordinator_load) or owner
    opened_by = trigger.reason
    return Case(
        school.key,
        pupil.pupil_id,
        stage,
        trigger.at,
        opened_by,
        owner_id=owner,
        coordinator_id=coordinator,
    )


def appoint(
    role: Role,
    pupil: Pupil,
    staff: Sequence[StaffMember],
    load: Mapping[str, int] | None = None,
) -> str:
    """Who of the school's staff with `role` takes a case of this pupil: one whose classes
    include the pupil's, else the one with the fewest open cases (ties by id); "" if nobody
    has the role. Mentors are only ever the pupil's class's."""
    load = load or {}
    holders = [s for s in staff if s.has_role(role) and s.school_key == pupil.school_key]
    near = [s for s in holders if pupil.class_name in s.classes]
    if near:
        return min(near, key=lambda s: (load.get(s.staff_id, 0), s.staff_id)).staff_id
    if role is Role.MENTOR or not holders:
        return ""
    return min(holders, key=lambda s: (load.get(s.staff_id, 0), s.staff_id)).staff_id


def opened_event(case: Case, trigger: Trigger) -> CaseEvent:
    assert case.id is not None
    detail = trigger.detail() | {"stage": case.stage}
    return CaseEvent(case.id, trigger.at, EventKind.OPENED, trigger.actor, detail)


# Access ------------------------------------------------------------------------------------


def may_see(staff: StaffMember, case: Case, pupil: Pupil | None) -> bool:
    """Whether this member of staff sees the case: members, the class's mentors, principals,
    and pupil health once informed."""
    if staff.school_key != case.school_key:
        return False
    if case.involves(staff.staff_id) or staff.has_role(Role.PRINCIPAL):
        return True
    if (
        staff.has_role(Role.MENTOR)
        and pupil is not None
        and pupil.pupil_id == case.pupil_id
        and pupil.class_name in staff.classes
    ):
        return True
    return staff.has_role(Role.PUPIL_HEALTH) and case.health_informed_at is not None


def may_act(staff: StaffMember, case: Case, pupil: Pupil | None) -> bool:
    """Ticking, moving the stage, informing pupil health: those who see an open case."""
    return case.is_open and may_see(staff, case, pupil)


def may_see_item(staff: StaffMember, principal_only: bool) -> bool:
    return not principal_only or staff.has_role(Role.PRINCIPAL)


# The log -----------------------------------------------------------------------------------


def ticked(events: Iterable[CaseEvent], stage: str) -> dict[str, CaseEvent]:
    """The items of `stage` ticked now, each with the event that ticked it last."""
    found: dict[str, CaseEvent] = {}
    for event in sorted(events, key=lambda e: (e.at, e.id or 0)):
        if event.detail.get("stage") != stage:
            continue
        item = str(event.detail.get("item", ""))
        if event.kind is EventKind.TICKED:
            found[item] = event
        elif event.kind is EventKind.UNTICKED:
            found.pop(item, None)
    return found


def reasons_logged(events: Iterable[CaseEvent]) -> set[str]:
    return {
        str(e.detail["reason"])
        for e in events
        if e.kind in (EventKind.OPENED, EventKind.TRIGGER) and "reason" in e.detail
    }


# Changes -----------------------------------------------------------------------------------


class CaseRefused(Exception):
    """The change is not possible (the case is closed, already at its last stage, ...)."""


def advance(case: Case) -> Case:
    """The case in its next stage, with that stage's owner role to appoint."""
    if not case.is_open:
        raise CaseRefused("closed")
    following = next_stage(country_of(case.stage), case.stage)
    if following is None:
        raise CaseRefused("last stage")
    return dataclasses.replace(case, stage=following)


def close(case: Case, at: datetime) -> Case:
    if not case.is_open:
        raise CaseRefused("closed")
    return dataclasses.replace(case, status=CaseStatus.CLOSED, closed_at=at)


def reopen(case: Case) -> Case:
    if case.is_open:
        raise CaseRefused("open")
    return dataclasses.replace(case, status=CaseStatus.OPEN, closed_at=None)


def with_member(case: Case, staff_id: str) -> Case:
    if staff_id in case.members:
        return case
    return dataclasses.replace(case, members=(*case.members, staff_id))
