"""An attendance record the routine can trust: marks know their source (roll call or import),
corrections of past days with their audit trail, the uses rules and notices made of a
day, leave requests, and the school file's
`[attendance]` and `[leave]`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Existing schools get the defaults of routine.model.AttendanceRules and LeaveRules.
SCHOOL_COLUMNS = (
    ("correction_days", sa.Integer(), "10"),
    ("leave_max_days_ahead", sa.Integer(), "120"),
    ("leave_max_span_days", sa.Integer(), "20"),
    ("leave_max_reason_length", sa.Integer(), "200"),
    ("leave_decided_by", sa.String(), "principal"),
    ("leave_remind_after_days", sa.Integer(), "2"),
)


def _utc_datetime() -> sa.types.TypeEngine:
    # storage.orm.UtcDateTime stores this; migrations stay free of application types.
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def _pupil_key(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_key", "pupil_id"],
        ["pupils.school_key", "pupils.pupil_id"],
        name=op.f(f"fk_{table}_school_key_pupil_id_pupils"),
    )


def upgrade() -> None:
    with op.batch_alter_table("schools") as batch:
        for name, kind, default in SCHOOL_COLUMNS:
            batch.add_column(
                sa.Column(name, kind, nullable=False, server_default=sa.text(f"'{default}'"))
            )
        batch.add_column(sa.Column("other_reason", sa.String(), nullable=True))
    with op.batch_alter_table("attendance_marks") as batch:
        batch.add_column(
            sa.Column("source", sa.String(), nullable=False, server_default="roll_call")
        )
        batch.create_index(
            "ix_attendance_marks_school_key_pupil_id_day", ["school_key", "pupil_id", "day"]
        )
    # The defaults were for the rows already there; new rows say what they mean.
    with op.batch_alter_table("schools") as batch:
        for name, _kind, _default in SCHOOL_COLUMNS:
            batch.alter_column(name, server_default=None)
    with op.batch_alter_table("attendance_marks") as batch:
        batch.alter_column("source", server_default=None)
    op.create_table(
        "attendance_corrections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=True),
        sa.Column("valid", sa.Boolean(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("corrected_by", sa.String(), nullable=False),
        sa.Column("corrected_at", _utc_datetime(), nullable=False),
        sa.Column("before", _json(), nullable=True),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        _pupil_key("attendance_corrections"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_corrections")),
    )
    op.create_index(
        "ix_attendance_corrections_school_key_day",
        "attendance_corrections",
        ["school_key", "day"],
    )
    op.create_table(
        "record_uses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("used_by", sa.String(), nullable=False),
        sa.Column("used_at", _utc_datetime(), nullable=False),
        _pupil_key("record_uses"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_uses")),
    )
    op.create_index(
        "ix_record_uses_school_key_pupil_id_day", "record_uses", ["school_key", "pupil_id", "day"]
    )
    op.create_table(
        "leave_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("requested_at", _utc_datetime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_at", _utc_datetime(), nullable=True),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("reminded_at", _utc_datetime(), nullable=True),
        _pupil_key("leave_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leave_requests")),
    )
    op.create_index(
        "ix_leave_requests_school_key_pupil_id", "leave_requests", ["school_key", "pupil_id"]
    )
    op.create_index(
        "ix_leave_requests_school_key_status", "leave_requests", ["school_key", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_leave_requests_school_key_status", table_name="leave_requests")
    op.drop_index("ix_leave_requests_school_key_pupil_id", table_name="leave_requests")
    op.drop_table("leave_requests")
    op.drop_index("ix_record_uses_school_key_pupil_id_day", table_name="record_uses")
    op.drop_table("record_uses")
    op.drop_index("ix_attendance_corrections_school_key_day", table_name="attendance_corrections")
    op.drop_table("attendance_corrections")
    with op.batch_alter_table("attendance_marks") as batch:
        batch.drop_index("ix_attendance_marks_school_key_pupil_id_day")
        batch.drop_column("source")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("other_reason")
        for name, _kind, _default in reversed(SCHOOL_COLUMNS):
            batch.drop_column(name)
