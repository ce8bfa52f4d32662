"""The outbox repository (`routine.ports.OutboxRepository`) over an SQLAlchemy `AsyncSession`.

Adding messages and keeping the versions of one message to one pending at a time is
`storage.outbox_slots`; claiming messages for the dispatchers and recording what became of them
is `storage.outbox_claims`; both must hold with several dispatchers working on one database.
Here: the reads (the operator's list, a conversation's recent messages, the metrics' counts,
a slot's message on screen) and retention.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from routine.outbox import DeliveryStatus, OutboxMessage
from storage import mapping
from storage.orm import OutboxRow, as_utc
from storage.outbox_claims import OutboxClaims
from storage.outbox_slots import OutboxVersions, in_slot
from storage.repositories import delete_where


class SqlOutboxRepository(OutboxVersions, OutboxClaims):
    async def slot_ref(self, platform: str, recipient: str, slot: str) -> str:
        ref = await self.session.scalar(
            select(OutboxRow.ref)
            .where(
                *in_slot(platform, recipient, slot),
                OutboxRow.status == DeliveryStatus.SENT.value,
            )
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )
        return ref or ""

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]:
        query = select(OutboxRow).order_by(OutboxRow.id)
        if status is not None:
            query = query.where(OutboxRow.status == status.value)
        if school_key is not None:
            query = query.where(OutboxRow.school_key == school_key)
        return [mapping.outbox_from_row(row) for row in await self.session.scalars(query)]

    async def list_to(
        self, school_key: str, addresses: Collection[tuple[str, str]], *, newest: int
    ) -> list[OutboxMessage]:
        if not addresses:
            return []
        to_any = or_(
            *(
                and_(OutboxRow.platform == platform, OutboxRow.recipient == recipient)
                for platform, recipient in sorted(addresses)
            )
        )
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.school_key == school_key,
                OutboxRow.status != DeliveryStatus.SUPERSEDED.value,
                to_any,
            )
            .order_by(OutboxRow.id.desc())
            .limit(newest)
        )
        rows = list(await self.session.scalars(query))
        return [mapping.outbox_from_row(row) for row in reversed(rows)]

    async def counts(self) -> dict[tuple[DeliveryStatus, str], int]:
        # One grouped COUNT, so that a scrape stays cheap however long the outbox grows.
        rows = await self.session.execute(
            select(OutboxRow.status, OutboxRow.platform, func.count()).group_by(
                OutboxRow.status, OutboxRow.platform
            )
        )
        return {(DeliveryStatus(status), platform): n for status, platform, n in rows}

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            OutboxRow,
            OutboxRow.school_key == school_key,
            OutboxRow.created_at < as_utc(moment),
        )
