"""The tables of the people and the schools: schools, classes, pupils, guardians and their links,
staff with their roles and classes, chat accounts and invite codes.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import ForeignKey, ForeignKeyConstraint, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.orm_base import Base, _school_key


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
    # Also active and the id: the nightly reads the active pupils by class from it alone.
    __table_args__ = (
        Index("ix_pupils_class_active_pupil", "school_key", "class_name", "active", "pupil_id"),
    )

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
