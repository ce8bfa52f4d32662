"""The attendance record: one state per pupil and school day, whatever happened, with its source.

Every rule of the routine counts days (Swedish step 2, the Drammen triggers, Oslo's 10 %, the
Danish 10 %/15 % per quarter), so the record must say for every school day what is known, and
say *unknown* where nothing is. Unknown days are left out of every denominator, and always
counted and shown: never taken for "present".

What decides a day, highest first (README: "The attendance record"):

1. a **correction** by staff (the latest one for the day);
2. a **mark** observed that day, by a mentor's roll call or imported from the school's register
   (absent, late, left early, for the whole day), with its code and validity;
3. **leave** the principal granted: absent, with the `leave` code, valid;
4. a guardian's **report**: a whole day makes the day absent even when no roll call was taken
   (late arrival: late; leaving early: left early), with the code of its reason;
5. the class's roll call was **submitted** (or its register imported) and did not mark the
   pupil: present;
6. otherwise **unknown**: no roll call was submitted and nothing else says.

A mark for one lesson does not decide the day; the day shows how many lessons were missed.
A staff member's judgement after contacting the guardian (step 1) settles whether an absence is
valid, whatever its source, unless a later correction says otherwise.

This module decides in memory over what storage loaded in a few queries per school: never a
query per pupil or per day.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from routine.calendar import is_school_day
from routine.leave import LEAVE_CODE, LeaveRequest
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    DayPart,
    MarkKind,
    MarkSource,
    OtherReason,
    Pupil,
    ReasonCategory,
    School,
)

# The codes end of day and staff judgement give (`routine.attendance`, `routine.follow_up`).
INVALID_CODE = "invalid"
VALID_CODE = "valid"


class DayStatus(enum.StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    LATE = "late"
    LEFT_EARLY = "left_early"
    UNKNOWN = "unknown"


class RecordSource(enum.StrEnum):
    ROLL_CALL = "roll_call"
    REPORT = "report"
    LEAVE = "leave"
    IMPORT = "import"
    CORRECTION = "correction"
    # Only for unknown days: nothing says anything.
    NONE = "none"


MARK_STATUS = {
    MarkKind.ABSENT: DayStatus.ABSENT,
    MarkKind.LATE: DayStatus.LATE,
    MarkKind.LEFT_EARLY: DayStatus.LEFT_EARLY,
}
PART_STATUS = {
    DayPart.WHOLE_DAY: DayStatus.ABSENT,
    DayPart.ARRIVING_LATE: DayStatus.LATE,
    DayPart.LEAVING_EARLY: DayStatus.LEFT_EARLY,
}
MARK_SOURCE = {
    MarkSource.ROLL_CALL: RecordSource.ROLL_CALL,
    MarkSource.IMPORT: RecordSource.IMPORT,
}


@dataclass(frozen=True)
class DayRecord:
    """One pupil's school day. `valid` is None while an absence is unexplained."""

    pupil_id: str
    day: date
    status: DayStatus
    source: RecordSource
    code: str | None = None
    valid: bool | None = None
    minutes: int | None = None
    lessons_absent: int = 0

    @property
    def is_absent(self) -> bool:
        return self.status is DayStatus.ABSENT


@dataclass(frozen=True)
class Correction:
    """Staff's correction of one pupil's day, kept for ever as an audit trail entry: who, when,
    the state before, the state after, and why. The latest correction of a day decides it."""

    school_key: str
    pupil_id: str
    day: date
    status: DayStatus
    code: str | None
    valid: bool | None
    reason: str
    corrected_by: str
    corrected_at: datetime
    # The day as it stood before: status, source, code and validity.
    before: DayRecord | None = None
    # Whether the principal was told, because a rule or notice had already used the day.
    flagged: bool = False
    id: int | None = None


@dataclass(frozen=True)
class RecordInputs:
    """What one school's record over some days is made of; storage loads each once."""

    pupils: list[Pupil]
    marks: list[AttendanceMark]
    reports: list[AbsenceReport]
    # (class name, day) of every roll call submitted, or register imported: which of the two.
    taken: Mapping[tuple[str, date], RecordSource]
    leave: list[LeaveRequest]
    corrections: list[Correction]
    codes: list[AbsenceCode]
    # (pupil id, day) → what staff judged after contacting the guardian (latest contact).
    judgements: Mapping[tuple[str, date], bool]


def school_days(school: School, start: date, end: date) -> list[date]:
    day, found = start, []
    while day <= end:
        if is_school_day(school, day):
            found.append(day)
        day = date.fromordinal(day.toordinal() + 1)
    return found


def build_record(
    school: School, days: Iterable[date], inputs: RecordInputs
) -> dict[str, list[DayRecord]]:
    """Every pupil's record over `days` (school days), by pupil id, day by day."""
    days = list(days)
    builder = _Builder(school, set(days), inputs)
    return {pupil.pupil_id: [builder.day(pupil, day) for day in days] for pupil in inputs.pupils}


def build_decided_days(
    school: School, days: Iterable[date], inputs: RecordInputs
) -> dict[str, dict[date, DayRecord]]:
    """Each pupil's school days that something other than the roll call decides (a mark, a
    report, leave, a correction, a judgement), by pupil id and day: for a large school, whose
    other days follow from its roll calls. Most pupils have nothing but marks, whose records
    are built straight from them, as `_Builder.day` would."""
    days = list(days)
    school_day = set(days)
    builder = _Builder(school, school_day, inputs)
    pupils = {pupil.pupil_id: pupil for pupil in inputs.pupils}
    # The days of pupils with more than marks, decided day by day.
    other: dict[str, set[date]] = defaultdict(set)
    for pupil_id, day in [*builder.corrections, *inputs.judgements]:
        other[pupil_id].add(day)
    for span in [*inputs.reports, *inputs.leave]:
        other[span.pupil_id].update(d for d in days if span.first_day <= d <= span.last_day)
    found: dict[str, dict[date, DayRecord]] = defaultdict(dict)
    for (pupil_id, day), mark in builder.marks.items():
        if pupil_id in other:
            other[pupil_id].add(day)
        elif pupil_id in pupils:
            found[pupil_id][day] = DayRecord(
                pupil_id,
                day,
                MARK_STATUS[mark.kind],
                MARK_SOURCE[mark.source],
                mark.code,
                mark.valid,
                mark.minutes,
                builder.lessons.get((pupil_id, day), 0),
            )
    for pupil_id, day in builder.lessons:
        if (pupil_id, day) not in builder.marks:
            other[pupil_id].add(day)
    for pupil_id, pupil_days in other.items():
        pupil = pupils.get(pupil_id)
        if pupil is not None:
            for day in pupil_days & school_day:
                found[pupil_id][day] = builder.day(pupil, day)
    return dict(found)


class _Builder:
    """The inputs indexed once by pupil and day, so that each day is decided by lookups."""

    def __init__(self, school: School, days: set[date], inputs: RecordInputs) -> None:
        self.school = school
        self.taken = inputs.taken
        self.judgements = inputs.judgements
        self.codes = {code.code: code for code in inputs.codes}
        self.corrections = _latest(inputs.corrections, days)
        self.marks: dict[tuple[str, date], AttendanceMark] = {}
        self.lessons: dict[tuple[str, date], int] = defaultdict(int)
        for mark in inputs.marks:
            if mark.day not in days:
                continue
            key = (mark.pupil_id, mark.day)
            if mark.lesson is not None:
                self.lessons[key] += mark.kind is MarkKind.ABSENT
            elif key not in self.marks or _outranks(mark, self.marks[key]):
                self.marks[key] = mark
        self.leave = _by_pupil(inputs.leave)
        self.reports = _by_pupil(inputs.reports)

    def day(self, pupil: Pupil, day: date) -> DayRecord:
        # Decided first, then built once: a school's nightly evaluation builds a few hundred
        # thousand of these.
        key = (pupil.pupil_id, day)
        lessons = self.lessons.get(key, 0)
        correction = self.corrections.get(key)
        if correction is not None:
            return DayRecord(
                pupil.pupil_id,
                day,
                correction.status,
                RecordSource.CORRECTION,
                correction.code,
                correction.valid,
                lessons_absent=lessons,
            )
        status, source, code, valid, minutes = self._observed(pupil, day)
        if status is DayStatus.ABSENT:
            judged = self.judgements.get(key)
            if judged is not None:
                code, valid = judged_code(judged, self.codes), judged
        return DayRecord(pupil.pupil_id, day, status, source, code, valid, minutes, lessons)

    def _observed(
        self, pupil: Pupil, day: date
    ) -> tuple[DayStatus, RecordSource, str | None, bool | None, int | None]:
        leave = self.leave.get(pupil.pupil_id)
        granted = leave is not None and any(r.grants(day) for r in leave)
        mark = self.marks.get((pupil.pupil_id, day))
        if mark is not None:
            status = MARK_STATUS[mark.kind]
            if status is DayStatus.ABSENT and granted and not mark.explained:
                return status, MARK_SOURCE[mark.source], LEAVE_CODE, True, mark.minutes
            return status, MARK_SOURCE[mark.source], mark.code, mark.valid, mark.minutes
        if granted:
            return DayStatus.ABSENT, RecordSource.LEAVE, LEAVE_CODE, True, None
        taken = self.taken.get((pupil.class_name, day))
        reports = self.reports.get(pupil.pupil_id)
        if reports is not None and taken is None:
            report = next((r for r in reports if r.covers(day)), None)
            if report is not None:
                status = PART_STATUS[report.part]
                code, valid = report_code(self.school, report.reason, self.codes)
                if status is not DayStatus.ABSENT:
                    code, valid = None, None
                return status, RecordSource.REPORT, code, valid, None
        if taken is not None:
            return DayStatus.PRESENT, taken, None, None, None
        return DayStatus.UNKNOWN, RecordSource.NONE, None, None, None


def report_code(
    school: School, reason: ReasonCategory, codes: Mapping[str, AbsenceCode]
) -> tuple[str | None, bool | None]:
    """The code and validity a guardian's reason gives an absence. "Other reason" is left
    unexplained (valid None) where staff decide it (`OtherReason.STAFF`)."""
    code = codes.get(reason.value)
    if reason is ReasonCategory.OTHER and school.other_reason is OtherReason.STAFF:
        return (code.code if code else reason.value), None
    if code is None:
        return None, True
    return code.code, code.valid


def judged_code(valid: bool, codes: Mapping[str, AbsenceCode]) -> str | None:
    """Staff judged the absence: invalid takes the invalid code; valid takes the school's
    `valid` code if it has one, else no code."""
    if not valid:
        return INVALID_CODE
    return VALID_CODE if VALID_CODE in codes else None


def _outranks(mark: AttendanceMark, other: AttendanceMark) -> bool:
    # A roll call's mark outranks an imported one; between equals, absent outranks late.
    if mark.source is not other.source:
        return mark.source is MarkSource.ROLL_CALL
    order = (MarkKind.ABSENT, MarkKind.LATE, MarkKind.LEFT_EARLY)
    return order.index(mark.kind) < order.index(other.kind)


def _latest(
    corrections: Iterable[Correction], days: set[date]
) -> dict[tuple[str, date], Correction]:
    latest: dict[tuple[str, date], Correction] = {}
    for correction in corrections:
        if correction.day not in days:
            continue
        key = (correction.pupil_id, correction.day)
        current = latest.get(key)
        if current is None or (correction.corrected_at, correction.id or 0) > (
            current.corrected_at,
            current.id or 0,
        ):
            latest[key] = correction
    return latest


T = TypeVar("T", LeaveRequest, AbsenceReport)


def _by_pupil(items: Iterable[T]) -> dict[str, list[T]]:
    found: dict[str, list[T]] = defaultdict(list)
    for item in items:
        found[item.pupil_id].append(item)
    return found


@dataclass(frozen=True)
class Totals:
    """What the rules count. `school_days` counts every day; `known` leaves out unknown days,
    which are the denominator of any share."""

    school_days: int = 0
    known: int = 0
    present: int = 0
    absent: int = 0
    valid: int = 0
    invalid: int = 0
    unexplained: int = 0
    late: int = 0
    left_early: int = 0
    unknown: int = 0
    lessons_absent: int = 0

    @property
    def absent_share(self) -> float | None:
        return None if not self.known else self.absent / self.known


def totals(days: Iterable[DayRecord]) -> Totals:
    counts: dict[str, int] = defaultdict(int)
    for record in days:
        counts["school_days"] += 1
        counts["lessons_absent"] += record.lessons_absent
        counts[record.status.value] += 1
        if record.status is not DayStatus.UNKNOWN:
            counts["known"] += 1
        if record.status is DayStatus.ABSENT:
            key = {True: "valid", False: "invalid", None: "unexplained"}[record.valid]
            counts[key] += 1
    return Totals(**counts)


@dataclass(frozen=True)
class RecordUse:
    """A rule or notice used this pupil's day (a threshold that fired, a notice sent), so that
    a later correction of the day is flagged to the principal, never silently rewritten."""

    school_key: str
    pupil_id: str
    day: date
    # What used it: a rule's or notice's id, for the principal to read.
    used_by: str
    used_at: datetime
    id: int | None = None
