"""Rows to domain objects and back for the attendance record: absence reports, attendance marks
and the school's absence codes.
"""

from __future__ import annotations

from typing import Any

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    DayPart,
    MarkKind,
    MarkSource,
    ReasonCategory,
    ReportStatus,
)
from storage.orm_base import as_utc
from storage.orm_record import AbsenceCodeRow, AbsenceReportRow, AttendanceMarkRow


def report_from_row(row: AbsenceReportRow) -> AbsenceReport:
    return AbsenceReport(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        reason=ReasonCategory(row.reason),
        first_day=row.first_day,
        last_day=row.last_day,
        part=DayPart(row.part),
        at_time=row.at_time,
        note=row.note,
        reported_at=row.reported_at,
        status=ReportStatus(row.status),
        id=row.id,
    )


def report_to_row(report: AbsenceReport, row: AbsenceReportRow) -> None:
    row.school_key = report.school_key
    row.pupil_id = report.pupil_id
    row.guardian_id = report.guardian_id
    row.reason = report.reason.value
    row.first_day = report.first_day
    row.last_day = report.last_day
    row.part = report.part.value
    row.at_time = report.at_time
    row.note = report.note
    row.reported_at = None if report.reported_at is None else as_utc(report.reported_at)
    row.status = report.status.value


def mark_from_row(row: AttendanceMarkRow) -> AttendanceMark:
    return AttendanceMark(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        day=row.day,
        kind=MarkKind(row.kind),
        lesson=row.lesson,
        explained=row.explained,
        valid=row.valid,
        code=row.code,
        marked_by=row.marked_by,
        minutes=row.minutes,
        source=MarkSource(row.source),
        id=row.id,
    )


def mark_to_row(mark: AttendanceMark, row: AttendanceMarkRow) -> None:
    for column, value in mark_values(mark).items():
        setattr(row, column, value)


def mark_values(mark: AttendanceMark) -> dict[str, Any]:
    """The mark's columns (all but the id), for bulk inserts without ORM objects."""
    return {
        "school_key": mark.school_key,
        "pupil_id": mark.pupil_id,
        "day": mark.day,
        "kind": mark.kind.value,
        "lesson": mark.lesson,
        "explained": mark.explained,
        "valid": mark.valid,
        "code": mark.code,
        "marked_by": mark.marked_by,
        "minutes": mark.minutes,
        "source": mark.source.value,
    }


def code_from_row(row: AbsenceCodeRow) -> AbsenceCode:
    return AbsenceCode(
        school_key=row.school_key,
        code=row.code,
        label=row.label,
        counts_as_absence=row.counts_as_absence,
        valid=row.valid,
        late=row.late,
    )


def code_to_row(code: AbsenceCode, row: AbsenceCodeRow) -> None:
    row.school_key = code.school_key
    row.code = code.code
    row.label = code.label
    row.counts_as_absence = code.counts_as_absence
    row.valid = code.valid
    row.late = code.late
