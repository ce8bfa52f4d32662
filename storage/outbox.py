"""The outbox repository (`routine.ports.OutboxRepository`) over an SQLAlchemy `AsyncSession`.

Two things here are more than plain reads and writes, and both must hold with several
dispatchers (processes, hosts) working on one database:

- `add` is idempotent under concurrency: one statement, `INSERT ... ON CONFLICT (key) DO NOTHING`,
  so two units of work writing the same message never fail, and exactly one row remains.
- `claim` hands each message to one worker at a time: a lease (`claimed_by`, `claimed_until`)
  set in the transaction that chose the messages. On PostgreSQL the choice is
  `SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent claims pass each other by instead of waiting
  or taking the same rows. SQLite has one writer at a time; there the choice and the lease are one
  `UPDATE ... WHERE id IN (SELECT ...)`, so the write lock covers the choice too.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from routine.outbox import DeliveryStatus, OutboxMessage
from storage import mapping
from storage.orm import PENDING, OutboxRow, as_utc
from storage.repositories import delete_where

INSERTS_BY_DIALECT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
RELEASED = {"claimed_by": None, "claimed_until": None}


class SqlOutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, message: OutboxMessage) -> bool:
        insert = INSERTS_BY_DIALECT[self._dialect()]
        statement = (
            insert(OutboxRow)
            .values(mapping.outbox_columns(message))
            .on_conflict_do_nothing(index_elements=[OutboxRow.key])
            .returning(OutboxRow.id)
        )
        inserted = (await self.session.execute(statement)).first()
        return inserted is not None

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
        result = await self.session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == message.id)
            .values(mapping.outbox_columns(message) | RELEASED)
        )
        if result.rowcount != 1:
            raise KeyError(f"no outbox message with id {message.id}")

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if status is not None:
            query = query.where(OutboxRow.status == status.value)
        if school_key is not None:
            query = query.where(OutboxRow.school_key == school_key)
        return [mapping.outbox_from_row(row) for row in await self.session.scalars(query)]

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            OutboxRow,
            OutboxRow.school_key == school_key,
            OutboxRow.created_at < as_utc(moment),
        )

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name


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
        )
        .order_by(OutboxRow.id)
        .limit(limit)
    )
    if platforms is not None:
        query = query.where(OutboxRow.platform.in_(platforms))
    return query
