"""The routine's nouns: schools, people, absence reports and attendance marks.

Identifiers are the school's own (pupil ids, guardian ids, staff ids from the school's register),
scoped by the school's key, so that imports are idempotent and nobody needs our database ids.

This module holds what is observed and reported about a day: a guardian's absence reports and
staff's attendance marks with the school's codes. The school and its rules are in
`routine.school`, its people in `routine.people`, chat accounts and conversations in
`routine.chat`; all are re-exported here, so that `from routine.model import X` imports any noun.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time

from routine.chat import ChatAccount, Conversation, InviteCode
from routine.people import Guardian, Pupil, StaffMember
from routine.school import (
    COUNTRY_LANGUAGE,
    AttendanceRules,
    CaseRules,
    Country,
    DateSpan,
    Language,
    LeaveRules,
    OtherReason,
    PolicyOverride,
    PrivacySettings,
    ReportingRules,
    Role,
    School,
    SchoolCalendar,
    SchoolClass,
    SchoolTimes,
)

__all__ = [
    "COUNTRY_LANGUAGE",
    "AbsenceCode",
    "AbsenceReport",
    "AttendanceMark",
    "AttendanceRules",
    "CaseRules",
    "ChatAccount",
    "Conversation",
    "Country",
    "DateSpan",
    "DayPart",
    "Guardian",
    "InviteCode",
    "Language",
    "LeaveRules",
    "MarkKind",
    "MarkSource",
    "OtherReason",
    "PolicyOverride",
    "PrivacySettings",
    "Pupil",
    "ReasonCategory",
    "ReportStatus",
    "ReportingRules",
    "Role",
    "School",
    "SchoolCalendar",
    "SchoolClass",
    "SchoolTimes",
    "StaffMember",
]


class ReasonCategory(enum.StrEnum):
    """What a guardian is asked: a category, never a diagnosis (domain guide §6)."""

    ILLNESS = "illness"
    APPOINTMENT = "appointment"
    OTHER = "other"


class DayPart(enum.StrEnum):
    WHOLE_DAY = "whole_day"
    ARRIVING_LATE = "arriving_late"
    LEAVING_EARLY = "leaving_early"


class ReportStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class AbsenceReport:
    school_key: str
    pupil_id: str
    guardian_id: str
    reason: ReasonCategory
    first_day: date
    last_day: date
    part: DayPart = DayPart.WHOLE_DAY
    at_time: time | None = None
    note: str = ""
    reported_at: datetime | None = None
    status: ReportStatus = ReportStatus.ACTIVE
    id: int | None = None

    def covers(self, day: date) -> bool:
        return self.status is ReportStatus.ACTIVE and self.first_day <= day <= self.last_day

    def days(self) -> list[date]:
        return DateSpan(self.first_day, self.last_day).days()


class MarkKind(enum.StrEnum):
    ABSENT = "absent"
    LATE = "late"
    LEFT_EARLY = "left_early"


class MarkSource(enum.StrEnum):
    """Who observed a mark: a mentor's roll call, or the school's register, imported."""

    ROLL_CALL = "roll_call"
    IMPORT = "import"


@dataclass(frozen=True)
class AbsenceCode:
    """A school's own code for a kind of absence. Rows with flags, not an enum: schools differ."""

    school_key: str
    code: str
    label: str
    counts_as_absence: bool = True
    valid: bool = False
    late: bool = False


@dataclass(frozen=True)
class AttendanceMark:
    """One observation by staff or the school's register: per day (lesson None) or per lesson."""

    school_key: str
    pupil_id: str
    day: date
    kind: MarkKind
    lesson: str | None = None
    explained: bool = False
    valid: bool | None = None
    code: str | None = None
    marked_by: str = ""
    minutes: int | None = None
    source: MarkSource = MarkSource.ROLL_CALL
    id: int | None = None
