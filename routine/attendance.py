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
    DayPart,
    Guardian,
    MarkKind,
    Pupil,
    Role,
    School,
    StaffMember,
)
from routine.record import INVALID_CODE, report_code


def is_covered(mark: AttendanceMark, reports: Iterable[AbsenceReport]) -> AbsenceReport | None:
    """The guardian's report that explains this mark, if any."""
    return next((r for r in reports if r.pupil_id == mark.pupil_id and r.covers(mark.day)), None)


def reports_by_pupil(reports: Iterable[AbsenceReport]) -> dict[str, list[AbsenceReport]]:
    """Indexed once, so that a job looks a pupil's reports up instead of scanning them all."""
    found: dict[str, list[AbsenceReport]] = {}
    for report in reports:
        found.setdefault(report.pupil_id, []).append(report)
    return found


def unreported_absent_pupils(
    marks: Iterable[AttendanceMark], reports: Iterable[AbsenceReport]
) -> list[str]:
    """Pupils marked absent (for the day or for a lesson) with nothing explaining it, in the
    order they were first marked."""
    found: dict[str, None] = {}
    by_pupil = reports_by_pupil(reports)
    for mark in marks:
        if mark.kind is not MarkKind.ABSENT or mark.explained or mark.pupil_id in found:
            continue
        if is_covered(mark, by_pupil.get(mark.pupil_id, ())) is None:
            found[mark.pupil_id] = None
    return list(found)


def reported_not_valid(
    school: School,
    day: date,
    reports: Iterable[AbsenceReport],
    marks: Iterable[AttendanceMark],
    pupils: Iterable[Pupil],
    submitted_classes: set[str],
    codes: Iterable[AbsenceCode],
) -> list[str]:
    """Pupils a guardian reported absent for the whole day with a reason that does not make the
    absence valid, and whom the roll call did not find present: the school follows them up the
    same day like an unreported absence, without asking the guardian who reported.

    "Other reason" is not valid by itself (000: 783–788; 001: 6341, 6381): where staff decide it
    (`OtherReason.STAFF`) they judge it on the step-1 list. In Denmark it is unlawful absence,
    and "i tilfælde af en elevs ulovlige fravær skal skolens leder straks rette henvendelse til
    elevens forældre" (004: 2474–2477): every unlawful absence, reported or not, is followed up."""
    by_code = {code.code: code for code in codes}
    classes = {pupil.pupil_id: pupil.class_name for pupil in pupils if pupil.active}
    absent = {m.pupil_id for m in marks if m.kind is MarkKind.ABSENT and m.lesson is None}
    found: list[str] = []
    for report in reports:
        pupil_id = report.pupil_id
        if report.part is not DayPart.WHOLE_DAY or not report.covers(day) or pupil_id in found:
            continue
        if pupil_id not in classes or report_code(school, report.reason, by_code)[1] is True:
            continue
        if classes[pupil_id] in submitted_classes and pupil_id not in absent:
            continue  # the roll call found the pupil at school
        found.append(pupil_id)
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
    school: School,
    marks: Iterable[AttendanceMark],
    reports: list[AbsenceReport],
    codes: list[AbsenceCode],
    leave: Iterable[LeaveRequest] = (),
) -> EndOfDay:
    """Granted leave comes first: its days take the `leave` code, valid, whatever a report
    says (leave the principal granted is valid absence, 000: 783–788). Marks a report explains
    take the code of its reason; the rest that are still unexplained become invalid. Marks
    already explained (by staff, or earlier) are left as they are. A reported "other reason"
    that staff decide (`OtherReason.STAFF`) keeps its code and stays unexplained until they
    do: it is neither valid nor invalid by itself."""
    by_code = {code.code: code for code in codes}
    by_pupil = reports_by_pupil(reports)
    granted = list(leave)
    explained, invalid, on_leave = [], [], []
    for mark in marks:
        if mark.explained or mark.kind is not MarkKind.ABSENT:
            continue
        report = is_covered(mark, by_pupil.get(mark.pupil_id, ()))
        if granted_for(granted, mark.pupil_id, mark.day):
            code = by_code.get(LEAVE_CODE)
            on_leave.append(
                dataclasses.replace(
                    mark, explained=True, valid=True, code=code.code if code else LEAVE_CODE
                )
            )
        elif report is not None:
            code, valid = report_code(school, report.reason, by_code)
            explained.append(
                dataclasses.replace(mark, explained=valid is not None, valid=valid, code=code)
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
