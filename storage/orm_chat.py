"""The tables of the chat side: conversations, the outbox, and the Slack event ids already
handled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, func, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.orm_base import Base, JsonDocument


class ConversationRow(Base):
    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_updated_at", "updated_at"),)

    key: Mapped[str] = mapped_column(primary_key=True)
    flow: Mapped[str | None]
    state: Mapped[str | None]
    data: Mapped[dict[str, Any]]
    # Bookkeeping for clearing abandoned conversations; not part of the domain object.
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    # Saves so far: a save is a compare-and-set on it (two events of one chat at once).
    version: Mapped[int] = mapped_column(server_default=text("0"))


# Only pending messages are ever claimed; sent ones pile up until retention removes them, so the
# claim index leaves them out (a partial index, on both backends).
PENDING = text("status = 'pending'")


class OutboxRow(Base):
    """A message waiting to be sent, or the record of its delivery (`routine.outbox`)."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The claim: pending messages of some platforms, oldest (lowest id) first.
        Index(
            "ix_outbox_pending_platform_id",
            "platform",
            "id",
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        ),
        # Retention: one school's messages created before a moment.
        Index("ix_outbox_school_key_created_at", "school_key", "created_at"),
        # The versions of one message on screen (its slot), for edits in place.
        Index("ix_outbox_platform_recipient_slot", "platform", "recipient", "slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    # The idempotency key: writing the same message twice keeps one.
    key: Mapped[str] = mapped_column(unique=True)
    platform: Mapped[str]
    recipient: Mapped[str]
    text: Mapped[str]
    buttons: Mapped[list[dict[str, str]]] = mapped_column(JsonDocument)
    kind: Mapped[str]
    school_key: Mapped[str] = mapped_column(ForeignKey("schools.key"))
    created_at: Mapped[datetime | None]
    status: Mapped[str]
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str]
    sent_at: Mapped[datetime | None]
    # The lease: which dispatcher is sending the message, and until when. Not part of the
    # domain object; a lease that has run out is as good as none.
    claimed_by: Mapped[str | None]
    claimed_until: Mapped[datetime | None]
    # Versions of one message on screen share a slot ("" for none); `ref` is the platform's id
    # of the delivered message (Slack: channel and ts), which a later version edits.
    slot: Mapped[str]
    ref: Mapped[str]


class SlackEventRow(Base):
    """Slack event ids already handled, so that a retry reaching any process is handled once."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)
