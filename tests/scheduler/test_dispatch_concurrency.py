"""Two dispatchers on one PostgreSQL database, each with its own engine: each message goes once."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage
from scheduler.dispatcher import Dispatcher, RateLimit
from tests.conftest import sql_uow_factory
from tests.scheduler.support import fill_outbox, message, outbox

MESSAGES = 500
# Distinct recipients, and no pacing: the test is about claims, not rate limits.
UNLIMITED = {"telegram": RateLimit(per_second=1_000_000, per_recipient_interval=0)}


class WallClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class SharedLog:
    """One sender per dispatcher, writing to one log: who sent which key."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def sender(self, worker: str):
        log = self

        class Sender:
            async def send(self, message: OutboxMessage) -> DeliveryResult:
                log.sent.append((worker, message.key))
                # Let the other dispatcher run between any two sends.
                await asyncio.sleep(0)
                return DeliveryResult.ok()

        return Sender()


async def drain(dispatcher: Dispatcher) -> None:
    while await dispatcher.run_once():
        pass


async def test_two_dispatchers_send_every_message_exactly_once(
    migrated_postgresql_url: str,
) -> None:
    log = SharedLog()
    async with (
        sql_uow_factory(migrated_postgresql_url) as first,
        sql_uow_factory(migrated_postgresql_url) as second,
    ):
        await fill_outbox(first, *(message(f"m{n:03}") for n in range(MESSAGES)))
        dispatchers = [
            Dispatcher(
                uow_factory,
                {"telegram": log.sender(worker)},
                WallClock(),
                worker=worker,
                limits=UNLIMITED,
                batch=10,
            )
            for uow_factory, worker in ((first, "one"), (second, "two"))
        ]

        await asyncio.wait_for(asyncio.gather(*map(drain, dispatchers)), timeout=60)

        stored = await outbox(first)
    assert Counter(key for _, key in log.sent) == {f"m{n:03}": 1 for n in range(MESSAGES)}
    assert Counter(m.status for m in stored) == {DeliveryStatus.SENT: MESSAGES}
    # Both really took part.
    assert set(Counter(worker for worker, _ in log.sent)) == {"one", "two"}
