"""Requeuing failed outbox messages, on the fakes, SQLite and PostgreSQL: by id, kind, time and
school, back to pending with a fresh start, and never a version a newer one has replaced."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.storage.contract.outbox.support import NOW, add, claim, message, stored
from tests.storage.support import FJELL, committed

LATER = NOW + timedelta(days=2)


def failed(key: str, **changes: object) -> OutboxMessage:
    values: dict = {"status": DeliveryStatus.FAILED, "attempts": 8, "last_error": "502"}
    return message(key, **(values | changes))


async def requeue(store: UnitOfWorkFactory, **filters: object) -> int:
    return await committed(store, lambda u: u.outbox.requeue_failed(now=LATER, **filters))


async def ids_of(store: UnitOfWorkFactory) -> dict[str, int]:
    return {m.key: m.id or 0 for m in await stored(store)}


def pending_keys(messages: list[OutboxMessage]) -> list[str]:
    return [m.key for m in messages if m.status is DeliveryStatus.PENDING]


async def test_a_requeued_message_starts_afresh_and_is_claimed(store: UnitOfWorkFactory) -> None:
    await add(store, failed("a"), message("sent", status=DeliveryStatus.SENT, sent_at=NOW))

    assert await requeue(store) == 1

    [a, sent] = await stored(store)
    assert (a.status, a.attempts, a.next_attempt_at, a.last_error, a.created_at) == (
        DeliveryStatus.PENDING,
        0,
        None,
        "",
        LATER,
    )
    assert sent.status is DeliveryStatus.SENT
    assert await claim(store, now=LATER) == ["a"]


async def test_requeue_by_id(store: UnitOfWorkFactory) -> None:
    await add(store, failed("a"), failed("b"), failed("c"))
    ids = await ids_of(store)

    assert await requeue(store, ids=[ids["a"], ids["c"], 999_999]) == 2
    assert pending_keys(await stored(store)) == ["a", "c"]


async def test_requeue_by_kind(store: UnitOfWorkFactory) -> None:
    await add(store, failed("a", kind="roll_call"), failed("b"), failed("c", kind="roll_call"))

    assert await requeue(store, kind="roll_call") == 2
    assert pending_keys(await stored(store)) == ["a", "c"]


async def test_requeue_by_time_created(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        failed("old", created_at=NOW - timedelta(hours=1)),
        failed("at", created_at=NOW),
        failed("after", created_at=NOW + timedelta(minutes=5)),
    )

    assert await requeue(store, since=NOW) == 2
    assert pending_keys(await stored(store)) == ["at", "after"]


async def test_requeue_by_school_and_filters_together(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        failed("a", kind="roll_call"),
        failed("b", kind="roll_call", school_key=FJELL.key),
        failed("c", school_key=FJELL.key),
    )

    assert await requeue(store, school_key=FJELL.key, kind="roll_call") == 1
    assert pending_keys(await stored(store)) == ["b"]


async def test_a_version_a_newer_one_replaced_stays_failed(store: UnitOfWorkFactory) -> None:
    await add(store, failed("v1", slot="s", recipient="c"), message("v2", slot="s", recipient="c"))
    sent = dataclasses.replace((await stored(store))[1], status=DeliveryStatus.SENT)
    await committed(store, lambda u: u.outbox.record(sent))
    await add(store, failed("lone", slot="t", recipient="c"))

    assert await requeue(store) == 1
    assert [(m.key, m.status) for m in await stored(store)] == [
        ("v1", DeliveryStatus.FAILED),
        ("v2", DeliveryStatus.SENT),
        ("lone", DeliveryStatus.PENDING),
    ]
