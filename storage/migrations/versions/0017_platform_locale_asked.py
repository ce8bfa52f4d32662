"""One person, one language: when a staff member's Slack account was asked for its locale
(`users.info`), so that it is asked once, also when it answered with a language we do not write.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.add_column(sa.Column("platform_locale_asked", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch:
        batch.drop_column("platform_locale_asked")
