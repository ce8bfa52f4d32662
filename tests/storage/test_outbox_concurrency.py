"""The outbox with transactions in flight at once, on PostgreSQL: what several dispatchers (and
several jobs writing the same message) rely on. SQLite has one writer at a time, so there the
question does not arise."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from routine.outbox import OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, committed, read, save_schools_and_people

NOW = datetime(2025, 11, 10, 7, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


def message(key: str) -> OutboxMessage:
    return OutboxMessage(
        key, "telegram", f"chat-{key}", "Hej", "unreported", EKBACKA.key, created_at=NOW
    )


async def stored_keys(uow_factory: UnitOfWorkFactory) -> list[str]:
    return [m.key for m in await read(uow_factory, lambda u: u.outbox.list())]


async def test_a_key_added_in_two_transactions_at_once_is_stored_once(
    postgresql_uow_factory: UnitOfWorkFactory,
) -> None:
    await committed(postgresql_uow_factory, save_schools_and_people)
    async with postgresql_uow_factory() as first, postgresql_uow_factory() as second:
        assert await first.outbox.add(message("k")) is True
        adding_again = asyncio.create_task(second.outbox.add(message("k")))
        await asyncio.sleep(0.2)
        # The second insert waits for the first transaction to decide...
        assert not adding_again.done()
        await first.commit()
        # ... and, the key being taken, stores nothing, without an error.
        assert await adding_again is False
        await second.commit()

    assert await stored_keys(postgresql_uow_factory) == ["k"]


async def test_a_key_whose_first_writer_rolled_back_is_stored_by_the_second(
    postgresql_uow_factory: UnitOfWorkFactory,
) -> None:
    await committed(postgresql_uow_factory, save_schools_and_people)
    async with postgresql_uow_factory() as first, postgresql_uow_factory() as second:
        await first.outbox.add(message("k"))
        adding_again = asyncio.create_task(second.outbox.add(message("k")))
        await asyncio.sleep(0.2)
        await first.rollback()
        assert await adding_again is True
        await second.commit()

    assert await stored_keys(postgresql_uow_factory) == ["k"]


async def test_concurrent_claims_pass_by_each_others_rows_without_waiting(
    postgresql_uow_factory: UnitOfWorkFactory,
) -> None:
    async def add_messages(u):
        await save_schools_and_people(u)
        for n in range(6):
            await u.outbox.add(message(str(n)))

    await committed(postgresql_uow_factory, add_messages)

    def claim(u, worker: str):
        return u.outbox.claim(now=NOW, limit=2, lease=LEASE, worker=worker)

    async with postgresql_uow_factory() as first, postgresql_uow_factory() as second:
        first_claim = await claim(first, "w1")
        # The first claim's rows are locked until it commits; the second skips them at once.
        async with asyncio.timeout(5):
            second_claim = await claim(second, "w2")
        await first.rollback()
        await second.commit()

    assert [m.key for m in first_claim] == ["0", "1"]
    assert [m.key for m in second_claim] == ["2", "3"]
    # The first claim was rolled back, so its messages are free again.
    claimed_after = await committed(postgresql_uow_factory, lambda u: claim(u, "w3"))
    assert [m.key for m in claimed_after] == ["0", "1"]
