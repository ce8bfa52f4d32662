"""One person, one language: the language a person chose in the chat, kept apart from the
school file's and the roster's (which a re-applied file rewrites), and a staff member's Slack
locale, remembered from their last event for the messages the daily jobs write.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nobody has chosen yet: a choice made before this revision was written over `language`,
    # where it stays until the next file is applied.
    with op.batch_alter_table("guardians") as batch:
        batch.add_column(sa.Column("chosen_language", sa.String(), nullable=True))
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("chosen_language", sa.String(), nullable=True))
        batch.add_column(sa.Column("platform_language", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("platform_language")
        batch.drop_column("chosen_language")
    with op.batch_alter_table("guardians") as batch:
        batch.drop_column("chosen_language")
