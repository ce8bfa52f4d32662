"""The tables, as SQLAlchemy declarative rows. `migrations/versions/` must match them exactly.

Rows are keyed by the school's own identifiers (school key + pupil id, …), as the domain is, so
imports are idempotent and upserts need no lookups of surrogate ids. Only reports, marks,
invites, outbox messages and guardians' requests, which the school does not name, get generated
integer ids.

Enumerations are stored as their plain string values, so a new member needs no migration and
PostgreSQL needs no ENUM types. The mapping to domain objects lives in `storage.mapping`.

The one `Base` and its column types are in `storage.orm_base`; the tables are in `orm_*` by area
(people, record, requests, chat, cases, ...). Importing this module puts every table in
`Base.metadata`, and it re-exports them under the same names.
"""

from __future__ import annotations

from storage.orm_base import (
    FOREIGN_TABLES,
    NAMING_CONVENTION,
    Base,
    JsonDocument,
    UtcDateTime,
    _pupil_key,
    _school_key,
    as_utc,
    is_ours,
)
from storage.orm_chat import PENDING, ConversationRow, OutboxRow, SlackEventRow
from storage.orm_people import (
    ChatAccountRow,
    ClassRow,
    GuardianPupilRow,
    GuardianRow,
    InviteCodeRow,
    PupilRow,
    SchoolRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
    _staff_member_key,
)
from storage.orm_record import (
    AbsenceCodeRow,
    AbsenceReportRow,
    AttendanceCorrectionRow,
    AttendanceMarkRow,
    FollowUpRow,
    GuardianContactRow,
    LeaveRequestRow,
    RecordUseRow,
    RollCallRow,
    RuleHitRow,
    RuleWindowRow,
)
from storage.orm_requests import AbsencePromptRow, ContactRequestRow, GuardianConcernRow

__all__ = [
    "FOREIGN_TABLES",
    "NAMING_CONVENTION",
    "PENDING",
    "AbsenceCodeRow",
    "AbsencePromptRow",
    "AbsenceReportRow",
    "AttendanceCorrectionRow",
    "AttendanceMarkRow",
    "Base",
    "ChatAccountRow",
    "ClassRow",
    "ContactRequestRow",
    "ConversationRow",
    "FollowUpRow",
    "GuardianConcernRow",
    "GuardianContactRow",
    "GuardianPupilRow",
    "GuardianRow",
    "InviteCodeRow",
    "JsonDocument",
    "LeaveRequestRow",
    "OutboxRow",
    "PupilRow",
    "RecordUseRow",
    "RollCallRow",
    "RuleHitRow",
    "RuleWindowRow",
    "SchoolRow",
    "SlackEventRow",
    "StaffClassRow",
    "StaffRoleRow",
    "StaffRow",
    "UtcDateTime",
    "_pupil_key",
    "_school_key",
    "_staff_member_key",
    "as_utc",
    "is_ours",
]


# The case and concern tables import `Base` from here (or from `storage.orm_base`); importing them
# at the end puts them in Base.metadata.
from storage import (  # noqa: F401
    orm_case_notices,
    orm_case_tasks,
    orm_cases,
    orm_concerns,
    orm_plans,
)
