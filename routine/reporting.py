"""Rules for a guardian's absence report, and the use cases that store and change one.

The limits below are choices the sources leave to the school; `ReportingRules` holds them with
documented defaults (the README lists them under "Choices the sources leave open").
"""

from __future__ import annotations

import dataclasses
import enum
from datetime import date, datetime, time, timedelta

from routine.model import (
    AbsenceReport,
    DayPart,
    Guardian,
    Pupil,
    ReportingRules,
    ReportStatus,
)
from routine.ports import UnitOfWork


class ReportError(enum.StrEnum):
    """Why a draft cannot be a report. The dialog turns each into a translated sentence."""

    IN_THE_PAST = "in_the_past"
    TOO_FAR_AHEAD = "too_far_ahead"
    ENDS_BEFORE_START = "ends_before_start"
    TOO_LONG = "too_long"
    NOTE_TOO_LONG = "note_too_long"
    TIME_OUT_OF_HOURS = "time_out_of_hours"
    PART_NEEDS_SINGLE_DAY = "part_needs_single_day"
    PART_NEEDS_TIME = "part_needs_time"
    NOT_YOUR_CHILD = "not_your_child"


def check_first_day(day: date, today: date, rules: ReportingRules) -> ReportError | None:
    if day < today:
        return ReportError.IN_THE_PAST
    if day > today + timedelta(days=rules.max_days_ahead):
        return ReportError.TOO_FAR_AHEAD
    return None


def check_last_day(first: date, last: date, rules: ReportingRules) -> ReportError | None:
    if last < first:
        return ReportError.ENDS_BEFORE_START
    if (last - first).days + 1 > rules.max_span_days:
        return ReportError.TOO_LONG
    return None


def check_time(moment: time, rules: ReportingRules) -> ReportError | None:
    if not rules.earliest_time <= moment <= rules.latest_time:
        return ReportError.TIME_OUT_OF_HOURS
    return None


def check_note(note: str, rules: ReportingRules) -> ReportError | None:
    if len(note) > rules.max_note_length:
        return ReportError.NOTE_TOO_LONG
    return None


def check_report(
    report: AbsenceReport, guardian: Guardian, today: date, rules: ReportingRules
) -> list[ReportError]:
    """Every rule at once: the dialog checks step by step, but the stored report must hold."""
    errors = [
        check_first_day(report.first_day, today, rules),
        check_last_day(report.first_day, report.last_day, rules),
        check_note(report.note, rules),
    ]
    if report.pupil_id not in guardian.pupil_ids:
        errors.append(ReportError.NOT_YOUR_CHILD)
    if report.part is not DayPart.WHOLE_DAY:
        if report.first_day != report.last_day:
            errors.append(ReportError.PART_NEEDS_SINGLE_DAY)
        if report.at_time is None:
            errors.append(ReportError.PART_NEEDS_TIME)
        else:
            errors.append(check_time(report.at_time, rules))
    return [error for error in errors if error is not None]


class ReportRejected(Exception):
    def __init__(self, errors: list[ReportError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


async def submit_report(
    uow: UnitOfWork,
    *,
    report: AbsenceReport,
    today: date,
    now: datetime,
    rules: ReportingRules,
) -> AbsenceReport:
    """Store a guardian's report. The caller commits, together with its conversation state."""
    guardian = await uow.guardians.get(report.school_key, report.guardian_id)
    if guardian is None:
        raise ReportRejected([ReportError.NOT_YOUR_CHILD])
    errors = check_report(report, guardian, today, rules)
    if errors:
        raise ReportRejected(errors)
    return await uow.reports.add(dataclasses.replace(report, reported_at=now))


def can_withdraw(report: AbsenceReport, today: date) -> bool:
    """Days that have begun stay explained; a report can only be withdrawn before it starts
    or on its first day."""
    return report.status is ReportStatus.ACTIVE and report.first_day >= today


def back_at_school_days(report: AbsenceReport, today: date) -> list[date]:
    """The days a pupil can come back on while the report still keeps at least one day."""
    earliest = max(report.first_day + timedelta(days=1), today)
    return [day for day in report.days() if day >= earliest]


def end_early(report: AbsenceReport, back_on: date, today: date) -> AbsenceReport:
    if back_on not in back_at_school_days(report, today):
        raise ValueError(f"{back_on} is not a day this report can end on")
    return dataclasses.replace(report, last_day=back_on - timedelta(days=1))


def withdraw(report: AbsenceReport, today: date) -> AbsenceReport:
    if not can_withdraw(report, today):
        raise ValueError("a report whose days have begun cannot be withdrawn")
    return dataclasses.replace(report, status=ReportStatus.WITHDRAWN)


def guardian_children(guardian: Guardian, pupils: list[Pupil]) -> list[Pupil]:
    """Only the guardian's own linked, active pupils: a guardian never sees another child."""
    return [p for p in pupils if p.pupil_id in guardian.pupil_ids and p.active]
