"""Rows to domain objects and back for the people and the schools: schools with their calendars,
classes, pupils, guardians and staff.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from routine.model import (
    AttendanceRules,
    CaseRules,
    Country,
    DateSpan,
    Guardian,
    Language,
    LeaveRules,
    OtherReason,
    PolicyOverride,
    PrivacySettings,
    Pupil,
    ReportingRules,
    Role,
    School,
    SchoolCalendar,
    SchoolClass,
    SchoolTimes,
    StaffMember,
)
from storage.orm_people import (
    ClassRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    SchoolRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
)

# Schools


def school_from_row(row: SchoolRow) -> School:
    return School(
        key=row.key,
        name=row.name,
        country=Country(row.country),
        timezone=row.timezone,
        language=Language(row.language),
        times=SchoolTimes(
            roll_call=row.roll_call,
            roll_call_reminder=row.roll_call_reminder,
            escalate_after=timedelta(minutes=row.escalate_after_minutes),
            report_cutoff=row.report_cutoff,
            unreported_prompt=row.unreported_prompt,
            end_of_day=row.end_of_day,
        ),
        calendar=calendar_from_json(row.calendar),
        privacy=PrivacySettings(
            mentor_sees_reason=row.mentor_sees_reason,
            mentor_sees_note=row.mentor_sees_note,
            retention_days=row.retention_days,
        ),
        reporting=ReportingRules(
            max_days_ahead=row.max_days_ahead,
            max_span_days=row.max_span_days,
            max_note_length=row.max_note_length,
            earliest_time=row.earliest_report_time,
            latest_time=row.latest_report_time,
        ),
        attendance=AttendanceRules(
            correction_days=row.correction_days,
            other_reason=None if row.other_reason is None else OtherReason(row.other_reason),
        ),
        leave=LeaveRules(
            max_days_ahead=row.leave_max_days_ahead,
            max_span_days=row.leave_max_span_days,
            max_reason_length=row.leave_max_reason_length,
            decided_by=Role(row.leave_decided_by),
            remind_after_days=row.leave_remind_after_days,
        ),
        policy=tuple(PolicyOverride(**item) for item in row.policy.get("overrides", [])),
        cases=CaseRules(
            remind_ahead_days=row.cases_remind_ahead_days,
            overdue_after_days=row.cases_overdue_after_days,
            nothing_new_days=row.cases_nothing_new_days,
        ),
    )


def school_to_row(school: School, row: SchoolRow) -> None:
    row.key = school.key
    row.name = school.name
    row.country = school.country.value
    row.timezone = school.timezone
    row.language = school.language.value
    row.roll_call = school.times.roll_call
    row.roll_call_reminder = school.times.roll_call_reminder
    row.escalate_after_minutes = int(school.times.escalate_after.total_seconds() // 60)
    row.report_cutoff = school.times.report_cutoff
    row.unreported_prompt = school.times.unreported_prompt
    row.end_of_day = school.times.end_of_day
    row.mentor_sees_reason = school.privacy.mentor_sees_reason
    row.mentor_sees_note = school.privacy.mentor_sees_note
    row.retention_days = school.privacy.retention_days
    row.max_days_ahead = school.reporting.max_days_ahead
    row.max_span_days = school.reporting.max_span_days
    row.max_note_length = school.reporting.max_note_length
    row.earliest_report_time = school.reporting.earliest_time
    row.latest_report_time = school.reporting.latest_time
    row.correction_days = school.attendance.correction_days
    other = school.attendance.other_reason
    row.other_reason = None if other is None else other.value
    row.leave_max_days_ahead = school.leave.max_days_ahead
    row.leave_max_span_days = school.leave.max_span_days
    row.leave_max_reason_length = school.leave.max_reason_length
    row.leave_decided_by = school.leave.decided_by.value
    row.leave_remind_after_days = school.leave.remind_after_days
    row.cases_remind_ahead_days = school.cases.remind_ahead_days
    row.cases_overdue_after_days = school.cases.overdue_after_days
    row.cases_nothing_new_days = school.cases.nothing_new_days
    row.calendar = calendar_to_json(school.calendar)
    row.policy = {"overrides": [dataclasses.asdict(item) for item in school.policy]}


def calendar_to_json(calendar: SchoolCalendar) -> dict[str, Any]:
    return {
        "terms": [_span_to_json(span) for span in calendar.terms],
        "breaks": [_span_to_json(span) for span in calendar.breaks],
        "days_off": [day.isoformat() for day in calendar.days_off],
    }


def calendar_from_json(document: dict[str, Any]) -> SchoolCalendar:
    return SchoolCalendar(
        terms=tuple(_span_from_json(span) for span in document.get("terms", [])),
        breaks=tuple(_span_from_json(span) for span in document.get("breaks", [])),
        days_off=tuple(date.fromisoformat(day) for day in document.get("days_off", [])),
    )


def _span_to_json(span: DateSpan) -> dict[str, str]:
    return {"start": span.start.isoformat(), "end": span.end.isoformat(), "name": span.name}


def _span_from_json(document: dict[str, str]) -> DateSpan:
    return DateSpan(
        start=date.fromisoformat(document["start"]),
        end=date.fromisoformat(document["end"]),
        name=document.get("name", ""),
    )


# Classes and pupils


def class_from_row(row: ClassRow) -> SchoolClass:
    return SchoolClass(school_key=row.school_key, name=row.name)


def pupil_from_row(row: PupilRow) -> Pupil:
    return Pupil(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        name=row.name,
        class_name=row.class_name,
        active=row.active,
    )


def pupil_to_row(pupil: Pupil, row: PupilRow) -> None:
    row.school_key = pupil.school_key
    row.pupil_id = pupil.pupil_id
    row.name = pupil.name
    row.class_name = pupil.class_name
    row.active = pupil.active


# Guardians


def guardian_from_row(row: GuardianRow) -> Guardian:
    return Guardian(
        school_key=row.school_key,
        guardian_id=row.guardian_id,
        name=row.name,
        language=Language(row.language),
        phone=row.phone,
        email=row.email,
        pupil_ids=tuple(sorted(link.pupil_id for link in row.links)),
        chosen_language=_language_or_none(row.chosen_language),
    )


def guardian_to_row(guardian: Guardian, row: GuardianRow) -> None:
    row.school_key = guardian.school_key
    row.guardian_id = guardian.guardian_id
    row.name = guardian.name
    row.language = guardian.language.value
    row.chosen_language = _value_or_none(guardian.chosen_language)
    row.phone = guardian.phone
    row.email = guardian.email
    # Keep the link rows that stay: replacing them would delete and re-insert the same keys.
    kept = {link.pupil_id: link for link in row.links}
    row.links = [
        kept.get(pupil_id) or GuardianPupilRow(pupil_id=pupil_id)
        for pupil_id in sorted(set(guardian.pupil_ids))
    ]


# Staff


def staff_from_row(row: StaffRow) -> StaffMember:
    return StaffMember(
        school_key=row.school_key,
        staff_id=row.staff_id,
        name=row.name,
        roles=frozenset(Role(role.role) for role in row.roles),
        classes=tuple(staff_class.class_name for staff_class in row.classes),
        language=_language_or_none(row.language),
        slack_user_id=row.slack_user_id,
        chosen_language=_language_or_none(row.chosen_language),
        platform_language=_language_or_none(row.platform_language),
        platform_locale_asked=row.platform_locale_asked,
    )


def _language_or_none(value: str | None) -> Language | None:
    return None if value is None else Language(value)


def _value_or_none(language: Language | None) -> str | None:
    return None if language is None else language.value


def staff_to_row(staff: StaffMember, row: StaffRow) -> None:
    row.school_key = staff.school_key
    row.staff_id = staff.staff_id
    row.name = staff.name
    row.language = _value_or_none(staff.language)
    row.slack_user_id = staff.slack_user_id
    row.chosen_language = _value_or_none(staff.chosen_language)
    row.platform_language = _value_or_none(staff.platform_language)
    row.platform_locale_asked = staff.platform_locale_asked
    kept_roles = {role.role: role for role in row.roles}
    row.roles = [
        kept_roles.get(role.value) or StaffRoleRow(role=role.value) for role in sorted(staff.roles)
    ]
    kept_classes = {staff_class.class_name: staff_class for staff_class in row.classes}
    row.classes = []
    for position, class_name in enumerate(dict.fromkeys(staff.classes)):
        staff_class = kept_classes.get(class_name) or StaffClassRow(class_name=class_name)
        staff_class.position = position
        row.classes.append(staff_class)
