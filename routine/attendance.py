"""The day's attendance: who is absent without a report, and what the end of the day makes of it.

Marks come from the roll call or the school's register; reports from guardians. Absence not
reported by the cut-off is *unexplained*; still unexplained at the end of the day it becomes
invalid: *ogiltig* (sv), *ugyldig* (nb), *ulovligt* (da) (domain guide §2).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from routine.leave import LEAVE_CODE, LeaveRequest, granted_for
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    Guardian,
    MarkKind,
    Pupil,
    Role,
    StaffMember,
)
from routine.record import INVALID_CODE


def is_covered(mark: AttendanceMark, reports: Iterable[AbsenceReport]) -> AbsenceReport | None:
    """The guardian's report that explains this mark, if any."""
    return next((r for r in reports if r.pupil_id == mark.pupil_id and r.covers(mark.day)), None)


def unreported_absent_pupils(
    marks: Iterable[AttendanceMark], reports: list[AbsenceReport]
) -> list[str]:
    """Pupils marked absent (for the day or for a lesson) with nothing explaining it, in the
    order they were first marked."""
    found: list[str] = []
    for mark in marks:
        if mark.kind is not MarkKind.ABSENT or mark.explained or mark.pupil_id in found:
            continue
        if is_covered(mark, reports) is None:
            found.append(mark.pupil_id)
    return found


def without_granted_leave(
    pupil_ids: Iterable[str], leave: Iterable[LeaveRequest], day: date
) -> list[str]:
    """Pupils the principal gave leave for `day` are absent with permission: nobody asks
    their guardians why, and they are not on the mentors' step-1 list."""
    granted = list(leave)
    return [p for p in pupil_ids if not granted_for(granted, p, day)]


@dataclass(frozen=True)
class EndOfDay:
    explained: list[AttendanceMark]
    invalid: list[AttendanceMark]
    on_leave: list[AttendanceMark] = dataclasses.field(default_factory=list)


def close_the_day(
    marks: Iterable[AttendanceMark],
    reports: list[AbsenceReport],
    codes: list[AbsenceCode],
    leave: Iterable[LeaveRequest] = (),
) -> EndOfDay:
    """Granted leave comes first: its days take the `leave` code, valid, whatever a report
    says (leave the principal granted is valid absence, 000: 783–788). Marks a report explains
    take the code of its reason; the rest that are still unexplained become invalid. Marks
    already explained (by staff, or earlier) are left as they are."""
    by_code = {code.code: code for code in codes}
    granted = list(leave)
    explained, invalid, on_leave = [], [], []
    for mark in marks:
        if mark.explained or mark.kind is not MarkKind.ABSENT:
            continue
        report = is_covered(mark, reports)
        if granted_for(granted, mark.pupil_id, mark.day):
            code = by_code.get(LEAVE_CODE)
            on_leave.append(
                dataclasses.replace(
                    mark, explained=True, valid=True, code=code.code if code else LEAVE_CODE
                )
            )
        elif report is not None:
            code = by_code.get(report.reason.value)
            valid = code.valid if code else True
            explained.append(
                dataclasses.replace(
                    mark, explained=True, valid=valid, code=code.code if code else None
                )
            )
        else:
            code = by_code.get(INVALID_CODE)
            invalid.append(
                dataclasses.replace(mark, valid=False, code=code.code if code else INVALID_CODE)
            )
    return EndOfDay(explained, invalid, on_leave)


def guardians_of(pupil_id: str, guardians: Iterable[Guardian]) -> list[Guardian]:
    return [g for g in guardians if pupil_id in g.pupil_ids]


def mentors_of(pupil: Pupil, staff: Iterable[StaffMember]) -> list[StaffMember]:
    return mentors_of_class(pupil.class_name, staff)


def mentors_of_class(class_name: str, staff: Iterable[StaffMember]) -> list[StaffMember]:
    return [s for s in staff if s.has_role(Role.MENTOR) and class_name in s.classes]


def retention_cutoff(today: date, retention_days: int) -> date:
    """Data about days before this is past the school's retention period."""
    return date.fromordinal(today.toordinal() - retention_days)
