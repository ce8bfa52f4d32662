"""The outbox's versions of one message on screen (slots), on the fakes, SQLite and PostgreSQL:
a new version supersedes the pending ones, waits for one being sent, and says nothing twice."""

from __future__ import annotations

import dataclasses

from routine.outbox import DeliveryStatus, OutgoingButton
from routine.ports import UnitOfWorkFactory
from tests.storage.contract.outbox.support import (
    LEASE,
    NOW,
    add,
    claim,
    message,
    slot_ref,
    statuses,
    stored,
    version,
)
from tests.storage.support import committed


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
