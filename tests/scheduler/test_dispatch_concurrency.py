"""Two dispatchers on one PostgreSQL database, each with its own engine: each message goes once."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import random
from collections import Counter
from datetime import UTC, datetime, timedelta

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


class FlakyPlatform:
    """Answers 502 to about a third of the sends (seeded), and remembers what got through."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.delivered: list[OutboxMessage] = []

    def sender(self):
        platform = self

        class Sender:
            async def send(self, message: OutboxMessage) -> DeliveryResult:
                await asyncio.sleep(0)
                if platform.random.random() < 0.33:
                    return DeliveryResult.retry("502 Bad Gateway", after=timedelta(0))
                platform.delivered.append(message)
                return DeliveryResult.ok()

        return Sender()


async def test_retries_across_dispatchers_keep_each_recipients_order(
    migrated_postgresql_url: str,
) -> None:
    """Four dispatchers, 10 recipients with 12 messages each, a third of sends failing: each
    recipient still gets theirs in the order they were written (the issue saw 5 to 14
    inversions per series), and no recipient waits for another's."""
    platform = FlakyPlatform(seed=5)
    recipients = [f"chat-{r}" for r in range(10)]
    # Created now: the dispatchers' clock is the wall clock, and retries stop a day after.
    now = datetime.now(UTC)
    written = [
        dataclasses.replace(message(f"{r}:{n:02}", r), created_at=now)
        for n in range(12)
        for r in recipients
    ]
    async with contextlib.AsyncExitStack() as stack:
        factories = [
            await stack.enter_async_context(sql_uow_factory(migrated_postgresql_url))
            for _ in range(4)
        ]
        await fill_outbox(factories[0], *written)
        dispatchers = [
            Dispatcher(
                uow_factory,
                {"telegram": platform.sender()},
                WallClock(),
                worker=f"w{n}",
                limits=UNLIMITED,
                batch=5,
            )
            for n, uow_factory in enumerate(factories)
        ]

        async def until_all_sent(dispatcher: Dispatcher) -> None:
            while len({m.key for m in platform.delivered}) < len(written):
                await dispatcher.run_once()
                await asyncio.sleep(0)

        await asyncio.wait_for(asyncio.gather(*map(until_all_sent, dispatchers)), timeout=90)

    for recipient in recipients:
        keys = [m.key for m in platform.delivered if m.recipient == recipient]
        assert keys == sorted(keys) and len(keys) == 12, recipient
