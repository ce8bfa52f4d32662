"""Chat accounts remember whether the platform can reach the person (a blocked bot cannot).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_accounts") as batch:
        batch.add_column(
            sa.Column("reachable", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("chat_accounts") as batch:
        batch.alter_column("reachable", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("chat_accounts") as batch:
        batch.drop_column("reachable")
