"""The tables, as SQLAlchemy declarative rows. `migrations/versions/` must match this file exactly.

Rows are keyed by the school's own identifiers (school key + pupil id, …), as the domain is, so
imports are idempotent and upserts need no lookups of surrogate ids. Only reports, marks,
invites, outbox messages and guardians' requests, which the school does not name, get generated
integer ids.

Enumerations are stored as their plain string values, so a new member needs no migration and
PostgreSQL needs no ENUM types. The mapping to domain objects lives in `storage.mapping`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

# Fixed constraint names, so that migrations can refer to them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware instant, stored as UTC and always read back tz-aware in UTC.

    PostgreSQL keeps the zone (timestamptz); SQLite drops it, so it is put back on read. Naive
    datetimes are refused: their meaning depends on the server's clock setting.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing a naive datetime ({value.isoformat()}): give it a timezone")
    return value.astimezone(UTC)


# JSONB on PostgreSQL: compact, and comparable should we ever need to query inside it.
JsonDocument = JSON().with_variant(JSONB(), "postgresql")


# Tables in our database that other libraries own and create: APScheduler's job store.
# Migrations neither create nor drop them.
FOREIGN_TABLES = frozenset({"scheduler_jobs"})


def is_ours(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` hook: compare and migrate only our own tables."""
    return not (type_ == "table" and name in FOREIGN_TABLES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, TypeEngine[Any]]] = {
        str: String(),
        bool: Boolean(),
        int: Integer(),
        date: Date(),
        time: Time(),
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDocument,
    }


def _school_key() -> Mapped[str]:
    return mapped_column(ForeignKey("schools.key"), primary_key=True)


class SchoolRow(Base):
    __tablename__ = "schools"

    key: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    country: Mapped[str]
    timezone: Mapped[str]
    language: Mapped[str]
    roll_call: Mapped[time]
    roll_call_reminder: Mapped[time]
    report_cutoff: Mapped[time]
    unreported_prompt: Mapped[time]
    end_of_day: Mapped[time]
    escalate_after_minutes: Mapped[int]
    mentor_sees_reason: Mapped[bool]
    mentor_sees_note: Mapped[bool]
    retention_days: Mapped[int]
    max_days_ahead: Mapped[int]
    max_span_days: Mapped[int]
    max_note_length: Mapped[int]
    earliest_report_time: Mapped[time]
    latest_report_time: Mapped[time]
    # `[attendance]` and `[leave]` (routine.model.AttendanceRules, LeaveRules).
    correction_days: Mapped[int]
    # None: the country's default.
    other_reason: Mapped[str | None]
    leave_max_days_ahead: Mapped[int]
    leave_max_span_days: Mapped[int]
    leave_max_reason_length: Mapped[int]
    leave_decided_by: Mapped[str]
    leave_remind_after_days: Mapped[int]
    # `[cases]` (routine.model.CaseRules).
    cases_remind_ahead_days: Mapped[int]
    cases_overdue_after_days: Mapped[int]
    cases_nothing_new_days: Mapped[int]
    # Terms, breaks and days off: read and written only as a whole, with the school.
    calendar: Mapped[dict[str, Any]]
    # The rules' overrides from the policy file and `[policy]` (routine.model.PolicyOverride):
    # {"overrides": [...]}, read and written as a whole.
    policy: Mapped[dict[str, Any]]


class ClassRow(Base):
    __tablename__ = "classes"

    school_key: Mapped[str] = _school_key()
    name: Mapped[str] = mapped_column(primary_key=True)


class PupilRow(Base):
    __tablename__ = "pupils"
    __table_args__ = (Index("ix_pupils_school_key_class_name", "school_key", "class_name"),)

    school_key: Mapped[str] = _school_key()
    pupil_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    # A name, not a foreign key: the roster may name a class before the school file does.
    class_name: Mapped[str]
    active: Mapped[bool]


class GuardianRow(Base):
    __tablename__ = "guardians"

    school_key: Mapped[str] = _school_key()
    guardian_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    language: Mapped[str]
    phone: Mapped[str]
    email: Mapped[str]
    # Chosen in the chat; the roster's `language` stays as the file says.
    chosen_language: Mapped[str | None]
    links: Mapped[list[GuardianPupilRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="GuardianPupilRow.pupil_id"
    )


class GuardianPupilRow(Base):
    """A guardian's link to one of their children."""

    __tablename__ = "guardian_pupils"
    __table_args__ = (
        ForeignKeyConstraint(
            ["school_key", "guardian_id"],
            ["guardians.school_key", "guardians.guardian_id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["school_key", "pupil_id"], ["pupils.school_key", "pupils.pupil_id"]),
        Index("ix_guardian_pupils_school_key_pupil_id", "school_key", "pupil_id"),
    )

    school_key: Mapped[str] = mapped_column(primary_key=True)
    guardian_id: Mapped[str] = mapped_column(primary_key=True)
    pupil_id: Mapped[str] = mapped_column(primary_key=True)


class StaffRow(Base):
    __tablename__ = "staff"
    __table_args__ = (Index("ix_staff_slack_user_id", "slack_user_id"),)

    school_key: Mapped[str] = _school_key()
    staff_id: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    language: Mapped[str | None]
    slack_user_id: Mapped[str]
    # Chosen in the chat, and Slack's locale from their last event or from users.info, and
    # when users.info was asked (routine.model.StaffMember).
    chosen_language: Mapped[str | None]
    platform_language: Mapped[str | None]
    platform_locale_asked: Mapped[datetime | None]
    roles: Mapped[list[StaffRoleRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffRoleRow.role"
    )
    classes: Mapped[list[StaffClassRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="StaffClassRow.position"
    )


def _staff_member_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["school_key", "staff_id"], ["staff.school_key", "staff.staff_id"], ondelete="CASCADE"
    )


class StaffRoleRow(Base):
    __tablename__ = "staff_roles"
    __table_args__ = (_staff_member_key(),)

    school_key: Mapped[str] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(primary_key=True)


class StaffClassRow(Base):
    """A class a staff member works with; `position` keeps the order the school gave."""

    __tablename__ = "staff_classes"
    __table_args__ = (
        _staff_member_key(),
        Index("ix_staff_classes_school_key_class_name", "school_key", "class_name"),
    )

    school_key: Mapped[str] = mapped_column(primary_key=True)
    staff_id: Mapped[str] = mapped_column(primary_key=True)
    class_name: Mapped[str] = mapped_column(primary_key=True)
    position: Mapped[int]


def _pupil_key() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["school_key", "pupil_id"], ["pupils.school_key", "pupils.pupil_id"]
    )


class AbsenceReportRow(Base):
    __tablename__ = "absence_reports"
    __table_args__ = (
        _pupil_key(),
        # Both report queries: one school, some pupils, reports ending on or after a day.
        Index("ix_absence_reports_school_pupil_last_day", "school_key", "pupil_id", "last_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    # Who reported; not a foreign key, so a report outlives the guardian's removal.
    guardian_id: Mapped[str]
    reason: Mapped[str]
    first_day: Mapped[date]
    last_day: Mapped[date]
    part: Mapped[str]
    at_time: Mapped[time | None]
    note: Mapped[str]
    reported_at: Mapped[datetime | None]
    status: Mapped[str]


class AttendanceMarkRow(Base):
    __tablename__ = "attendance_marks"
    __table_args__ = (
        _pupil_key(),
        Index("ix_attendance_marks_school_key_day", "school_key", "day"),
        # One pupil's history (the record), and the import's "is it there already".
        Index("ix_attendance_marks_school_key_pupil_id_day", "school_key", "pupil_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    day: Mapped[date]
    kind: Mapped[str]
    lesson: Mapped[str | None]
    explained: Mapped[bool]
    valid: Mapped[bool | None]
    code: Mapped[str | None]
    marked_by: Mapped[str]
    minutes: Mapped[int | None]
    # routine.model.MarkSource: a roll call or the school's register, imported.
    source: Mapped[str]


class AttendanceCorrectionRow(Base):
    """Staff's correction of one pupil's day: the audit trail, kept with the record."""

    __tablename__ = "attendance_corrections"
    __table_args__ = (
        _pupil_key(),
        Index("ix_attendance_corrections_school_key_day", "school_key", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    day: Mapped[date]
    status: Mapped[str]
    code: Mapped[str | None]
    valid: Mapped[bool | None]
    reason: Mapped[str]
    # Not a foreign key, so the record outlives the staff member.
    corrected_by: Mapped[str]
    corrected_at: Mapped[datetime]
    # The day as it stood before (routine.record.DayRecord's fields), or null.
    before: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    flagged: Mapped[bool]


class RecordUseRow(Base):
    """A rule or notice used this pupil's day (e.g. a threshold that fired, a notice sent), so
    that a later correction of the day is flagged to the principal, never silently rewritten."""

    __tablename__ = "record_uses"
    __table_args__ = (
        _pupil_key(),
        Index("ix_record_uses_school_key_pupil_id_day", "school_key", "pupil_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    day: Mapped[date]
    # What used it: a rule's or notice's id, for the principal to read.
    used_by: Mapped[str]
    used_at: Mapped[datetime]


class RuleHitRow(Base):
    """A rule held for a pupil over a window (routine.thresholds.RuleHit), with its numbers.
    Unique per window start: a hit that holds night after night is updated in place (its
    window end and numbers), so evaluating a day again changes nothing."""

    __tablename__ = "rule_hits"
    __table_args__ = (
        _pupil_key(),
        UniqueConstraint("school_key", "pupil_id", "rule_id", "window_start"),
        Index("ix_rule_hits_school_key_window_end", "school_key", "window_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    rule_id: Mapped[str]
    window_start: Mapped[date]
    window_end: Mapped[date]
    numbers: Mapped[dict[str, Any]]
    found_at: Mapped[datetime]


class LeaveRequestRow(Base):
    """A guardian's request for leave, and the decision (routine.leave)."""

    __tablename__ = "leave_requests"
    __table_args__ = (
        _pupil_key(),
        Index("ix_leave_requests_school_key_pupil_id", "school_key", "pupil_id"),
        Index("ix_leave_requests_school_key_status", "school_key", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    first_day: Mapped[date]
    last_day: Mapped[date]
    reason: Mapped[str]
    requested_at: Mapped[datetime]
    status: Mapped[str]
    decided_by: Mapped[str]
    decided_at: Mapped[datetime | None]
    comment: Mapped[str]
    reminded_at: Mapped[datetime | None]


class AbsenceCodeRow(Base):
    __tablename__ = "absence_codes"

    school_key: Mapped[str] = _school_key()
    code: Mapped[str] = mapped_column(primary_key=True)
    label: Mapped[str]
    counts_as_absence: Mapped[bool]
    valid: Mapped[bool]
    late: Mapped[bool]


class ChatAccountRow(Base):
    __tablename__ = "chat_accounts"
    __table_args__ = (Index("ix_chat_accounts_person", "school_key", "person_kind", "person_id"),)

    platform: Mapped[str] = mapped_column(primary_key=True)
    account_id: Mapped[str] = mapped_column(primary_key=True)
    school_key: Mapped[str] = mapped_column(ForeignKey("schools.key"))
    # "guardian" or "staff"; two kinds of person, so no foreign key to either table.
    person_kind: Mapped[str]
    person_id: Mapped[str]
    reachable: Mapped[bool]


class InviteCodeRow(Base):
    """An invite for a guardian. Only the code's hash is stored, never the code."""

    __tablename__ = "invite_codes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["school_key", "guardian_id"], ["guardians.school_key", "guardians.guardian_id"]
        ),
        Index("ix_invite_codes_school_key_guardian_id", "school_key", "guardian_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    guardian_id: Mapped[str]
    code_hash: Mapped[str] = mapped_column(unique=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_updated_at", "updated_at"),)

    key: Mapped[str] = mapped_column(primary_key=True)
    flow: Mapped[str | None]
    state: Mapped[str | None]
    data: Mapped[dict[str, Any]]
    # Bookkeeping for clearing abandoned conversations; not part of the domain object.
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Saves so far: a save is a compare-and-set on it (two events of one chat at once).
    version: Mapped[int] = mapped_column(server_default=text("0"))


# Only pending messages are ever claimed; sent ones pile up until retention removes them, so the
# claim index leaves them out (a partial index, on both backends).
PENDING = text("status = 'pending'")


class OutboxRow(Base):
    """A message waiting to be sent, or the record of its delivery (`routine.outbox`)."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The claim: pending messages of some platforms, oldest (lowest id) first.
        Index(
            "ix_outbox_pending_platform_id",
            "platform",
            "id",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
        # Retention: one school's messages created before a moment.
        Index("ix_outbox_school_key_created_at", "school_key", "created_at"),
        # The versions of one message on screen (its slot), for edits in place.
        Index("ix_outbox_platform_recipient_slot", "platform", "recipient", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # The idempotency key: writing the same message twice keeps one.
    key: Mapped[str] = mapped_column(unique=True)
    platform: Mapped[str]
    recipient: Mapped[str]
    text: Mapped[str]
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JsonDocument)
    kind: Mapped[str]
    school_key: Mapped[str] = mapped_column(ForeignKey("schools.key"))
    created_at: Mapped[datetime | None]
    status: Mapped[str]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str]
    sent_at: Mapped[datetime | None]
    # The lease: which dispatcher is sending the message, and until when. Not part of the
    # domain object; a lease that has run out is as good as none.
    claimed_by: Mapped[str | None]
    claimed_until: Mapped[datetime | None]
    # Versions of one message on screen share a slot ("" for none); `ref` is the platform's id
    # of the delivered message (Slack: channel and ts), which a later version edits.
    slot: Mapped[str]
    ref: Mapped[str]


# What guardians ask of the school (`routine.requests`). Like reports, each row names its pupil by
# a foreign key and its guardian by id only, so it outlives the guardian's removal.


class AbsencePromptRow(Base):
    """'Is your child absent?', asked of one guardian about one pupil and day."""

    __tablename__ = "absence_prompts"
    __table_args__ = (
        _pupil_key(),
        # Asked once: a second prompt about the same pupil, guardian and day is refused. Also
        # the index of `find`.
        UniqueConstraint("school_key", "pupil_id", "guardian_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # What the answer buttons carry; unique, and the index of `by_token`.
    token: Mapped[str] = mapped_column(unique=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    day: Mapped[date]
    created_at: Mapped[datetime]
    answer: Mapped[str | None]
    answered_at: Mapped[datetime | None]


class ContactRequestRow(Base):
    __tablename__ = "contact_requests"
    __table_args__ = (
        _pupil_key(),
        # `list_open`: one school, some pupils.
        Index("ix_contact_requests_school_key_pupil_id", "school_key", "pupil_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    topic: Mapped[str]
    way: Mapped[str]
    time: Mapped[str]
    created_at: Mapped[datetime]
    status: Mapped[str]
    # The staff member who took it; not a foreign key, so the record outlives them.
    taken_by: Mapped[str]
    taken_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    # When the coordinators were told that nobody had taken it.
    escalated_at: Mapped[datetime | None]


class GuardianConcernRow(Base):
    __tablename__ = "guardian_concerns"
    __table_args__ = (
        _pupil_key(),
        Index("ix_guardian_concerns_school_key_pupil_id", "school_key", "pupil_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    guardian_id: Mapped[str]
    kind: Mapped[str]
    created_at: Mapped[datetime]


# The staff side of the day (`routine.roll_call`, `routine.follow_up`).


class RollCallRow(Base):
    """One class's morning roll call on one day: open, submitted, or not answered. The marks
    it produced are attendance marks; this row records whether it was taken at all."""

    __tablename__ = "roll_calls"
    __table_args__ = (
        ForeignKeyConstraint(["school_key", "class_name"], ["classes.school_key", "classes.name"]),
        UniqueConstraint("school_key", "day", "class_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    class_name: Mapped[str]
    day: Mapped[date]
    status: Mapped[str]
    opened_at: Mapped[datetime]
    # Who submitted it last; not a foreign key, so the record outlives them.
    submitted_by: Mapped[str]
    submitted_at: Mapped[datetime | None]


class FollowUpRow(Base):
    """A pupil absent without a report on one day, whom the school follows up the same day."""

    __tablename__ = "follow_ups"
    __table_args__ = (_pupil_key(), UniqueConstraint("school_key", "day", "pupil_id"))

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    school_key: Mapped[str]
    pupil_id: Mapped[str]
    day: Mapped[date]
    opened_at: Mapped[datetime]
    # Whether a guardian could be asked in chat; if not, staff must phone.
    reachable: Mapped[bool]


class GuardianContactRow(Base):
    """Staff's record of contacting a guardian in a same-day follow-up."""

    __tablename__ = "guardian_contacts"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    follow_up_id: Mapped[int] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE"), index=True
    )
    staff_id: Mapped[str]
    # Whom: a guardian's id from the roster, or "" for someone else.
    guardian_id: Mapped[str]
    contacted_at: Mapped[datetime]
    means: Mapped[str]
    outcome: Mapped[str]
    valid: Mapped[bool | None]
    # The conversation topics covered, as their plain values.
    topics: Mapped[list[str]] = mapped_column(JsonDocument)
    note: Mapped[str]
    recorded_at: Mapped[datetime]


class SlackEventRow(Base):
    """Slack event ids already handled, so that a retry reaching any process is handled once."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


# The case and concern tables live in their own modules; importing them here puts them in
# Base.metadata.
from storage import (  # noqa: E402, F401
    orm_case_notices,
    orm_case_tasks,
    orm_cases,
    orm_concerns,
    orm_plans,
)
