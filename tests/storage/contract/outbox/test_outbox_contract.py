"""The outbox's contract, on the fakes, SQLite and PostgreSQL (see test_repository_contract):
adding, claiming, recording, listing and deleting."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routine.outbox import DeliveryStatus, OutgoingButton
from routine.ports import UnitOfWorkFactory
from tests.storage.contract.outbox.support import (
    LEASE,
    NOW,
    add,
    claim,
    message,
    stored,
)
from tests.storage.support import EKBACKA, FJELL, committed, read

# Adding


async def test_an_added_message_reads_back_as_added_with_an_id(store: UnitOfWorkFactory) -> None:
    full = message(
        "a",
        text="Åsa är inte anmäld frånvarande idag. 🤒",
        buttons=(OutgoingButton("b1", "Sjuk"), OutgoingButton("b2", "Annat")),
        created_at=datetime(2025, 11, 10, 8, 0, 0, 123456, tzinfo=ZoneInfo("Europe/Stockholm")),
    )

    assert await add(store, full, message("b")) == [True, True]

    [a, b] = await stored(store)
    assert a == dataclasses.replace(full, id=a.id)
    assert a.id is not None
    assert b.id not in (None, a.id)


async def test_adding_a_key_again_keeps_the_first_message(store: UnitOfWorkFactory) -> None:
    first = message("same", text="first")
    await add(store, first)

    assert await add(store, message("same", text="second")) == [False]
    assert await add(store, message("other"), message("other", text="again")) == [True, False]

    assert [(m.key, m.text) for m in await stored(store)] == [
        ("same", "first"),
        ("other", "Message other"),
    ]


# Claiming


async def test_claims_take_pending_messages_oldest_first_up_to_the_limit(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, *(message(str(n)) for n in range(5)))

    assert await claim(store, limit=2) == ["0", "1"]
    assert await claim(store, limit=2, worker="w2") == ["2", "3"]
    assert await claim(store, limit=2) == ["4"]
    assert await claim(store, limit=2) == []


async def test_a_claim_returns_the_messages_as_stored(store: UnitOfWorkFactory) -> None:
    await add(store, message("a", buttons=(OutgoingButton("b1", "OK"),)))
    [stored_a] = await stored(store)

    claimed = await committed(
        store, lambda u: u.outbox.claim(now=NOW, limit=1, lease=LEASE, worker="w1")
    )

    assert claimed == [stored_a]


async def test_only_pending_messages_are_claimed(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        message("sent", status=DeliveryStatus.SENT, sent_at=NOW),
        message("failed", status=DeliveryStatus.FAILED, last_error="blocked"),
        message("pending"),
    )

    assert await claim(store) == ["pending"]


async def test_only_due_messages_are_claimed(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        message("later", next_attempt_at=NOW + timedelta(seconds=1)),
        message("due now", next_attempt_at=NOW),
        message("overdue", next_attempt_at=NOW - timedelta(hours=1)),
        message("first try"),
    )

    assert await claim(store) == ["due now", "overdue", "first try"]
    assert await claim(store, now=NOW + timedelta(seconds=1)) == ["later"]


async def test_a_leased_message_is_not_claimed_again_until_its_lease_runs_out(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, message("a"), message("b"))
    assert await claim(store, limit=1, worker="crashed") == ["a"]

    assert await claim(store, now=NOW + LEASE - timedelta(microseconds=1), worker="w2") == ["b"]
    assert await claim(store, now=NOW + LEASE - timedelta(microseconds=1), worker="w2") == []
    assert await claim(store, now=NOW + LEASE, worker="w2") == ["a"]


async def test_a_reclaimed_message_gets_a_new_lease(store: UnitOfWorkFactory) -> None:
    await add(store, message("a"))
    await claim(store, worker="crashed")
    later = NOW + LEASE

    assert await claim(store, now=later, worker="w2") == ["a"]
    assert await claim(store, now=later + LEASE - timedelta(microseconds=1)) == []
    assert await claim(store, now=later + LEASE) == ["a"]


async def test_claims_can_be_limited_to_some_platforms(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        message("t1"),
        message("s1", platform="slack"),
        message("x1", platform="sms"),
        message("t2"),
    )

    assert await claim(store, platforms=["slack", "sms"]) == ["s1", "x1"]
    assert await claim(store, platforms=[]) == []
    assert await claim(store) == ["t1", "t2"]


async def test_an_uncommitted_claim_leases_nothing(store: UnitOfWorkFactory) -> None:
    await add(store, message("a"))
    async with store() as uow:
        await uow.outbox.claim(now=NOW, limit=1, lease=LEASE, worker="w1")

    assert await claim(store, worker="w2") == ["a"]


# Recording


async def test_a_recorded_outcome_reads_back_and_releases_the_lease(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, message("a"), message("b"))
    [a, b] = await committed(
        store, lambda u: u.outbox.claim(now=NOW, limit=2, lease=LEASE, worker="w1")
    )
    sent = dataclasses.replace(a, status=DeliveryStatus.SENT, attempts=1, sent_at=NOW)
    retry = dataclasses.replace(
        b, attempts=1, next_attempt_at=NOW + timedelta(seconds=2), last_error="timed out"
    )

    async def record_both(u):
        await u.outbox.record(sent)
        await u.outbox.record(retry)

    await committed(store, record_both)

    assert await stored(store) == [sent, retry]
    # The lease is gone: once due, the retry is claimed at once, well within the old lease.
    assert await claim(store, now=NOW + timedelta(seconds=2), worker="w2") == ["b"]


async def test_a_unit_of_work_reads_its_own_recorded_outcome(store: UnitOfWorkFactory) -> None:
    await add(store, message("a"))

    async def claim_record_and_list(u):
        [claimed] = await u.outbox.claim(now=NOW, limit=1, lease=LEASE, worker="w1")
        await u.outbox.record(dataclasses.replace(claimed, status=DeliveryStatus.SENT))
        return await u.outbox.list()

    [listed] = await committed(store, claim_record_and_list)

    assert listed.status is DeliveryStatus.SENT


async def test_recording_an_unknown_message_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.outbox.record(message("a", id=999)))


# Listing and deleting


async def test_messages_are_listed_by_status_and_school(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        message("1"),
        message("2", status=DeliveryStatus.SENT, sent_at=NOW),
        message("3", school_key=FJELL.key),
        message("4", status=DeliveryStatus.FAILED),
        message("5", school_key=FJELL.key, status=DeliveryStatus.SENT, sent_at=NOW),
    )

    def keys(**filters):
        return read(store, lambda u: _keys(u.outbox.list(**filters)))

    assert await keys() == ["1", "2", "3", "4", "5"]
    assert await keys(status=DeliveryStatus.SENT) == ["2", "5"]
    assert await keys(school_key=FJELL.key) == ["3", "5"]
    assert await keys(status=DeliveryStatus.PENDING, school_key=EKBACKA.key) == ["1"]
    assert await keys(status=DeliveryStatus.FAILED, school_key=FJELL.key) == []


async def _keys(listing) -> list[str]:
    return [m.key for m in await listing]


async def test_a_schools_messages_created_before_a_moment_are_deleted(
    store: UnitOfWorkFactory,
) -> None:
    await add(
        store,
        message("old", created_at=NOW - timedelta(days=1)),
        message("old and sent", created_at=NOW - timedelta(days=1), status=DeliveryStatus.SENT),
        message("at the moment"),
        message("other school's", school_key=FJELL.key, created_at=NOW - timedelta(days=1)),
        message("undated", created_at=None),
    )
    await claim(store, now=NOW, worker="w1")

    deleted = await committed(store, lambda u: u.outbox.delete_created_before(EKBACKA.key, NOW))

    assert deleted == 2
    assert [m.key for m in await stored(store)] == ["at the moment", "other school's", "undated"]
