"""The contract of chat accounts, invite codes and conversations, on the fakes, SQLite and
PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routine.model import (
    ChatAccount,
    Conversation,
    InviteCode,
)
from routine.ports import ConversationMoved, UnitOfWorkFactory
from tests.storage.support import (
    EKBACKA,
    FJELL,
    committed,
    read,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# Chat accounts


async def test_a_chat_account_is_saved_updated_and_deleted(store: UnitOfWorkFactory) -> None:
    account = ChatAccount("telegram", "4711", EKBACKA.key, "guardian", "g1")
    await committed(store, lambda u: u.accounts.save(account))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) == account
    assert await read(store, lambda u: u.accounts.get("slack", "4711")) is None

    moved = ChatAccount("telegram", "4711", FJELL.key, "guardian", "g1", reachable=False)
    await committed(store, lambda u: u.accounts.save(moved))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) == moved

    await committed(store, lambda u: u.accounts.delete("telegram", "4711"))
    assert await read(store, lambda u: u.accounts.get("telegram", "4711")) is None


async def test_a_persons_chat_accounts_are_listed_by_platform_and_id(
    store: UnitOfWorkFactory,
) -> None:
    accounts = [
        ChatAccount("telegram", "4711", EKBACKA.key, "guardian", "g1"),
        ChatAccount("slack", "U0KARIN", EKBACKA.key, "guardian", "g1"),
        ChatAccount("telegram", "1234", EKBACKA.key, "guardian", "g1"),
        ChatAccount("telegram", "999", EKBACKA.key, "guardian", "g2"),  # another guardian
        ChatAccount("telegram", "888", EKBACKA.key, "staff", "g1"),  # staff with the same id
        ChatAccount("telegram", "777", FJELL.key, "guardian", "g1"),  # the other school's g1
    ]

    async def save(u):
        for account in accounts:
            await u.accounts.save(account)

    await committed(store, save)

    listed = await read(store, lambda u: u.accounts.list_for_person(EKBACKA.key, "guardian", "g1"))

    assert listed == [accounts[1], accounts[2], accounts[0]]
    assert await read(store, lambda u: u.accounts.list_for_person(FJELL.key, "staff", "s9")) == []


async def test_deleting_an_unknown_chat_account_does_nothing(store: UnitOfWorkFactory) -> None:
    await committed(store, lambda u: u.accounts.delete("telegram", "nobody"))

    assert await read(store, lambda u: u.accounts.get("telegram", "nobody")) is None


# Invite codes

NOW = datetime(2025, 11, 10, 9, 0, tzinfo=UTC)


def invite(code_hash: str, guardian_id: str = "g1", **changes: object) -> InviteCode:
    values: dict = {
        "school_key": EKBACKA.key,
        "guardian_id": guardian_id,
        "code_hash": code_hash,
        "expires_at": NOW + timedelta(days=7),
    } | changes
    return InviteCode(**values)


async def add_invites(store: UnitOfWorkFactory, *invites: InviteCode) -> list[InviteCode]:
    async def add(u):
        return [await u.invites.add(i) for i in invites]

    return await committed(store, add)


async def test_an_invite_is_found_by_its_hash(store: UnitOfWorkFactory) -> None:
    expires_at = datetime(2025, 11, 17, 23, 59, tzinfo=STOCKHOLM)
    [added] = await add_invites(store, invite("hash-1", expires_at=expires_at))

    assert added == dataclasses.replace(invite("hash-1", expires_at=expires_at), id=added.id)
    assert await read(store, lambda u: u.invites.find_by_hash("hash-1")) == added
    assert await read(store, lambda u: u.invites.find_by_hash("hash-2")) is None


async def test_a_used_invite_remembers_when(store: UnitOfWorkFactory) -> None:
    [added] = await add_invites(store, invite("hash-1"))
    await committed(store, lambda u: u.invites.mark_used(added.id, NOW))

    used = await read(store, lambda u: u.invites.find_by_hash("hash-1"))

    assert used == dataclasses.replace(added, used_at=NOW)
    assert not used.usable(NOW)


async def test_an_invite_is_marked_used_once_and_an_unknown_one_never(
    store: UnitOfWorkFactory,
) -> None:
    [added] = await add_invites(store, invite("hash-1"))
    assert await committed(store, lambda u: u.invites.mark_used(added.id, NOW)) is True
    later = NOW + timedelta(minutes=1)
    assert await committed(store, lambda u: u.invites.mark_used(added.id, later)) is False
    assert (await read(store, lambda u: u.invites.find_by_hash("hash-1"))).used_at == NOW
    assert await committed(store, lambda u: u.invites.mark_used(999, NOW)) is False


async def test_revoking_expires_only_the_guardians_usable_invites(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_invites(
        store,
        invite("usable"),
        invite("used", used_at=NOW - timedelta(hours=1)),
        invite("expired", expires_at=NOW - timedelta(days=1)),
        invite("also usable"),
        invite("someone else's", guardian_id="g2"),
        invite("other school's", school_key=FJELL.key),
    )

    revoked = await committed(store, lambda u: u.invites.revoke_unused(EKBACKA.key, "g1", NOW))

    async def stored(u):
        return [await u.invites.find_by_hash(i.code_hash) for i in added]

    assert revoked == 2
    assert await read(store, stored) == [
        dataclasses.replace(added[0], expires_at=NOW),
        added[1],
        added[2],
        dataclasses.replace(added[3], expires_at=NOW),
        added[4],
        added[5],
    ]


# Conversations


async def test_a_conversation_reads_back_with_nested_data(store: UnitOfWorkFactory) -> None:
    conversation = Conversation(
        key="telegram:4711",
        flow="report_absence",
        state="ask_reason",
        data={
            "pupil_ids": ["p1", "p2"],
            "draft": {"first_day": "2025-11-10", "part": {"kind": "late", "at": None}},
            "attempts": 2,
            "confirmed": False,
            "note": "Åsa är förkyld 🤒",
        },
    )
    await committed(store, lambda u: u.conversations.save(conversation))

    assert await read(store, lambda u: u.conversations.get("telegram:4711")) == conversation


async def test_a_conversation_is_updated_and_deleted(store: UnitOfWorkFactory) -> None:
    await committed(
        store, lambda u: u.conversations.save(Conversation("k", "flow", "one", {"a": 1}))
    )
    finished = Conversation("k", version=1)
    await committed(store, lambda u: u.conversations.save(finished))
    assert await read(store, lambda u: u.conversations.get("k")) == Conversation("k", version=2)

    await committed(store, lambda u: u.conversations.delete("k"))
    assert await read(store, lambda u: u.conversations.get("k")) is None
    await committed(store, lambda u: u.conversations.delete("k"))


async def test_a_conversation_is_saved_only_if_nobody_saved_it_since_it_was_read(
    store: UnitOfWorkFactory,
) -> None:
    await committed(store, lambda u: u.conversations.save(Conversation("k", "f", "one")))
    first = await read(store, lambda u: u.conversations.get("k"))
    second = await read(store, lambda u: u.conversations.get("k"))
    await committed(store, lambda u: u.conversations.save(dataclasses.replace(first, state="two")))
    with pytest.raises(ConversationMoved):
        await committed(
            store, lambda u: u.conversations.save(dataclasses.replace(second, state="three"))
        )
    with pytest.raises(ConversationMoved):
        await committed(store, lambda u: u.conversations.save(Conversation("k", "f", "new")))
    stored = await read(store, lambda u: u.conversations.get("k"))
    assert (stored.state, stored.version) == ("two", 2)


async def test_conversation_data_is_stored_as_json(store: UnitOfWorkFactory) -> None:
    await committed(
        store,
        lambda u: u.conversations.save(
            Conversation("k", data={"days": (1, 2), "by_id": {7: "x"}})
        ),
    )

    stored = await read(store, lambda u: u.conversations.get("k"))

    assert stored.data == {"days": [1, 2], "by_id": {"7": "x"}}


async def test_conversation_data_that_json_cannot_hold_is_refused(
    store: UnitOfWorkFactory,
) -> None:
    async def save(u):
        await u.conversations.save(Conversation("k", data={"day": date(2025, 11, 10)}))

    with pytest.raises(TypeError):
        await committed(store, save)


async def test_changing_read_data_changes_nothing_until_saved(store: UnitOfWorkFactory) -> None:
    async def read_and_change(u):
        conversation = await u.conversations.get("k")
        conversation.data["step"] = 2
        return await u.conversations.get("k")

    await committed(store, lambda u: u.conversations.save(Conversation("k", data={"step": 1})))

    assert await committed(store, read_and_change) == Conversation(
        "k", data={"step": 1}, version=1
    )


async def test_abandoned_conversations_are_forgotten(store: UnitOfWorkFactory) -> None:
    draft = Conversation("idle", "report_absence", "note", {"note": "has asthma"})
    await committed(store, lambda u: u.conversations.save(draft))
    await committed(store, lambda u: u.conversations.save(Conversation("empty")))
    now = datetime.now(UTC)
    assert (
        await committed(
            store, lambda u: u.conversations.clear_idle_before(now - timedelta(hours=1))
        )
        == 0
    )
    assert (
        await committed(
            store, lambda u: u.conversations.clear_idle_before(now + timedelta(minutes=1))
        )
        == 1
    )
    cleared = await read(store, lambda u: u.conversations.get("idle"))
    assert (cleared.flow, cleared.state, cleared.data) == (None, None, {})
    # A chat whose event was read before the clearing finds it moved, and starts afresh.
    with pytest.raises(ConversationMoved):
        await committed(
            store, lambda u: u.conversations.save(dataclasses.replace(draft, version=1))
        )
