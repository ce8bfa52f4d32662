"""narvaro's aiosqlite adapter (`storage.sqlite_driver`): one trip to aiosqlite's thread per
statement, none for a commit or rollback with no transaction open, and otherwise what
SQLAlchemy's own adapter answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.db import make_engine, make_session_factory
from tests.conftest import sqlite_url


@pytest.fixture(params=["narvaro", "stock"])
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(sqlite_url(tmp_path / "driver.db"), stock_driver=request.param == "stock")
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER)")
        )
    yield engine
    await engine.dispose()


class Trips:
    """Counts the calls queued to aiosqlite's thread."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        queue = aiosqlite.Connection._execute

        async def counted(connection: aiosqlite.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.count += 1
            return await queue(connection, fn, *args, **kwargs)

        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)


async def test_a_read_and_a_write_committed_are_three_trips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(sqlite_url(tmp_path / "trips.db"))
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)"))
            await connection.execute(text("INSERT INTO t (id, n) VALUES (1, 0)"))
        sessions = make_session_factory(engine)
        async with sessions() as session:  # the pool's connection is open from here on
            await session.execute(text("SELECT 1"))
        trips = Trips(monkeypatch)
        async with sessions() as session:
            assert (await session.execute(text("SELECT n FROM t WHERE id = 1"))).scalar() == 0
            result = await session.execute(text("UPDATE t SET n = n + 1 WHERE id = 1"))
            assert result.rowcount == 1
            await session.commit()
        # SELECT, UPDATE, COMMIT; the pool's rollback as it takes the connection back is left
        # out, there being no transaction to roll back. (SQLAlchemy's adapter: 9 trips.)
        assert trips.count == 3
        trips.count = 0
        async with sessions() as session:
            await session.execute(text("SELECT n FROM t"))
            await session.commit()
        assert trips.count == 1
    finally:
        await engine.dispose()


async def test_rows_row_counts_and_last_row_ids_are_what_sqlite_said(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(text("INSERT INTO t (name, n) VALUES ('a', 1)"))
        assert inserted.lastrowid == 1
        many = await connection.execute(
            text("INSERT INTO t (name, n) VALUES (:name, :n)"),
            [{"name": "b", "n": 2}, {"name": "c", "n": 3}],
        )
        assert many.rowcount == 2
        updated = await connection.execute(text("UPDATE t SET n = n * 10 WHERE n >= 2"))
        assert updated.rowcount == 2
        returned = await connection.execute(
            text("UPDATE t SET n = n + 1 WHERE name = 'a' RETURNING id, n")
        )
        assert returned.all() == [(1, 2)]
        rows = await connection.execute(text("SELECT name, n FROM t ORDER BY name"))
        assert list(rows.keys()) == ["name", "n"]
        assert rows.all() == [("a", 2), ("b", 20), ("c", 30)]
        assert (await connection.execute(text("SELECT n FROM t WHERE 0"))).all() == []


async def test_a_failed_statement_leaves_its_transaction_to_be_rolled_back(
    engine: AsyncEngine,
) -> None:
    sessions = make_session_factory(engine)
    async with sessions() as session:
        await session.execute(text("INSERT INTO t (name, n) VALUES ('a', 1)"))
        await session.commit()
    async with sessions() as session:
        await session.execute(text("INSERT INTO t (name, n) VALUES ('b', 2)"))
        with pytest.raises(IntegrityError):
            await session.execute(text("INSERT INTO t (name, n) VALUES ('a', 3)"))
        await session.rollback()
    async with sessions() as session:
        # Closed without a commit: the pool rolls the write back as it takes the connection.
        await session.execute(text("INSERT INTO t (name, n) VALUES ('c', 4)"))
    async with sessions() as session:
        names = (await session.execute(text("SELECT name FROM t ORDER BY name"))).scalars()
        assert list(names) == ["a"]


async def test_a_streamed_result_reads_through_a_cursor_of_its_own(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text("INSERT INTO t (name, n) VALUES (:name, :n)"),
            [{"name": str(n), "n": n} for n in range(5)],
        )
    async with engine.connect() as connection:
        result = await connection.stream(text("SELECT n FROM t ORDER BY n"))
        assert [row.n async for row in result] == [0, 1, 2, 3, 4]


async def test_autocommit_writes_are_kept(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.execute(text("INSERT INTO t (name, n) VALUES ('x', 1)"))
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM t"))).scalar() == 1
