"""What the bulk write of live messages (`outbox.add_many`) costs, on SQLite and PostgreSQL:
one INSERT compares each version with the newest in its slot (no read before it), and the
superseding UPDATE is sent only when a version was stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from routine.outbox import DeliveryStatus, OutboxMessage
from storage import mapping
from storage.db import make_engine, make_session_factory
from storage.outbox_slots import _VERSION_COLUMNS
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.storage.support import EKBACKA, save_schools_and_people

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


class Counted:
    def __init__(self, factory: SqlAlchemyUnitOfWorkFactory, engine: Any) -> None:
        self.factory, self.statements = factory, 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.statements += 1

    async def add_many(self, messages: list[OutboxMessage]) -> tuple[list[bool], int]:
        async with self.factory() as uow:
            before = self.statements
            added = await uow.outbox.add_many(messages)
            spent = self.statements - before
            await uow.commit()
        return added, spent

    async def statuses(self) -> dict[str, DeliveryStatus]:
        async with self.factory() as uow:
            return {m.key: m.status for m in await uow.outbox.list()}


@pytest.fixture
async def store(migrated_database_url: str) -> AsyncIterator[Counted]:
    engine = make_engine(migrated_database_url)
    counted = Counted(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), engine)
    async with counted.factory() as uow:
        await save_schools_and_people(uow)
        await uow.commit()
    try:
        yield counted
    finally:
        await engine.dispose()


def version(key: str, mentor: int, text: str) -> OutboxMessage:
    return OutboxMessage(
        key=key,
        platform="slack",
        recipient=f"U{mentor}",
        text=text,
        kind="roll-call",
        school_key=EKBACKA.key,
        created_at=NOW,
        slot="roll-call:7A:2026-11-23",
    )


def test_the_insert_names_every_column_a_message_has() -> None:
    assert tuple(mapping.outbox_columns(version("k", 1, "x"))) == _VERSION_COLUMNS


async def test_versions_cost_one_statement_and_one_more_if_any_was_stored(
    store: Counted,
) -> None:
    first = [version(f"a{n}", n, "Roll call: 25 pupils") for n in range(30)]
    assert await store.add_many(first) == ([True] * 30, 2)

    # Nothing new to say: the one INSERT stores nothing, and nothing is superseded.
    same = [version(f"b{n}", n, "Roll call: 25 pupils") for n in range(30)]
    assert await store.add_many(same) == ([False] * 30, 1)

    # Ten mentors' messages change: their earlier (pending) versions are superseded.
    changed = [version(f"c{n}", n, "Roll call: 24 pupils") for n in range(10)]
    assert await store.add_many(changed + same[10:]) == ([True] * 10 + [False] * 20, 2)
    statuses = await store.statuses()
    assert [statuses[f"a{n}"] for n in range(12)] == [DeliveryStatus.SUPERSEDED] * 10 + [
        DeliveryStatus.PENDING
    ] * 2
    assert all(statuses[f"c{n}"] is DeliveryStatus.PENDING for n in range(10))
