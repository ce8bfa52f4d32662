"""The outbox's contract, on the fakes, SQLite and PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from routine.ports import UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import EKBACKA, FJELL, committed, read, save_schools_and_people

NOW = datetime(2025, 11, 10, 7, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    await committed(uow_factory, save_schools_and_people)
    return uow_factory


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


# Each test runs with `add` and with `add_many` (one message a call): a job's bulk writes keep
# every rule of the one-message write, supersession and comparison with the slot included.
ADDING = {"how": "add"}


@pytest.fixture(autouse=True, params=("add", "add_many"))
def adding(request: pytest.FixtureRequest):
    ADDING["how"] = request.param
    yield request.param
    ADDING["how"] = "add"


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


# Versions of one message on screen (slots)


def version(key: str, text: str, **changes: object) -> OutboxMessage:
    """A version of the live summary in one recipient's slot."""
    values: dict = {"recipient": "chat-mentor", "slot": "summary:7A", "text": text} | changes
    return message(key, **values)


async def statuses(store: UnitOfWorkFactory) -> dict[str, DeliveryStatus]:
    return {m.key: m.status for m in await stored(store)}


async def test_a_new_version_supersedes_the_pending_ones_before_it(
    store: UnitOfWorkFactory,
) -> None:
    assert await add(store, version("v1", "1 of 25"), version("v2", "2 of 25")) == [True, True]
    assert await add(store, version("v3", "3 of 25")) == [True]

    assert await statuses(store) == {
        "v1": DeliveryStatus.SUPERSEDED,
        "v2": DeliveryStatus.SUPERSEDED,
        "v3": DeliveryStatus.PENDING,
    }
    assert await claim(store) == ["v3"]


async def test_only_the_same_recipients_slot_is_superseded(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        version("sent", "0 of 25", status=DeliveryStatus.SENT, sent_at=NOW),
        version("failed", "1 of 25", status=DeliveryStatus.FAILED),
        version("other slot", "7B", slot="summary:7B"),
        version("other recipient", "7A", recipient="chat-head"),
        version("other platform", "7A", platform="slack"),
        version("no slot", "7A", slot=""),
    )

    assert await add(store, version("v2", "2 of 25")) == [True]

    assert await statuses(store) == {
        "sent": DeliveryStatus.SENT,
        "failed": DeliveryStatus.FAILED,
        "other slot": DeliveryStatus.PENDING,
        "other recipient": DeliveryStatus.PENDING,
        "other platform": DeliveryStatus.PENDING,
        "no slot": DeliveryStatus.PENDING,
        "v2": DeliveryStatus.PENDING,
    }


async def test_a_version_being_sent_is_not_superseded(store: UnitOfWorkFactory) -> None:
    await add(store, version("v1", "1 of 25"))
    await claim(store)

    assert await add(store, version("v2", "2 of 25", created_at=NOW + LEASE / 2)) == [True]

    assert await statuses(store) == {"v1": DeliveryStatus.PENDING, "v2": DeliveryStatus.PENDING}


async def test_a_version_whose_lease_ran_out_is_superseded(store: UnitOfWorkFactory) -> None:
    await add(store, version("v1", "1 of 25"))
    await claim(store, worker="crashed")

    assert await add(store, version("v2", "2 of 25", created_at=NOW + LEASE)) == [True]

    assert await statuses(store) == {
        "v1": DeliveryStatus.SUPERSEDED,
        "v2": DeliveryStatus.PENDING,
    }


async def test_a_newer_version_waits_while_an_older_one_is_being_sent(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, version("v1", "1 of 25"))
    [v1] = await committed(
        store, lambda u: u.outbox.claim(now=NOW, limit=1, lease=LEASE, worker="a")
    )
    meanwhile = NOW + LEASE / 2
    await add(
        store,
        version("v2", "2 of 25", created_at=meanwhile),
        version("other slot", "7B", slot="summary:7B", created_at=meanwhile),
        version("no slot", "7A", slot="", created_at=meanwhile),
        version("other mentor", "7A", recipient="chat-other", created_at=meanwhile),
    )

    # Worker B would find nothing sent to edit, and post a second message; and nothing else to
    # the same mentor overtakes v1 either.
    assert await claim(store, now=meanwhile, worker="b") == ["other mentor"]

    sent = dataclasses.replace(v1, status=DeliveryStatus.SENT, sent_at=meanwhile, ref="D1:1")
    await committed(store, lambda u: u.outbox.record(sent))
    assert await claim(store, now=meanwhile, worker="b") == ["v2"]


async def test_after_a_lease_runs_out_the_older_version_goes_first(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, version("v1", "1 of 25"))
    await claim(store, worker="crashed")
    await add(store, version("v2", "2 of 25", created_at=NOW + LEASE / 2))

    # Both are pending and neither is leased: one claim takes the older only.
    [v1] = await committed(
        store, lambda u: u.outbox.claim(now=NOW + LEASE, limit=10, lease=LEASE, worker="b")
    )
    assert v1.key == "v1"

    retry = dataclasses.replace(v1, attempts=1, last_error="timed out")
    await committed(store, lambda u: u.outbox.record(retry))
    assert await claim(store, now=NOW + LEASE, worker="b") == ["v2"]


async def test_a_version_saying_what_the_last_one_says_is_not_added(
    store: UnitOfWorkFactory,
) -> None:
    buttons = (OutgoingButton("done", "Klar"),)
    await add(store, version("v1", "1 of 25", buttons=buttons, status=DeliveryStatus.SENT))

    assert await add(store, version("v1 again", "1 of 25", buttons=buttons)) == [False]
    assert await add(store, version("other buttons", "1 of 25")) == [True]
    assert await add(store, version("same as that", "1 of 25")) == [False]

    assert await statuses(store) == {
        "v1": DeliveryStatus.SENT,
        "other buttons": DeliveryStatus.PENDING,
    }


async def test_what_a_superseded_version_said_is_said_again(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        version("v1", "1 of 25", status=DeliveryStatus.SENT),
        version("v2", "2 of 25"),
        version("v3", "3 of 25", status=DeliveryStatus.FAILED),
    )

    # v2 never went out, and v3 failed: the screen still shows v1.
    assert await add(store, version("v2 again", "2 of 25")) == [True]


async def test_what_a_failed_version_said_is_said_again(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        version("v1", "1 of 25", status=DeliveryStatus.SENT),
        version("v2", "2 of 25", status=DeliveryStatus.FAILED),
    )

    assert await add(store, version("v2 again", "2 of 25")) == [True]


async def test_slots_compare_nothing_without_a_slot(store: UnitOfWorkFactory) -> None:
    assert await add(store, message("a", text="same"), message("b", text="same")) == [True, True]

    assert await statuses(store) == {"a": DeliveryStatus.PENDING, "b": DeliveryStatus.PENDING}


async def test_a_key_already_there_supersedes_nothing(store: UnitOfWorkFactory) -> None:
    await add(store, version("v1", "1 of 25"), version("v2", "2 of 25"))

    assert await add(store, version("v1", "3 of 25")) == [False]

    assert await statuses(store) == {"v1": DeliveryStatus.SUPERSEDED, "v2": DeliveryStatus.PENDING}


async def test_a_recorded_ref_is_the_slots_ref(store: UnitOfWorkFactory) -> None:
    await add(store, version("v1", "1 of 25"))
    [v1] = await committed(
        store, lambda u: u.outbox.claim(now=NOW, limit=1, lease=LEASE, worker="w1")
    )
    sent = dataclasses.replace(v1, status=DeliveryStatus.SENT, sent_at=NOW, ref="D1:100.1")
    await committed(store, lambda u: u.outbox.record(sent))

    assert await stored(store) == [sent]
    assert await slot_ref(store) == "D1:100.1"
    assert await slot_ref(store, slot="summary:7B") == ""
    assert await slot_ref(store, recipient="chat-head") == ""
    assert await slot_ref(store, platform="slack") == ""


async def test_the_slots_ref_is_the_newest_sent_versions(store: UnitOfWorkFactory) -> None:
    sent = {"status": DeliveryStatus.SENT, "sent_at": NOW}
    await add(
        store,
        version("v1", "1 of 25", ref="D1:100.1", **sent),
        version("v2", "2 of 25", ref="D1:100.2", **sent),
        version("v3", "3 of 25", ref="D1:100.3", status=DeliveryStatus.FAILED),
        version("v4", "4 of 25"),
    )

    assert await slot_ref(store) == "D1:100.2"


async def test_no_version_sent_means_no_ref(store: UnitOfWorkFactory) -> None:
    await add(store, version("v1", "1 of 25"))

    assert await slot_ref(store) == ""


async def test_a_retry_of_a_version_with_a_newer_one_is_superseded(
    store: UnitOfWorkFactory,
) -> None:
    await add(
        store, version("v1", "1 of 25"), version("other", "7B", recipient="chat-other-mentor")
    )
    [v1, other] = await committed(
        store, lambda u: u.outbox.claim(now=NOW, limit=2, lease=LEASE, worker="w1")
    )
    await add(store, version("v2", "2 of 25"))
    retry = {"attempts": 1, "next_attempt_at": NOW + LEASE, "last_error": "ratelimited"}

    async def record_both(u):
        await u.outbox.record(dataclasses.replace(v1, **retry))
        await u.outbox.record(dataclasses.replace(other, **retry))

    await committed(store, record_both)

    assert await statuses(store) == {
        "v1": DeliveryStatus.SUPERSEDED,
        "other": DeliveryStatus.PENDING,
        "v2": DeliveryStatus.PENDING,
    }


async def slot_ref(
    store: UnitOfWorkFactory,
    *,
    platform: str = "telegram",
    recipient: str = "chat-mentor",
    slot: str = "summary:7A",
) -> str:
    return await read(store, lambda u: u.outbox.slot_ref(platform, recipient, slot))
