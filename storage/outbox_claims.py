"""Claiming the outbox's messages and recording what became of them: the dispatching half of
`storage.outbox.SqlOutboxRepository`, which must hold with several dispatchers (processes, hosts)
working on one database.

`claim` hands each message to one worker at a time: a lease (`claimed_by`, `claimed_until`) set
in the transaction that chose the messages. On PostgreSQL the choice is
`SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent claims pass each other by instead of waiting or
taking the same rows. SQLite has one writer at a time; there the choice and the lease are one
`UPDATE ... WHERE id IN (SELECT ...)`, so the write lock covers the choice too.

A newer version of a message whose older one is leased is not claimable
(`_behind_an_older_message`): another dispatcher would find no delivered version to edit and post
a second message. That rule holds for every message, slot or not: none is claimed while an older
one to the same recipient is still pending (leased, due or waiting for its retry), so each
person's messages arrive in order. A message that failed for good or was superseded holds nothing
up.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select, update
from sqlalchemy.orm import aliased

from routine.outbox import DeliveryStatus, OutboxMessage
from storage import mapping
from storage.orm import PENDING, OutboxRow, as_utc
from storage.outbox_slots import LIVE, OutboxSession, in_slot, outdated_by_a_newer_version

RELEASED = {"claimed_by": None, "claimed_until": None}


class OutboxClaims(OutboxSession):
    async def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease: timedelta,
        worker: str,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        now = as_utc(now)
        claimable = _claimable(now, limit, platforms)
        if self._dialect() == "postgresql":
            ids = list(await self.session.scalars(claimable.with_for_update(skip_locked=True)))
            if not ids:
                return []
            chosen = OutboxRow.id.in_(ids)
        else:
            chosen = OutboxRow.id.in_(claimable)
        rows = await self.session.scalars(
            update(OutboxRow)
            .where(chosen)
            .values(claimed_by=worker, claimed_until=now + lease)
            .returning(OutboxRow),
            # The rows come back from RETURNING, replacing any the session had loaded.
            execution_options={"synchronize_session": False, "populate_existing": True},
        )
        # RETURNING promises no order.
        return sorted(map(mapping.outbox_from_row, rows), key=lambda m: m.id or 0)

    async def record(self, message: OutboxMessage) -> None:
        values = mapping.outbox_columns(message) | RELEASED
        if await self._outdated(message):
            values["status"] = DeliveryStatus.SUPERSEDED.value
        result = await self.session.execute(
            update(OutboxRow).where(OutboxRow.id == message.id).values(values)
        )
        if result.rowcount != 1:
            raise KeyError(f"no outbox message with id {message.id}")

    async def _outdated(self, message: OutboxMessage) -> bool:
        """Whether a version to be tried again has a newer live version in its slot."""
        if not message.slot or message.status is not DeliveryStatus.PENDING:
            return False
        newer = exists().where(
            *in_slot(message.platform, message.recipient, message.slot),
            OutboxRow.id > message.id,
            OutboxRow.status.in_(LIVE),
        )
        return bool(await self.session.scalar(select(newer)))

    async def requeue_failed(
        self,
        *,
        now: datetime,
        ids: Collection[int] = (),
        kind: str | None = None,
        since: datetime | None = None,
        school_key: str | None = None,
    ) -> int:
        conditions: list[ColumnElement[bool]] = [
            OutboxRow.status == DeliveryStatus.FAILED.value,
            ~outdated_by_a_newer_version(),
        ]
        if ids:
            conditions.append(OutboxRow.id.in_(list(ids)))
        if kind is not None:
            conditions.append(OutboxRow.kind == kind)
        if since is not None:
            conditions.append(OutboxRow.created_at >= as_utc(since))
        if school_key is not None:
            conditions.append(OutboxRow.school_key == school_key)
        result = await self.session.execute(
            update(OutboxRow)
            .where(*conditions)
            .values(
                status=DeliveryStatus.PENDING.value,
                attempts=0,
                next_attempt_at=None,
                last_error="",
                created_at=as_utc(now),
                **RELEASED,
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


def _claimable(now: datetime, limit: int, platforms: Collection[str] | None) -> Select[Any]:
    """The ids of up to `limit` pending messages that are due and not leased, oldest first."""
    query = (
        select(OutboxRow.id)
        .where(
            # The index's own condition, as a literal: a bound parameter (status = $1) would
            # keep both databases from using the partial index in a prepared statement.
            PENDING,
            or_(OutboxRow.next_attempt_at.is_(None), OutboxRow.next_attempt_at <= now),
            or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until <= now),
            ~_behind_an_older_message(),
        )
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    if platforms is not None:
        query = query.where(OutboxRow.platform.in_(platforms))
    return query


def _behind_an_older_message() -> ColumnElement[bool]:
    """Whether a message has an older (lower id) message to the same recipient still pending:
    being sent (leased), due, or waiting for its retry. Any of them is to go out, or fail for
    good, first: so one person's messages arrive in the order they were written, through
    retries, expired leases and many dispatchers. Versions of one message (a slot) go out
    oldest first by the same rule, and the newer waits while an older one is being sent.

    A correlated subquery, so the claim keeps its own partial index; this one is answered by
    the (platform, recipient, slot) index."""
    older = aliased(OutboxRow, name="older")
    return (
        exists()
        .where(
            older.platform == OutboxRow.platform,
            older.recipient == OutboxRow.recipient,
            older.id < OutboxRow.id,
            older.status == DeliveryStatus.PENDING.value,
        )
        .correlate(OutboxRow)
    )
