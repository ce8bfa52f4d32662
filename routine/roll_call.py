"""The morning roll call: per class and school day, the mentor says who is absent or late.

A roll call is opened for every class at the school's roll-call time. It is *submitted* when a
mentor answers (an empty answer means nobody is absent), and *not answered* if it is still open
when it is due (the unreported-absence prompts go out then). "Not answered" is recorded as such,
never taken for "nobody absent". A mentor may change a submitted roll call until the end of the
school day; the marks follow every change.

Absences that guardians reported are already marked when the mentor opens it (a late arrival
as late); the mentor confirms or changes them.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from routine.model import (
    AbsenceReport,
    AttendanceMark,
    DayPart,
    MarkKind,
    Pupil,
    Role,
    School,
    StaffMember,
)
from routine.ports import UnitOfWork

ROLL_CALL_KINDS = (MarkKind.ABSENT, MarkKind.LATE)


class RollCallStatus(enum.StrEnum):
    OPEN = "open"
    SUBMITTED = "submitted"
    NOT_ANSWERED = "not_answered"
    # The class's register for a past day was imported from the school's own system.
    IMPORTED = "imported"


@dataclass(frozen=True)
class RollCall:
    school_key: str
    class_name: str
    day: date
    status: RollCallStatus = RollCallStatus.OPEN
    opened_at: datetime | None = None
    submitted_by: str = ""
    submitted_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Attendance:
    """Who the roll call says is absent and who is late, by pupil id."""

    absent: frozenset[str] = frozenset()
    late: frozenset[str] = frozenset()


def pre_marked(pupils: Iterable[Pupil], reports: Iterable[AbsenceReport], day: date) -> Attendance:
    """What guardians' reports say of `day`: a whole day reported is absent, arriving late is
    late; a pupil leaving early is there at the morning roll call."""
    ids = {pupil.pupil_id for pupil in pupils}
    absent, late = set(), set()
    for report in reports:
        if report.pupil_id not in ids or not report.covers(day):
            continue
        if report.part is DayPart.WHOLE_DAY:
            absent.add(report.pupil_id)
        elif report.part is DayPart.ARRIVING_LATE:
            late.add(report.pupil_id)
    return Attendance(frozenset(absent), frozenset(late - absent))


def from_marks(marks: Iterable[AttendanceMark], pupil_ids: Iterable[str]) -> Attendance:
    """What the day's marks for the whole day (not per lesson) say of these pupils."""
    ids = set(pupil_ids)
    day_marks = [m for m in marks if m.pupil_id in ids and m.lesson is None]
    absent = {m.pupil_id for m in day_marks if m.kind is MarkKind.ABSENT}
    late = {m.pupil_id for m in day_marks if m.kind is MarkKind.LATE} - absent
    return Attendance(frozenset(absent), frozenset(late))


class SubmitOutcome(enum.StrEnum):
    SAVED = "saved"
    NOT_YOURS = "not_yours"
    DAY_OVER = "day_over"
    UNKNOWN_PUPILS = "unknown_pupils"
    BOTH_ABSENT_AND_LATE = "both"


def may_take(staff: StaffMember, class_name: str) -> bool:
    """The roll call is the mentor's: only the mentors of the class take it (a principal, who
    sees every class, does not)."""
    return staff.has_role(Role.MENTOR) and class_name in staff.classes


def takes_a_roll_call(staff: StaffMember) -> bool:
    """Whether they take any class's roll call: what the menu offers the roll call to (to
    anyone else it could only say there is none to take)."""
    return any(may_take(staff, class_name) for class_name in staff.classes)


def editable(school: School, roll_call: RollCall, now: datetime) -> bool:
    """Until the end of its own school day, in the school's time."""
    local = now.astimezone(ZoneInfo(school.timezone))
    return local.date() == roll_call.day and local.time() < school.times.end_of_day


async def open_roll_calls(
    uow: UnitOfWork, school: School, day: date, now: datetime
) -> list[RollCall]:
    """Every class with a mentor gets its roll call for `day`; running this again opens none
    twice and leaves submitted ones alone."""
    staff = await uow.staff.list_for_school(school.key)
    mentored = {c for s in staff if s.has_role(Role.MENTOR) for c in s.classes}
    opened = await uow.morning.open_roll_calls({school.key: mentored}, day, now)
    if len(opened) == len(mentored):
        # The usual morning: every mentored class is listed and had none yet.
        return opened
    # Run again, or a mentor's class is not in the class list: the day's that are listed.
    classes = {c.name for c in await uow.classes.list_for(school.key)} & mentored
    return [
        r for r in await uow.roll_calls.list_for_day(school.key, day) if r.class_name in classes
    ]


async def close_unanswered(uow: UnitOfWork, school_key: str, day: date) -> list[RollCall]:
    """Roll calls still open when due are recorded as not answered; which they were."""
    return await uow.morning.close_open_roll_calls([school_key], day)


async def submit(
    uow: UnitOfWork,
    *,
    roll_call: RollCall,
    school: School,
    staff: StaffMember,
    attendance: Attendance,
    now: datetime,
) -> SubmitOutcome:
    """Store the mentor's answer: the roll call as submitted, and marks for exactly those
    absent or late (a mark that stays the same is kept, with what was learnt about it)."""
    if roll_call.school_key != staff.school_key or not may_take(staff, roll_call.class_name):
        return SubmitOutcome.NOT_YOURS
    if not editable(school, roll_call, now):
        return SubmitOutcome.DAY_OVER
    if attendance.absent & attendance.late:
        return SubmitOutcome.BOTH_ABSENT_AND_LATE
    pupils = await uow.pupils.list_for_classes(school.key, [roll_call.class_name])
    ids = {p.pupil_id for p in pupils if p.active}
    if not (attendance.absent | attendance.late) <= ids:
        return SubmitOutcome.UNKNOWN_PUPILS
    await _replace_marks(uow, roll_call, staff, attendance, ids)
    await uow.roll_calls.update(
        dataclasses.replace(
            roll_call,
            status=RollCallStatus.SUBMITTED,
            submitted_by=staff.staff_id,
            submitted_at=now,
        )
    )
    return SubmitOutcome.SAVED


async def _replace_marks(
    uow: UnitOfWork,
    roll_call: RollCall,
    staff: StaffMember,
    attendance: Attendance,
    class_ids: set[str],
) -> None:
    wanted = {pupil_id: MarkKind.ABSENT for pupil_id in attendance.absent}
    wanted |= {pupil_id: MarkKind.LATE for pupil_id in attendance.late}
    marks = await uow.marks.list_for_day(roll_call.school_key, roll_call.day)
    kept: set[str] = set()
    for mark in marks:
        if mark.pupil_id not in class_ids or mark.lesson is not None:
            continue
        if mark.kind not in ROLL_CALL_KINDS:
            continue
        if wanted.get(mark.pupil_id) is mark.kind and mark.pupil_id not in kept:
            kept.add(mark.pupil_id)
        else:
            assert mark.id is not None
            await uow.marks.delete(mark.id)
    for pupil_id, kind in sorted(wanted.items()):
        if pupil_id not in kept:
            await uow.marks.add(
                AttendanceMark(
                    roll_call.school_key,
                    pupil_id,
                    roll_call.day,
                    kind,
                    marked_by=staff.staff_id,
                )
            )
