"""Staff concerns: a mentor's "I am worried about this pupil" (routine.concerns).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_concerns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_key", "pupil_id"],
            ["pupils.school_key", "pupils.pupil_id"],
            name=op.f("fk_staff_concerns_school_key_pupil_id_pupils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_concerns")),
    )
    op.create_index(
        "ix_staff_concerns_school_key_pupil_id", "staff_concerns", ["school_key", "pupil_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_staff_concerns_school_key_pupil_id", table_name="staff_concerns")
    op.drop_table("staff_concerns")
