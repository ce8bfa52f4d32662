"""Schools' own reporting rules: how far ahead, how long, note length, part-day hours.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Existing schools get the defaults of routine.model.ReportingRules.
COLUMNS = (
    ("max_days_ahead", sa.Integer(), "60"),
    ("max_span_days", sa.Integer(), "30"),
    ("max_note_length", sa.Integer(), "300"),
    ("earliest_report_time", sa.Time(), "06:00:00"),
    ("latest_report_time", sa.Time(), "18:00:00"),
)


def upgrade() -> None:
    with op.batch_alter_table("schools") as batch:
        for name, kind, default in COLUMNS:
            batch.add_column(
                sa.Column(name, kind, nullable=False, server_default=sa.text(f"'{default}'"))
            )
    with op.batch_alter_table("schools") as batch:
        for name, _kind, _default in COLUMNS:
            batch.alter_column(name, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("schools") as batch:
        for name, _kind, _default in reversed(COLUMNS):
            batch.drop_column(name)
