"""Concerns that open a case at once: a guardian's "it is hard to get my child to school", and
a member of staff's "I am worried about this pupil".

What a member of staff may say they have seen comes from the sources only:

- Drammen's trigger 1, "Opplever sterkt ubehag relatert til skole eller melder om at det er
  vanskelig å møte opp" (002: 649), the Norwegian rule `no.pupil_concern`;
- Drammen's trigger 6, "Forlater undervisningen gjentatte ganger uten å komme tilbake i timen"
  (002: 659), the rule `no.leaves_lessons`;
- Oslo's "Tilstede på skolen, men ikke i undervisning" (003: 36), which no Norwegian rule
  switches off (Oslo's framework names it among what to understand, not as a counted rule);
- the Danish model's early signs, "mentalt fravær hos barnet, at barnet forsøger at undgå at
  komme i skole, [...] eller generel ændret adfærd" (004: 1308-1311). Its fourth, "periodisk
  fravær fra bestemte timer", is in the register already, so not asked.

Each school is offered its own country's signs (`SIGNS`). The Swedish sources give none a
mentor could name: Närvaromodellen counts absence (000: 319-351) and the Göteborg study's early
signs are health complaints (001: 2035), which the chat does not collect (domain guide §6). A
Swedish concern is therefore stored as WORRIED, with no sign named, and opens or is logged on
the case as any other.

A concern is always stored. It opens a case for a pupil without one, or is logged on the
open one (`routine.case_opening.open_cases`, in the caller's unit of work), unless the school
switched the matching event rule off (`routine.policy.rules_for`): then it opens nothing.
Sweden and Denmark have no such rules, so there a concern always opens or is logged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from routine.case_opening import CaseChanges, open_cases
from routine.cases import Origin, Trigger, guardian_actor, staff_actor
from routine.model import Country, Guardian, Pupil, Role, School, StaffMember
from routine.policy import NO_GUARDIAN_CONCERN, NO_LEAVES_LESSONS, NO_PUPIL_CONCERN, rules_for
from routine.ports import UnitOfWork


class StaffConcernKind(enum.StrEnum):
    # 002: 649
    DISCOMFORT = "discomfort"
    # 002: 659
    LEAVES_LESSONS = "leaves_lessons"
    # 003: 36
    PRESENT_NOT_IN_CLASS = "present_not_in_class"
    # 004: 1308-1311
    MENTALLY_ABSENT = "mentally_absent"
    AVOIDS_SCHOOL = "avoids_school"
    CHANGED_BEHAVIOUR = "changed_behaviour"
    # No sign named: the country's sources give none (Sweden).
    WORRIED = "worried"


SIGNS: dict[Country, tuple[StaffConcernKind, ...]] = {
    Country.NO: (
        StaffConcernKind.DISCOMFORT,
        StaffConcernKind.LEAVES_LESSONS,
        StaffConcernKind.PRESENT_NOT_IN_CLASS,
    ),
    Country.DK: (
        StaffConcernKind.MENTALLY_ABSENT,
        StaffConcernKind.AVOIDS_SCHOOL,
        StaffConcernKind.CHANGED_BEHAVIOUR,
    ),
    Country.SE: (),
}


# The event rule a school may switch off for each kind; None: no rule, always opens.
RULE_OF_KIND: dict[StaffConcernKind, str | None] = {
    StaffConcernKind.DISCOMFORT: NO_PUPIL_CONCERN.id,
    StaffConcernKind.LEAVES_LESSONS: NO_LEAVES_LESSONS.id,
    StaffConcernKind.PRESENT_NOT_IN_CLASS: None,
    StaffConcernKind.MENTALLY_ABSENT: None,
    StaffConcernKind.AVOIDS_SCHOOL: None,
    StaffConcernKind.CHANGED_BEHAVIOUR: None,
    StaffConcernKind.WORRIED: None,
}


@dataclass(frozen=True)
class StaffConcern:
    school_key: str
    pupil_id: str
    staff_id: str
    kind: StaffConcernKind
    # Optional and short; the form warns against health details.
    note: str
    created_at: datetime
    id: int | None = None


class ConcernOutcome(enum.StrEnum):
    OPENED = "opened"
    # Logged on the pupil's open case.
    LOGGED = "logged"
    # The open case has this concern logged already.
    ALREADY_LOGGED = "already_logged"
    # The school switched the rule off: stored, opens nothing.
    RULE_OFF = "rule_off"


def opens_cases(school: School, rule_id: str | None) -> bool:
    """Whether a concern under this event rule opens (or is logged on) a case at this school:
    yes unless the school's rules have it switched off."""
    if rule_id is None:
        return True
    rule = next((r for r in rules_for(school) if r.id == rule_id), None)
    return rule is None or rule.enabled


def may_raise_concern(staff: StaffMember, pupil: Pupil) -> bool:
    """A mentor of the pupil's class, at the pupil's school."""
    return (
        staff.school_key == pupil.school_key
        and staff.has_role(Role.MENTOR)
        and pupil.class_name in staff.classes
        and pupil.active
    )


async def guardian_concern_opens_case(
    uow: UnitOfWork, school: School, guardian: Guardian, pupil_id: str, now: datetime
) -> ConcernOutcome:
    """A guardian's concern (already stored) opens a case or is logged on the open one."""
    if not opens_cases(school, NO_GUARDIAN_CONCERN.id):
        return ConcernOutcome.RULE_OFF
    trigger = Trigger(pupil_id, Origin.GUARDIAN_CONCERN, now, guardian_actor(guardian.guardian_id))
    return _outcome(await open_cases(uow, school, [trigger]))


async def report_staff_concern(
    uow: UnitOfWork,
    school: School,
    staff: StaffMember,
    pupil: Pupil,
    kind: StaffConcernKind,
    note: str,
    now: datetime,
) -> tuple[StaffConcern, ConcernOutcome]:
    """Store a mentor's concern and open a case (or log it on the open one); the caller
    commits."""
    if not may_raise_concern(staff, pupil):
        raise PermissionError("only a mentor of the pupil's class raises a concern")
    concern = await uow.staff_concerns.add(
        StaffConcern(school.key, pupil.pupil_id, staff.staff_id, kind, note, now)
    )
    if not opens_cases(school, RULE_OF_KIND[kind]):
        return concern, ConcernOutcome.RULE_OFF
    trigger = Trigger(
        pupil.pupil_id, Origin.STAFF_CONCERN, now, staff_actor(staff.staff_id), kind=kind.value
    )
    return concern, _outcome(await open_cases(uow, school, [trigger]))


def _outcome(changes: CaseChanges) -> ConcernOutcome:
    if changes.opened:
        return ConcernOutcome.OPENED
    return ConcernOutcome.LOGGED if changes.logged else ConcernOutcome.ALREADY_LOGGED
