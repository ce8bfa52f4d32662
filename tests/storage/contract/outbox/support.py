"""What the outbox's contract tests share: sample messages, adding them one way or the other,
claiming, and reading back what is stored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, committed, read

NOW = datetime(2025, 11, 10, 7, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def message(key: str, **changes: object) -> OutboxMessage:
    values: dict = {
        "key": key,
        "platform": "telegram",
        "recipient": f"chat-{key}",
        "text": f"Message {key}",
        "kind": "unreported",
        "school_key": EKBACKA.key,
        "created_at": NOW,
    } | changes
    return OutboxMessage(**values)


# How `add` adds: set per test by the `adding` fixture (tests/storage/contract/outbox/conftest.py).
ADDING = {"how": "add"}


async def add(store: UnitOfWorkFactory, *messages: OutboxMessage) -> list[bool]:
    async def add_each(u):
        if ADDING["how"] == "add_many":
            return [(await u.outbox.add_many([m]))[0] for m in messages]
        return [await u.outbox.add(m) for m in messages]

    return await committed(store, add_each)


async def stored(store: UnitOfWorkFactory) -> list[OutboxMessage]:
    return await read(store, lambda u: u.outbox.list())


async def claim(
    store: UnitOfWorkFactory,
    *,
    now: datetime = NOW,
    limit: int = 10,
    worker: str = "w1",
    platforms: list[str] | None = None,
) -> list[str]:
    """Claim and commit; the keys claimed."""
    claimed = await committed(
        store,
        lambda u: u.outbox.claim(
            now=now, limit=limit, lease=LEASE, worker=worker, platforms=platforms
        ),
    )
    return [m.key for m in claimed]


def version(key: str, text: str, **changes: object) -> OutboxMessage:
    """A version of the live summary in one recipient's slot."""
    values: dict = {"recipient": "chat-mentor", "slot": "summary:7A", "text": text} | changes
    return message(key, **values)


async def statuses(store: UnitOfWorkFactory) -> dict[str, DeliveryStatus]:
    return {m.key: m.status for m in await stored(store)}


async def slot_ref(
    store: UnitOfWorkFactory,
    *,
    platform: str = "telegram",
    recipient: str = "chat-mentor",
    slot: str = "summary:7A",
) -> str:
    return await read(store, lambda u: u.outbox.slot_ref(platform, recipient, slot))
