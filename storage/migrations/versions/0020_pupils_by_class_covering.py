"""The active pupils by class, read from an index alone.

The nightly evaluation reads every active pupil of the school with their class, grouped by
class, once a night (`storage.thresholds.active_classes`): with the pupils' (school, class)
index it read each pupil's row as well (0.063 s for 100,000 pupils on SQLite); the index now
also holds whether the pupil is active and their id (0.025 s). It still begins as before, so
it serves the same lookups.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BY_CLASS = ("school_key", "class_name")


def upgrade() -> None:
    op.drop_index("ix_pupils_school_key_class_name", "pupils")
    op.create_index("ix_pupils_class_active_pupil", "pupils", [*BY_CLASS, "active", "pupil_id"])


def downgrade() -> None:
    op.drop_index("ix_pupils_class_active_pupil", "pupils")
    op.create_index("ix_pupils_school_key_class_name", "pupils", list(BY_CLASS))
