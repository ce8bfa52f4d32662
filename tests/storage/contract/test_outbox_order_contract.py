"""Each recipient's messages go out in the order they were written, on the fakes, SQLite and
PostgreSQL: a claim hands out no message while an older one to the same recipient is still
pending (leased, due, or waiting for its retry). Other recipients are not held up, and a
message that failed for good or was superseded holds nothing up."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.storage.contract.outbox.support import LEASE, NOW, add, claim, message
from tests.storage.support import committed


def to(recipient: str, key: str, **changes: object) -> OutboxMessage:
    return message(key, recipient=recipient, **changes)


async def claimed(store: UnitOfWorkFactory, *, now=NOW, worker: str = "w1") -> list[OutboxMessage]:
    return await committed(
        store, lambda u: u.outbox.claim(now=now, limit=10, lease=LEASE, worker=worker)
    )


async def record(store: UnitOfWorkFactory, message: OutboxMessage, **outcome: object) -> None:
    await committed(store, lambda u: u.outbox.record(dataclasses.replace(message, **outcome)))


async def test_one_claim_takes_each_recipients_oldest_only(store: UnitOfWorkFactory) -> None:
    await add(store, to("anna", "a1"), to("anna", "a2"), to("bo", "b1"), to("anna", "a3"))

    assert await claim(store) == ["a1", "b1"]


async def test_a_message_waiting_for_its_retry_holds_back_the_later_ones(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, to("anna", "a1"), to("anna", "a2"), to("bo", "b1"), to("bo", "b2"))
    a1, b1 = await claimed(store)
    retry_at = NOW + timedelta(seconds=30)
    await record(store, a1, attempts=1, next_attempt_at=retry_at, last_error="502")
    await record(store, b1, status=DeliveryStatus.SENT, attempts=1, sent_at=NOW)

    # a2 does not overtake a1; Bo's next message is not held up by Anna's.
    assert await claim(store, now=NOW + timedelta(seconds=1)) == ["b2"]
    [again] = await claimed(store, now=retry_at)
    assert again.key == "a1"
    await record(store, again, status=DeliveryStatus.SENT, attempts=2, sent_at=retry_at)
    assert await claim(store, now=retry_at) == ["a2"]


async def test_after_a_lease_runs_out_the_older_message_goes_first(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, to("anna", "a1"), to("anna", "a2"), to("bo", "b1"))
    assert await claim(store, worker="killed") == ["a1", "b1"]

    # While the lease holds, nothing to Anna or Bo is handed to anyone else...
    assert await claim(store, now=NOW + LEASE / 2, worker="w2") == []
    # ... and once it has run out, the older messages are claimed again, the later still wait.
    assert await claim(store, now=NOW + LEASE, worker="w2") == ["a1", "b1"]


async def test_a_message_failed_for_good_or_superseded_holds_nothing_up(
    store: UnitOfWorkFactory,
) -> None:
    await add(
        store,
        to("anna", "a1", status=DeliveryStatus.FAILED, last_error="blocked"),
        to("anna", "a2"),
        to("bo", "b1", status=DeliveryStatus.SUPERSEDED),
        to("bo", "b2"),
        to("cecilia", "c1", status=DeliveryStatus.SENT, sent_at=NOW),
        to("cecilia", "c2"),
    )

    assert await claim(store) == ["a2", "b2", "c2"]


async def test_the_same_recipient_on_another_platform_is_someone_else(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, to("U1", "t1"), to("U1", "s1", platform="slack"), to("U1", "t2"))

    assert await claim(store) == ["t1", "s1"]
