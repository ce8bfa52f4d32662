"""Case tasks: dated follow-ups of a case (routine.case_tasks), and the school's `[cases]`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Existing schools get the defaults of routine.model.CaseRules.
SCHOOL_COLUMNS = (
    ("cases_remind_ahead_days", "2"),
    ("cases_overdue_after_days", "3"),
    ("cases_nothing_new_days", "10"),
)


def upgrade() -> None:
    with op.batch_alter_table("schools") as batch:
        for name, default in SCHOOL_COLUMNS:
            batch.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default=sa.text(default))
            )
    with op.batch_alter_table("schools") as batch:
        for name, _default in SCHOOL_COLUMNS:
            batch.alter_column(name, server_default=None)
    op.create_table(
        "case_tasks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("owner_id", sa.String(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved_by", sa.String(), nullable=False),
        sa.Column("source_ref", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("done_by", sa.String(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_tasks_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_tasks")),
        sa.UniqueConstraint(
            "case_id",
            "kind",
            "source_ref",
            "due",
            name=op.f("uq_case_tasks_case_id_kind_source_ref_due"),
        ),
    )
    op.create_index(
        "ix_case_tasks_school_key_status_due", "case_tasks", ["school_key", "status", "due"]
    )
    op.create_index(op.f("ix_case_tasks_case_id"), "case_tasks", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_tasks_case_id"), table_name="case_tasks")
    op.drop_index("ix_case_tasks_school_key_status_due", table_name="case_tasks")
    op.drop_table("case_tasks")
    with op.batch_alter_table("schools") as batch:
        for name, _default in reversed(SCHOOL_COLUMNS):
            batch.drop_column(name)
