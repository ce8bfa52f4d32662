"""Initial schema: schools, people, reports, marks, codes, chat accounts, invites, conversations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _utc_datetime() -> sa.types.TypeEngine:
    # storage.orm.UtcDateTime stores this; migrations stay free of application types.
    return sa.DateTime(timezone=True)


def _school_key_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_key"], ["schools.key"], name=op.f(f"fk_{table}_school_key_schools")
    )


def _pupil_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_key", "pupil_id"],
        ["pupils.school_key", "pupils.pupil_id"],
        name=op.f(f"fk_{table}_school_key_pupil_id_pupils"),
    )


def _staff_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_key", "staff_id"],
        ["staff.school_key", "staff.staff_id"],
        name=op.f(f"fk_{table}_school_key_staff_id_staff"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    _create_schools_and_people()
    _create_staff()
    _create_reports_and_marks()
    _create_chat_tables()


def _create_schools_and_people() -> None:
    op.create_table(
        "schools",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("roll_call", sa.Time(), nullable=False),
        sa.Column("report_cutoff", sa.Time(), nullable=False),
        sa.Column("unreported_prompt", sa.Time(), nullable=False),
        sa.Column("end_of_day", sa.Time(), nullable=False),
        sa.Column("mentor_sees_reason", sa.Boolean(), nullable=False),
        sa.Column("mentor_sees_note", sa.Boolean(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("calendar", _json(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_schools")),
    )
    op.create_table(
        "classes",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        _school_key_fk("classes"),
        sa.PrimaryKeyConstraint("school_key", "name", name=op.f("pk_classes")),
    )
    op.create_table(
        "pupils",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("class_name", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _school_key_fk("pupils"),
        sa.PrimaryKeyConstraint("school_key", "pupil_id", name=op.f("pk_pupils")),
    )
    op.create_index("ix_pupils_school_key_class_name", "pupils", ["school_key", "class_name"])
    op.create_table(
        "guardians",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        _school_key_fk("guardians"),
        sa.PrimaryKeyConstraint("school_key", "guardian_id", name=op.f("pk_guardians")),
    )
    op.create_table(
        "guardian_pupils",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_key", "guardian_id"],
            ["guardians.school_key", "guardians.guardian_id"],
            name=op.f("fk_guardian_pupils_school_key_guardian_id_guardians"),
            ondelete="CASCADE",
        ),
        _pupil_fk("guardian_pupils"),
        sa.PrimaryKeyConstraint(
            "school_key", "guardian_id", "pupil_id", name=op.f("pk_guardian_pupils")
        ),
    )
    op.create_index(
        "ix_guardian_pupils_school_key_pupil_id", "guardian_pupils", ["school_key", "pupil_id"]
    )


def _create_staff() -> None:
    op.create_table(
        "staff",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("slack_user_id", sa.String(), nullable=False),
        _school_key_fk("staff"),
        sa.PrimaryKeyConstraint("school_key", "staff_id", name=op.f("pk_staff")),
    )
    op.create_index("ix_staff_slack_user_id", "staff", ["slack_user_id"])
    op.create_table(
        "staff_roles",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        _staff_fk("staff_roles"),
        sa.PrimaryKeyConstraint("school_key", "staff_id", "role", name=op.f("pk_staff_roles")),
    )
    op.create_table(
        "staff_classes",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("class_name", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _staff_fk("staff_classes"),
        sa.PrimaryKeyConstraint(
            "school_key", "staff_id", "class_name", name=op.f("pk_staff_classes")
        ),
    )
    op.create_index(
        "ix_staff_classes_school_key_class_name", "staff_classes", ["school_key", "class_name"]
    )


def _create_reports_and_marks() -> None:
    op.create_table(
        "absence_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("part", sa.String(), nullable=False),
        sa.Column("at_time", sa.Time(), nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("reported_at", _utc_datetime(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        _pupil_fk("absence_reports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_reports")),
    )
    op.create_index(
        "ix_absence_reports_school_pupil_last_day",
        "absence_reports",
        ["school_key", "pupil_id", "last_day"],
    )
    op.create_table(
        "attendance_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("lesson", sa.String(), nullable=True),
        sa.Column("explained", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=True),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("marked_by", sa.String(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        _pupil_fk("attendance_marks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_marks")),
    )
    op.create_index(
        "ix_attendance_marks_school_key_day", "attendance_marks", ["school_key", "day"]
    )
    op.create_table(
        "absence_codes",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("counts_as_absence", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        _school_key_fk("absence_codes"),
        sa.PrimaryKeyConstraint("school_key", "code", name=op.f("pk_absence_codes")),
    )


def _create_chat_tables() -> None:
    op.create_table(
        "chat_accounts",
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("account_id", sa.String(), nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("person_kind", sa.String(), nullable=False),
        sa.Column("person_id", sa.String(), nullable=False),
        _school_key_fk("chat_accounts"),
        sa.PrimaryKeyConstraint("platform", "account_id", name=op.f("pk_chat_accounts")),
    )
    op.create_index(
        "ix_chat_accounts_person", "chat_accounts", ["school_key", "person_kind", "person_id"]
    )
    op.create_table(
        "invite_codes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("code_hash", sa.String(), nullable=False),
        sa.Column("expires_at", _utc_datetime(), nullable=False),
        sa.Column("used_at", _utc_datetime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_key", "guardian_id"],
            ["guardians.school_key", "guardians.guardian_id"],
            name=op.f("fk_invite_codes_school_key_guardian_id_guardians"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invite_codes_code_hash")),
    )
    op.create_index(
        "ix_invite_codes_school_key_guardian_id", "invite_codes", ["school_key", "guardian_id"]
    )
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("flow", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("data", _json(), nullable=False),
        sa.Column("updated_at", _utc_datetime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_conversations")),
    )
    op.create_index("ix_conversations_updated_at", "conversations", ["updated_at"])


def downgrade() -> None:
    for table in (
        "conversations",
        "invite_codes",
        "chat_accounts",
        "absence_codes",
        "attendance_marks",
        "absence_reports",
        "staff_classes",
        "staff_roles",
        "staff",
        "guardian_pupils",
        "guardians",
        "pupils",
        "classes",
        "schools",
    ):
        # Dropping a table drops its indexes too, on both backends.
        op.drop_table(table)
