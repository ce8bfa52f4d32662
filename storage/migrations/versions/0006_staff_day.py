"""The staff side of the day: roll calls, same-day follow-ups and guardian contacts; messages
edited in place (outbox slots); escalation of untaken contact requests; Slack event ids.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence
from datetime import time

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc_datetime() -> sa.types.TypeEngine:
    # storage.orm.UtcDateTime stores this; migrations stay free of application types.
    return sa.DateTime(timezone=True)


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    _add_columns()
    op.create_table(
        "roll_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("class_name", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("opened_at", _utc_datetime(), nullable=False),
        sa.Column("submitted_by", sa.String(), nullable=False),
        sa.Column("submitted_at", _utc_datetime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["school_key", "class_name"],
            ["classes.school_key", "classes.name"],
            name=op.f("fk_roll_calls_school_key_class_name_classes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll_calls")),
        sa.UniqueConstraint(
            "school_key", "day", "class_name", name=op.f("uq_roll_calls_school_key_day_class_name")
        ),
    )
    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("school_key", sa.String(), nullable=False),
        sa.Column("pupil_id", sa.String(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opened_at", _utc_datetime(), nullable=False),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_key", "pupil_id"],
            ["pupils.school_key", "pupils.pupil_id"],
            name=op.f("fk_follow_ups_school_key_pupil_id_pupils"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
        sa.UniqueConstraint(
            "school_key", "day", "pupil_id", name=op.f("uq_follow_ups_school_key_day_pupil_id")
        ),
    )
    op.create_table(
        "guardian_contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("follow_up_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.String(), nullable=False),
        sa.Column("guardian_id", sa.String(), nullable=False),
        sa.Column("contacted_at", _utc_datetime(), nullable=False),
        sa.Column("means", sa.String(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=True),
        sa.Column("topics", _json(), nullable=False),
        sa.Column("note", sa.String(), nullable=False),
        sa.Column("recorded_at", _utc_datetime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["follow_up_id"],
            ["follow_ups.id"],
            name=op.f("fk_guardian_contacts_follow_up_id_follow_ups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_guardian_contacts")),
    )
    op.create_index(
        op.f("ix_guardian_contacts_follow_up_id"), "guardian_contacts", ["follow_up_id"]
    )
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("seen_at", _utc_datetime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_slack_events")),
    )
    op.create_index(op.f("ix_slack_events_seen_at"), "slack_events", ["seen_at"])


def _add_columns() -> None:
    with op.batch_alter_table("schools") as batch:
        batch.add_column(
            sa.Column(
                "roll_call_reminder",
                sa.Time(),
                nullable=False,
                server_default=sa.literal(time(8, 45)),
            )
        )
        batch.add_column(
            sa.Column("escalate_after_minutes", sa.Integer(), nullable=False, server_default="120")
        )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("slot", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("ref", sa.String(), nullable=False, server_default=""))
        batch.create_index("ix_outbox_platform_recipient_slot", ["platform", "recipient", "slot"])
    with op.batch_alter_table("contact_requests") as batch:
        batch.add_column(sa.Column("escalated_at", _utc_datetime(), nullable=True))
    # The defaults were for the rows already there; new rows say what they mean.
    for table, columns in {
        "schools": ("roll_call_reminder", "escalate_after_minutes"),
        "outbox": ("slot", "ref"),
    }.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, server_default=None)


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_events_seen_at"), table_name="slack_events")
    op.drop_table("slack_events")
    op.drop_index(op.f("ix_guardian_contacts_follow_up_id"), table_name="guardian_contacts")
    op.drop_table("guardian_contacts")
    op.drop_table("follow_ups")
    op.drop_table("roll_calls")
    with op.batch_alter_table("contact_requests") as batch:
        batch.drop_column("escalated_at")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_platform_recipient_slot")
        batch.drop_column("ref")
        batch.drop_column("slot")
    with op.batch_alter_table("schools") as batch:
        batch.drop_column("escalate_after_minutes")
        batch.drop_column("roll_call_reminder")
