"""The nightly rules read the marks and the record's uses from their indexes alone.

The marks' (school, pupil, day) index also holds the columns the rules count by (lesson, kind,
valid, code), and the record uses' (school, pupil, day) index the rule or notice that used the
day: the evaluation's one scan of a school's marks, grouped by pupil in the index's order,
and its read of the days already used, touch no table row (bench/nightly.py). Both indexes
still begin as before, so they serve the same lookups.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARKS = ("school_key", "pupil_id", "day")
USES = ("school_key", "pupil_id", "day")


def upgrade() -> None:
    op.drop_index("ix_attendance_marks_school_key_pupil_id_day", "attendance_marks")
    op.create_index(
        "ix_attendance_marks_pupil_day_counted",
        "attendance_marks",
        [*MARKS, "lesson", "kind", "valid", "code"],
    )
    op.drop_index("ix_record_uses_school_key_pupil_id_day", "record_uses")
    op.create_index("ix_record_uses_pupil_day_used_by", "record_uses", [*USES, "used_by"])


def downgrade() -> None:
    op.drop_index("ix_record_uses_pupil_day_used_by", "record_uses")
    op.create_index("ix_record_uses_school_key_pupil_id_day", "record_uses", list(USES))
    op.drop_index("ix_attendance_marks_pupil_day_counted", "attendance_marks")
    op.create_index("ix_attendance_marks_school_key_pupil_id_day", "attendance_marks", list(MARKS))
