"""The outbox: every outgoing message, its delivery, and the lease of the dispatcher sending it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("status = 'pending'")


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _utc_datetime() -> sa.types.TypeEngine:
    # storage.orm.UtcDateTime stores this; migrations stay free of application types.
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("platform", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("buttons", _json(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("created_at", _utc_datetime(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _utc_datetime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("sent_at", _utc_datetime(), nullable=True),
        sa.Column("claimed_by", sa.String(), nullable=True),
        sa.Column("claimed_until", _utc_datetime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_key"], ["schools.key"], name=op.f("fk_outbox_school_key_schools")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_key")),
    )
    op.create_index(
        "ix_outbox_pending_platform_id",
        "outbox",
        ["platform", "id"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )
    op.create_index("ix_outbox_school_key_created_at", "outbox", ["school_key", "created_at"])


def downgrade() -> None:
    # Dropping the table drops its indexes too, on both backends.
    op.drop_table("outbox")
