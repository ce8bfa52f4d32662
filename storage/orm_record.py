"""The tables of the attendance record: reports, marks, corrections, uses of the record, rule
hits, leave requests, and the staff side of the day (`routine.roll_call`, `routine.follow_up`):
roll calls, follow-ups and guardian contacts; and the school's absence codes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, JsonDocument, _pupil_key, _school_key


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
        # One pupil's history (the record), and the import's "is it there already"; with the
        # columns the nightly rules count by, so that their scan reads the index alone.
        Index(
            "ix_attendance_marks_pupil_day_counted",
            "school_key",
            "pupil_id",
            "day",
            "lesson",
            "kind",
            "valid",
            "code",
        ),
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
        # With the user: the nightly rules read the days already used from the index alone.
        Index("ix_record_uses_pupil_day_used_by", "school_key", "pupil_id", "day", "used_by"),
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
    # The hit held on its window's last evaluation (`RuleWindowRow.evaluated_through`): its
    # window ends there and its school days are the window's. Otherwise it ends at its own
    # window end, with its own numbers (the last night it held). So a hit that goes on holding
    # is not written every night (docs/performance.md).
    holding: Mapped[bool] = mapped_column(server_default=false())


class RuleWindowRow(Base):
    """How far a rule's window (by its start) was evaluated, and its school days then: one
    row a school, rule and window start, moved every night, instead of every hit that holds
    (`RuleHitRow.holding`)."""

    __tablename__ = "rule_windows"

    school_key: Mapped[str] = _school_key()
    rule_id: Mapped[str] = mapped_column(primary_key=True)
    window_start: Mapped[date] = mapped_column(primary_key=True)
    evaluated_through: Mapped[date]
    school_days: Mapped[int | None]


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
