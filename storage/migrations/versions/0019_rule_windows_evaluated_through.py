"""A hit that goes on holding is not written every night: how far each rule's window (by its
start) was evaluated is kept once, in `rule_windows`, and a hit that held on that night is
marked `holding` (its window ends there, with the window's school days).

Existing rows: each school, rule and window start's window is evaluated through its hits'
latest window end, and the hits that end there hold. Their school days stay their own (the
window's are NULL until it is next evaluated), so every hit reads as before.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SAME = (
    "w.school_key = rule_hits.school_key AND w.rule_id = rule_hits.rule_id"
    " AND w.window_start = rule_hits.window_start"
)


def upgrade() -> None:
    op.create_table(
        "rule_windows",
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("rule_id", sa.String(), nullable=False),
        sa.Column("window_start", sa.Date(), nullable=False),
        sa.Column("evaluated_through", sa.Date(), nullable=False),
        sa.Column("school_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_key"], ["schools.key"], name=op.f("fk_rule_windows_school_key_schools")
        ),
        sa.PrimaryKeyConstraint(
            "school_key", "rule_id", "window_start", name=op.f("pk_rule_windows")
        ),
    )
    with op.batch_alter_table("rule_hits") as batch:
        batch.add_column(
            sa.Column("holding", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.execute(
        sa.text(
            "INSERT INTO rule_windows (school_key, rule_id, window_start, evaluated_through)"
            " SELECT school_key, rule_id, window_start, max(window_end) FROM rule_hits"
            " GROUP BY school_key, rule_id, window_start"
        )
    )
    op.execute(
        sa.text(
            "UPDATE rule_hits SET holding = true WHERE window_end ="
            f" (SELECT w.evaluated_through FROM rule_windows w WHERE {_SAME})"
        )
    )


def downgrade() -> None:
    # A holding hit's window end and school days become its window's again.
    op.execute(
        sa.text(
            "UPDATE rule_hits SET window_end ="
            f" (SELECT w.evaluated_through FROM rule_windows w WHERE {_SAME})"
            f" WHERE holding AND EXISTS (SELECT 1 FROM rule_windows w WHERE {_SAME})"
        )
    )
    with op.batch_alter_table("rule_hits") as batch:
        batch.drop_column("holding")
    op.drop_table("rule_windows")
