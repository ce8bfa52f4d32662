"""The routine's rules as data: each school's policy overrides, and the rules' hits.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Existing schools follow their country's defaults: no overrides.
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column(
                "policy", _json(), nullable=False, server_default=sa.text("'{\"overrides\": []}'")
            )
        )
    with op.batch_alter_table("schools") as batch:
        batch.alter_column("policy", server_default=None)
    op.create_table(
        "rule_hits",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("rule_id", sa.String(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("window_end", sa.Date(), nullable=False),
        sa.Column("numbers", _json(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_key", "pupil_id"],
            ["pupils.school_key", "pupils.pupil_id"],
            name=op.f("fk_rule_hits_school_key_pupil_id_pupils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_hits")),
        sa.UniqueConstraint(
            "school_key",
            "pupil_id",
            "rule_id",
            "window_end",
            name=op.f("uq_rule_hits_school_key_pupil_id_rule_id_window_end"),
        ),
    )
    op.create_index(
        "ix_rule_hits_school_key_window_end", "rule_hits", ["school_key", "window_end"]
    )


def downgrade() -> None:
    op.drop_index("ix_rule_hits_school_key_window_end", table_name="rule_hits")
    op.drop_table("rule_hits")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("policy")
