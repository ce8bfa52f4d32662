"""Rows to domain objects and back. Repositories hand out domain objects only, never rows."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, datetime, timedelta
from typing import Any

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    AttendanceRules,
    CaseRules,
    ChatAccount,
    Conversation,
    Country,
    DateSpan,
    DayPart,
    Guardian,
    InviteCode,
    Language,
    LeaveRules,
    MarkKind,
    MarkSource,
    OtherReason,
    PolicyOverride,
    PrivacySettings,
    Pupil,
    ReasonCategory,
    ReportingRules,
    ReportStatus,
    Role,
    School,
    SchoolCalendar,
    SchoolClass,
    SchoolTimes,
    StaffMember,
)
from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
    PromptAnswer,
    RequestStatus,
)
from storage.orm import (
    AbsenceCodeRow,
    AbsencePromptRow,
    AbsenceReportRow,
    AttendanceMarkRow,
    ChatAccountRow,
    ClassRow,
    ContactRequestRow,
    ConversationRow,
    GuardianConcernRow,
    GuardianPupilRow,
    GuardianRow,
    InviteCodeRow,
    OutboxRow,
    PupilRow,
    SchoolRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
    as_utc,
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


# Reports and marks


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


# Chat accounts, invites, conversations


def account_from_row(row: ChatAccountRow) -> ChatAccount:
    return ChatAccount(
        platform=row.platform,
        account_id=row.account_id,
        school_key=row.school_key,
        person_kind=row.person_kind,
        person_id=row.person_id,
        reachable=row.reachable,
    )


def account_to_row(account: ChatAccount, row: ChatAccountRow) -> None:
    row.platform = account.platform
    row.account_id = account.account_id
    row.school_key = account.school_key
    row.person_kind = account.person_kind
    row.person_id = account.person_id
    row.reachable = account.reachable


def invite_from_row(row: InviteCodeRow) -> InviteCode:
    return InviteCode(
        school_key=row.school_key,
        guardian_id=row.guardian_id,
        code_hash=row.code_hash,
        expires_at=row.expires_at,
        used_at=row.used_at,
        id=row.id,
    )


def invite_to_row(invite: InviteCode) -> InviteCodeRow:
    return InviteCodeRow(
        school_key=invite.school_key,
        guardian_id=invite.guardian_id,
        code_hash=invite.code_hash,
        expires_at=as_utc(invite.expires_at),
        used_at=None if invite.used_at is None else as_utc(invite.used_at),
    )


def conversation_from_row(row: ConversationRow) -> Conversation:
    # A copy: callers change a conversation's data in place, and the row must not follow.
    return Conversation(
        key=row.key,
        flow=row.flow,
        state=row.state,
        data=copy.deepcopy(row.data),
        version=row.version,
    )


# The outbox


def outbox_from_row(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        key=row.key,
        platform=row.platform,
        recipient=row.recipient,
        text=row.text,
        kind=row.kind,
        school_key=row.school_key,
        buttons=tuple(OutgoingButton(b["id"], b["label"]) for b in row.buttons),
        created_at=row.created_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        slot=row.slot,
        ref=row.ref,
        id=row.id,
    )


def outbox_columns(message: OutboxMessage) -> dict[str, Any]:
    """The message's columns, for INSERT and UPDATE statements (id and lease left out)."""
    return {
        "key": message.key,
        "platform": message.platform,
        "recipient": message.recipient,
        "text": message.text,
        "kind": message.kind,
        "school_key": message.school_key,
        "buttons": [{"id": b.id, "label": b.label} for b in message.buttons],
        "created_at": _utc_or_none(message.created_at),
        "status": message.status.value,
        "attempts": message.attempts,
        "next_attempt_at": _utc_or_none(message.next_attempt_at),
        "last_error": message.last_error,
        "sent_at": _utc_or_none(message.sent_at),
        "slot": message.slot,
        "ref": message.ref,
    }


# Guardians' requests


def prompt_from_row(row: AbsencePromptRow) -> AbsencePrompt:
    return AbsencePrompt(
        token=row.token,
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        day=row.day,
        created_at=row.created_at,
        answer=None if row.answer is None else PromptAnswer(row.answer),
        answered_at=row.answered_at,
        id=row.id,
    )


def prompt_to_row(prompt: AbsencePrompt, row: AbsencePromptRow) -> None:
    row.token = prompt.token
    row.school_key = prompt.school_key
    row.pupil_id = prompt.pupil_id
    row.guardian_id = prompt.guardian_id
    row.day = prompt.day
    row.created_at = as_utc(prompt.created_at)
    row.answer = None if prompt.answer is None else prompt.answer.value
    row.answered_at = _utc_or_none(prompt.answered_at)


def contact_request_from_row(row: ContactRequestRow) -> ContactRequest:
    return ContactRequest(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        topic=ContactTopic(row.topic),
        way=ContactWay(row.way),
        time=ContactTime(row.time),
        created_at=row.created_at,
        status=RequestStatus(row.status),
        taken_by=row.taken_by,
        taken_at=row.taken_at,
        done_at=row.done_at,
        escalated_at=row.escalated_at,
        id=row.id,
    )


def contact_request_to_row(request: ContactRequest, row: ContactRequestRow) -> None:
    row.school_key = request.school_key
    row.pupil_id = request.pupil_id
    row.guardian_id = request.guardian_id
    row.topic = request.topic.value
    row.way = request.way.value
    row.time = request.time.value
    row.created_at = as_utc(request.created_at)
    row.status = request.status.value
    row.taken_by = request.taken_by
    row.taken_at = _utc_or_none(request.taken_at)
    row.done_at = _utc_or_none(request.done_at)
    row.escalated_at = _utc_or_none(request.escalated_at)


def concern_from_row(row: GuardianConcernRow) -> GuardianConcern:
    return GuardianConcern(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        kind=ConcernKind(row.kind),
        created_at=row.created_at,
        id=row.id,
    )


def concern_to_row(concern: GuardianConcern) -> GuardianConcernRow:
    return GuardianConcernRow(
        school_key=concern.school_key,
        pupil_id=concern.pupil_id,
        guardian_id=concern.guardian_id,
        kind=concern.kind.value,
        created_at=as_utc(concern.created_at),
    )


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
