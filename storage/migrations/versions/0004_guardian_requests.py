"""Guardians' requests: answers to absence prompts, requests to be contacted, and concerns.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc_datetime() -> sa.types.TypeEngine:
    # storage.orm.UtcDateTime stores this; migrations stay free of application types.
    return sa.DateTime(timezone=True)


def _pupil_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["school_key", "pupil_id"],
        ["pupils.school_key", "pupils.pupil_id"],
        name=op.f(f"fk_{table}_school_key_pupil_id_pupils"),
    )


def upgrade() -> None:
    op.create_table(
        "absence_prompts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("token", sa.String(), nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.Column("answer", sa.String(), nullable=True),
        sa.Column("answered_at", _utc_datetime(), nullable=True),
        _pupil_fk("absence_prompts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_prompts")),
        sa.UniqueConstraint("token", name=op.f("uq_absence_prompts_token")),
        sa.UniqueConstraint(
            "school_key",
            "pupil_id",
            "guardian_id",
            "day",
            name=op.f("uq_absence_prompts_school_key_pupil_id_guardian_id_day"),
        ),
    )
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("way", sa.String(), nullable=False),
        sa.Column("time", sa.String(), nullable=False),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("taken_by", sa.String(), nullable=False),
        sa.Column("taken_at", _utc_datetime(), nullable=True),
        sa.Column("done_at", _utc_datetime(), nullable=True),
        _pupil_fk("contact_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_requests")),
    )
    op.create_index(
        "ix_contact_requests_school_key_pupil_id",
        "contact_requests",
        ["school_key", "pupil_id"],
    )
    op.create_table(
        "guardian_concerns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("created_at", _utc_datetime(), nullable=False),
        _pupil_fk("guardian_concerns"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian_concerns")),
    )
    op.create_index(
        "ix_guardian_concerns_school_key_pupil_id",
        "guardian_concerns",
        ["school_key", "pupil_id"],
    )


def downgrade() -> None:
    # Dropping a table drops its indexes too, on both backends.
    for table in ("guardian_concerns", "contact_requests", "absence_prompts"):
        op.drop_table(table)
