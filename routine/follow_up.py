"""Step 1 of the routine, the first absence occasion: the school contacts the guardians the
same day when a pupil is absent without a report (Närvaromodellen steg 1, 000: 267–305).

A follow-up is opened for each pupil absent without a report when the unreported-absence
prompts go out. The mentor records each contact with the guardian: who contacted whom, when,
how, what came of it, which of the step-1 topics were covered, and whether the absence is
valid. A contact that settles validity explains the day's absence marks.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from routine.attendance import reported_not_valid
from routine.model import AbsenceReport, AttendanceMark, MarkKind, School
from routine.ports import UnitOfWork
from routine.record import judged_code
from routine.roll_call import RollCallStatus


class ContactMeans(enum.StrEnum):
    PHONE = "phone"
    MESSAGE = "message"
    MEETING = "meeting"


class ContactOutcome(enum.StrEnum):
    REACHED = "reached"
    NOT_REACHED = "not_reached"


class StepOneTopic(enum.StrEnum):
    """The step-1 conversation topics (000: 289–305): causes of the absence, the next school
    day, the pupil's perspective, compulsory schooling."""

    CAUSES = "causes"
    NEXT_SCHOOL_DAY = "next_school_day"
    PUPIL_VIEW = "pupil_view"
    COMPULSORY_SCHOOLING = "compulsory_schooling"


@dataclass(frozen=True)
class FollowUp:
    school_key: str
    pupil_id: str
    day: date
    opened_at: datetime
    # Whether a guardian could be asked in chat; if not, staff must phone.
    reachable: bool = True
    id: int | None = None


@dataclass(frozen=True)
class GuardianContact:
    follow_up_id: int
    staff_id: str
    guardian_id: str
    contacted_at: datetime
    means: ContactMeans
    outcome: ContactOutcome
    valid: bool | None
    topics: tuple[StepOneTopic, ...] = ()
    note: str = ""
    recorded_at: datetime | None = None
    id: int | None = None


async def open_follow_up(
    uow: UnitOfWork, *, school_key: str, pupil_id: str, day: date, reachable: bool, now: datetime
) -> FollowUp:
    """Once per pupil and day: a second call returns the first."""
    return await uow.follow_ups.add(FollowUp(school_key, pupil_id, day, now, reachable))


async def reported_to_follow_up(
    uow: UnitOfWork,
    school: School,
    day: date,
    marks: list[AttendanceMark],
    reports: list[AbsenceReport],
) -> list[str]:
    """The pupils reported absent for `day` with a reason that does not make the absence valid
    (`routine.attendance.reported_not_valid`), from the day's marks and reports and a few
    queries for the school."""
    if not reports:
        return []
    submitted = {
        r.class_name
        for r in await uow.roll_calls.list_for_day(school.key, day)
        if r.status is RollCallStatus.SUBMITTED
    }
    return reported_not_valid(
        school,
        day,
        reports,
        marks,
        await uow.school_day.pupils(school.key, {r.pupil_id for r in reports}),
        submitted,
        await uow.codes.list_for(school.key),
    )


async def record_contact(
    uow: UnitOfWork, *, follow_up: FollowUp, contact: GuardianContact
) -> GuardianContact:
    """Store the contact; if it settles whether the absence is valid, the day's absence marks
    say so (a later contact may settle it differently: the latest wins)."""
    stored = await uow.guardian_contacts.add(contact)
    if contact.valid is not None:
        codes = {code.code: code for code in await uow.codes.list_for(follow_up.school_key)}
        code = judged_code(contact.valid, codes)
        for mark in await uow.marks.list_for_day(follow_up.school_key, follow_up.day):
            if mark.pupil_id == follow_up.pupil_id and mark.kind is MarkKind.ABSENT:
                await uow.marks.update(
                    dataclasses.replace(mark, explained=True, valid=contact.valid, code=code)
                )
    return stored


class LineState(enum.StrEnum):
    """Where one pupil of the list stands, for the mentor."""

    WAITING = "waiting"
    REPORTED = "reported"
    CONTACTED = "contacted"
    NOT_REACHED = "not_reached"


def line_state(
    follow_up: FollowUp,
    reports: Iterable[AbsenceReport],
    contacts: Iterable[GuardianContact],
) -> LineState:
    """A recorded contact says most; then a guardian's report (or answer) covering the day."""
    mine = [c for c in contacts if c.follow_up_id == follow_up.id]
    if any(c.outcome is ContactOutcome.REACHED for c in mine):
        return LineState.CONTACTED
    if any(r.pupil_id == follow_up.pupil_id and r.covers(follow_up.day) for r in reports):
        return LineState.REPORTED
    if mine:
        return LineState.NOT_REACHED
    return LineState.WAITING


def latest_contact(
    follow_up: FollowUp, contacts: Iterable[GuardianContact]
) -> GuardianContact | None:
    mine = [c for c in contacts if c.follow_up_id == follow_up.id]
    return max(mine, key=lambda c: (c.recorded_at or c.contacted_at, c.id or 0), default=None)


def absent_marks(marks: Iterable[AttendanceMark], pupil_id: str) -> list[AttendanceMark]:
    return [m for m in marks if m.pupil_id == pupil_id and m.kind is MarkKind.ABSENT]
