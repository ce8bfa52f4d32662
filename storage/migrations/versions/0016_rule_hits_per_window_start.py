"""Rule hits once per window start: a hit that holds night after night over the same window is
one row, updated in place (its window end and numbers), rather than a row per window end.

The rows stored per window end collapse to the last night's, keeping when the hit was first
found. Nothing refers to a hit's id (case events copy its numbers when they are logged).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SAME = (
    "o.school_key = rule_hits.school_key AND o.pupil_id = rule_hits.pupil_id"
    " AND o.rule_id = rule_hits.rule_id AND o.window_start = rule_hits.window_start"
)


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE rule_hits SET found_at ="
            f" (SELECT min(o.found_at) FROM rule_hits o WHERE {_SAME})"
        )
    )
    op.execute(
        sa.text(
            "DELETE FROM rule_hits WHERE EXISTS (SELECT 1 FROM rule_hits o"
            f" WHERE {_SAME} AND o.window_end > rule_hits.window_end)"
        )
    )
    with op.batch_alter_table("rule_hits") as batch:
        batch.drop_constraint("uq_rule_hits_school_key_pupil_id_rule_id_window_end", "unique")
        batch.create_unique_constraint(
            "uq_rule_hits_school_key_pupil_id_rule_id_window_start",
            ["school_key", "pupil_id", "rule_id", "window_start"],
        )


def downgrade() -> None:
    with op.batch_alter_table("rule_hits") as batch:
        batch.drop_constraint("uq_rule_hits_school_key_pupil_id_rule_id_window_start", "unique")
        batch.create_unique_constraint(
            "uq_rule_hits_school_key_pupil_id_rule_id_window_end",
            ["school_key", "pupil_id", "rule_id", "window_end"],
        )
