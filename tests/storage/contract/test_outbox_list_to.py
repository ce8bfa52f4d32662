"""`OutboxRepository.list_to`: what a console shows its person, read by address and bounded,
on the fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from routine.ports import UnitOfWorkFactory
from tests.storage.contract.outbox.support import message, version
from tests.storage.support import EKBACKA, FJELL, committed, read


async def add(store: UnitOfWorkFactory, *messages) -> None:
    await committed(store, lambda u: u.outbox.add_many(list(messages)))


async def keys_to(store: UnitOfWorkFactory, addresses, *, newest: int = 10, school=EKBACKA):
    found = await read(store, lambda u: u.outbox.list_to(school.key, addresses, newest=newest))
    return [m.key for m in found]


async def test_only_the_addresses_asked_for_of_that_school(store: UnitOfWorkFactory) -> None:
    await add(
        store,
        message("mine", platform="slack", recipient="U1"),
        message("colleague", platform="slack", recipient="U2"),
        message("same id elsewhere", platform="telegram", recipient="U1"),
        message("my chat", platform="telegram", recipient="chat-9"),
        message("other school", platform="slack", recipient="U1", school_key=FJELL.key),
    )

    assert await keys_to(store, {("slack", "U1"), ("telegram", "chat-9")}) == ["mine", "my chat"]
    assert await keys_to(store, set()) == []


async def test_the_newest_oldest_first_without_superseded_versions(
    store: UnitOfWorkFactory,
) -> None:
    await add(store, *(message(f"m{n}", platform="slack", recipient="U1") for n in range(5)))
    await add(store, version("v1", "1 of 25", platform="slack", recipient="U1"))
    await add(store, version("v2", "2 of 25", platform="slack", recipient="U1"))

    # v1 was superseded by v2 before anyone sent it: never shown.
    assert await keys_to(store, {("slack", "U1")}, newest=3) == ["m3", "m4", "v2"]
