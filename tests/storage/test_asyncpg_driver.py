"""narvaro's asyncpg adapter (`storage.asyncpg_driver`): BEGIN only before what needs a
transaction, a lone last write that commits itself, and no ping for a connection in use; and
with all that, the same rows, the same atomicity and the same recovery from a lost connection.

The round trips are counted where asyncpg talks to the server (`Trips`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine

from storage import asyncpg_driver
from storage.asyncpg_driver import LONE_WRITE, check_isolation, few_trips_dbapi, may_begin_later
from storage.db import make_engine, make_session_factory, server_settings_from_options
from tests.storage.pg_trips import Trips

LONE_UPDATE = text(f"UPDATE {LONE_WRITE} t SET n = n + 1 WHERE id = 1")


@pytest.fixture
async def url(empty_postgresql_url: str) -> str:
    return empty_postgresql_url


@pytest.fixture
async def engine(url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)"))
        await connection.execute(text("INSERT INTO t (id, n) VALUES (1, 0)"))
    yield engine
    await engine.dispose()


async def n_now(engine: AsyncEngine) -> int:
    """What another connection sees: only what was committed."""
    async with engine.connect() as connection:
        return (await connection.execute(text("SELECT n FROM t WHERE id = 1"))).scalar_one()


async def warmed(engine: AsyncEngine, *statements: str) -> None:
    """Statements prepared on the pool's connection, as on a running server."""
    async with make_session_factory(engine)() as session:
        for statement in statements:
            await session.execute(text(statement))


def test_which_statements_may_run_before_begin() -> None:
    assert may_begin_later("SELECT n FROM t WHERE id = $1")
    assert may_begin_later("  select 1")
    for needs in (
        "SELECT n FROM t WHERE id = 1 FOR UPDATE",
        "SELECT id FROM t FOR UPDATE SKIP LOCKED",
        "SELECT id FROM t FOR NO KEY UPDATE",
        "SELECT id FROM t FOR SHARE",
        "SELECT id FROM t FOR KEY SHARE",
        "SELECT pg_advisory_xact_lock(1)",
        "SELECT set_config('search_path', 'x', true)",
        "UPDATE t SET n = 1",
        "INSERT INTO t (id) VALUES (2)",
        "WITH x AS (DELETE FROM t RETURNING id) SELECT id FROM x",
    ):
        assert not may_begin_later(needs), needs


async def test_a_read_sends_no_begin_and_its_commit_sends_nothing(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await warmed(engine, "SELECT n FROM t WHERE id = 1")
    trips = Trips(monkeypatch)
    async with make_session_factory(engine)() as session:
        assert (await session.execute(text("SELECT n FROM t WHERE id = 1"))).scalar() == 0
        await session.commit()
    assert trips.sent == ["fetch"]


async def test_a_write_after_a_read_begins_and_is_rolled_back_with_its_unit_of_work(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    trips = Trips(monkeypatch)
    async with make_session_factory(engine)() as session:
        await session.execute(text("SELECT n FROM t WHERE id = 1"))
        await session.execute(text("UPDATE t SET n = 5 WHERE id = 1"))
        await session.execute(text("INSERT INTO t (id, n) VALUES (2, 0)"))
        await session.rollback()
    assert "BEGIN" in trips.sent and "ROLLBACK" in trips.sent
    async with engine.connect() as connection:
        rows = (await connection.execute(text("SELECT id, n FROM t"))).all()
    assert [tuple(row) for row in rows] == [(1, 0)]


async def test_a_locking_read_begins_first(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await warmed(engine, "SELECT n FROM t WHERE id = 1 FOR UPDATE")
    trips = Trips(monkeypatch)
    async with make_session_factory(engine)() as session:
        await session.execute(text("SELECT n FROM t WHERE id = 1 FOR UPDATE"))
        await session.commit()
    assert trips.sent == ["BEGIN", "fetch", "COMMIT"]


async def test_a_lone_write_with_nothing_before_commits_itself(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await warmed(engine, "SELECT n FROM t WHERE id = 1")
    trips = Trips(monkeypatch)
    async with make_session_factory(engine)() as session:
        await session.execute(text("SELECT n FROM t WHERE id = 1"))
        result = await session.execute(LONE_UPDATE)
        assert result.rowcount == 1
        assert await n_now(engine) == 1  # committed already, seen by another connection
        await session.commit()
    prepared = [sent for sent in trips.sent if sent != "prepare"]
    assert prepared[:2] == ["fetch", "fetch"] and "BEGIN" not in trips.sent
    assert "COMMIT" not in trips.sent


async def test_a_lone_write_after_another_write_joins_its_transaction(
    engine: AsyncEngine,
) -> None:
    async with make_session_factory(engine)() as session:
        await session.execute(text("INSERT INTO t (id, n) VALUES (2, 0)"))
        await session.execute(LONE_UPDATE)
        assert await n_now(engine) == 0
        await session.rollback()
    assert await n_now(engine) == 0
    async with make_session_factory(engine)() as session:
        await session.execute(text("INSERT INTO t (id, n) VALUES (2, 0)"))
        await session.execute(LONE_UPDATE)
        await session.commit()
    assert await n_now(engine) == 1


async def test_under_repeatable_read_every_statement_begins(
    url: str, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The snapshot of REPEATABLE READ is taken by the first statement after BEGIN: a read
    before it would see other rows than the rest of the transaction."""
    parsed = make_url(url)
    settings = server_settings_from_options(str(parsed.query["options"]))
    settings["default_transaction_isolation"] = "repeatable read"
    strict = create_async_engine(
        parsed.difference_update_query(["options"]),
        module=few_trips_dbapi(),
        connect_args={"server_settings": settings},
    )
    event.listen(strict.sync_engine, "connect", check_isolation)
    try:
        await warmed(strict, "SELECT n FROM t WHERE id = 1")
        trips = Trips(monkeypatch)
        async with make_session_factory(strict)() as session:
            await session.execute(text("SELECT n FROM t WHERE id = 1"))
            await session.execute(LONE_UPDATE)
            await session.commit()
        assert trips.sent[0] == "BEGIN" and trips.sent[-1] == "COMMIT"
    finally:
        await strict.dispose()
    # And as a connection's own choice, on a READ COMMITTED server.
    trips.clear()
    async with engine.connect() as connection:
        await connection.execution_options(isolation_level="REPEATABLE READ")
        await connection.execute(text("SELECT n FROM t WHERE id = 1"))
        await connection.commit()
    assert "BEGIN ISOLATION LEVEL REPEATABLE READ" in trips.sent


async def test_a_connection_in_use_is_not_pinged_and_an_idle_one_is(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    await warmed(engine, "SELECT 1")
    trips = Trips(monkeypatch)
    await warmed(engine, "SELECT 1")
    assert trips.sent == ["fetch"]
    monkeypatch.setattr(asyncpg_driver, "PING_AFTER_IDLE", 0.0)
    trips.clear()
    await warmed(engine, "SELECT 1")
    assert trips.sent[:-1] and trips.sent[-1] == "fetch"  # SQLAlchemy's ping came first


async def test_a_connection_the_server_ended_is_replaced_at_checkout(
    url: str, engine: AsyncEngine
) -> None:
    async def backend_pid(session: AsyncSession) -> int:
        return (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()

    sessions = make_session_factory(engine)
    async with sessions() as session:
        first = await backend_pid(session)
    killer = make_engine(url)
    try:
        async with killer.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        await killer.dispose()
    await asyncio.sleep(0.2)  # the server's closing of the socket reaches the event loop
    async with sessions() as session:
        assert await backend_pid(session) != first
