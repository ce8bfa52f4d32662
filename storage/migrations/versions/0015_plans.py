"""The plans of cases (routine.plans): versions, and the guardians' confirmations.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "case_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("situation", sa.String(), nullable=False),
        sa.Column("main_goal", sa.String(), nullable=False),
        sa.Column("rows", _json(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("review", sa.Date(), nullable=False),
        sa.Column("written_by", sa.String(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("pupil_agreed_by", sa.String(), nullable=False),
        sa.Column("pupil_agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_plans_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_plans")),
        sa.UniqueConstraint("case_id", "version", name=op.f("uq_case_plans_case_id_version")),
    )
    op.create_table(
        "case_plan_confirmations",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["case_plans.id"],
            name=op.f("fk_case_plan_confirmations_plan_id_case_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "guardian_id", name=op.f("pk_case_plan_confirmations")),
    )


def downgrade() -> None:
    op.drop_table("case_plan_confirmations")
    op.drop_table("case_plans")
