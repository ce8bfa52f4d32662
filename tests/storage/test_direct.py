"""`storage.direct`: a chat event's two statements sent by narvaro's asyncpg adapter without
SQLAlchemy's execution of them, with what SQLAlchemy would have given: the same rows (result
processors applied), the same parameters (bind processors applied), flushed changes first,
the cursor events, SQLAlchemy's errors with the parameters hidden, and a lost connection
replaced. On SQLite the same calls take SQLAlchemy's ordinary path."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Integer, bindparam, event, literal, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import direct
from storage.chat import QUERY
from storage.db import make_engine, make_session_factory
from storage.orm import ConversationRow
from tests.storage.pg_trips import Trips, through_cursor

CONVERSATIONS = ConversationRow.__table__
READ = direct.Direct(
    select(CONVERSATIONS, literal("fixed").label("fixed"))
    .where(CONVERSATIONS.c.key == bindparam("key"))
    .order_by(CONVERSATIONS.c.key)
)
SAVE = direct.Direct(
    update(CONVERSATIONS)
    .where(CONVERSATIONS.c.key == bindparam("key_"))
    .values(data=bindparam("data_", type_=CONVERSATIONS.c.data.type), version=7)
)
# Fails on the server (division by zero), with a parameter that must not reach the message.
SECRET = 4711
FAILS = direct.Direct(select(literal(1) / (bindparam("secret_", type_=Integer) - SECRET)))


@pytest.fixture
async def engine(migrated_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(migrated_database_url)
    async with engine.begin() as connection:
        for key in ("a", "b"):
            await connection.execute(
                CONVERSATIONS.insert().values(key=key, flow="f", state="s", data={"n": [1]})
            )
    yield engine
    await engine.dispose()


async def test_rows_are_what_sqlalchemy_reads(engine: AsyncEngine) -> None:
    sessions = make_session_factory(engine)
    async with sessions() as session:
        expected = [tuple(row) for row in await session.execute(READ.statement, {"key": "a"})]
    async with sessions() as session:
        ran = await direct.run(session, READ, {"key": "a"})
    assert [tuple(row) for row in ran.rows] == expected
    (row,) = ran.rows
    assert row[3] == {"n": [1]} and row[-1] == "fixed"
    # updated_at through narvaro's UtcDateTime: aware, in UTC, as SQLAlchemy gives it.
    assert isinstance(row[4], datetime) and row[4].tzinfo == UTC


async def test_the_chat_query_reads_the_same_either_way(engine: AsyncEngine) -> None:
    values = {"key": "a", "platform": "telegram", "account_id": "1"}
    async with make_session_factory(engine)() as session:
        expected = [tuple(row) for row in await session.execute(QUERY, values)]
        ran = await direct.run(session, direct.Direct(QUERY), values)
    assert [tuple(row) for row in ran.rows] == expected


async def test_a_write_s_parameters_are_processed_and_its_rows_counted(
    engine: AsyncEngine,
) -> None:
    sessions = make_session_factory(engine)
    async with sessions() as session:
        ran = await direct.run(session, SAVE, {"key_": "b", "data_": {"x": ("t", 1)}})
        missing = await direct.run(session, SAVE, {"key_": "none", "data_": {}})
        await session.commit()
    assert (ran.rowcount, missing.rowcount) == (1, 0)
    async with sessions() as session:
        row = (
            await session.execute(select(CONVERSATIONS).where(CONVERSATIONS.c.key == "b"))
        ).one()
    assert (row.data, row.version) == ({"x": ["t", 1]}, 7)


async def test_pending_changes_are_flushed_first(engine: AsyncEngine) -> None:
    async with make_session_factory(engine)() as session:
        session.add(ConversationRow(key="c", flow=None, state=None, data={}))
        ran = await direct.run(session, READ, {"key": "c"})
    assert [row[0] for row in ran.rows] == ["c"]


async def test_the_engine_s_cursor_events_see_the_statement(engine: AsyncEngine) -> None:
    seen: list[tuple[str, str]] = []

    def before(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        seen.append(("before", statement))

    def after(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        seen.append(("after", statement))

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    event.listen(engine.sync_engine, "after_cursor_execute", after)
    async with make_session_factory(engine)() as session:
        await direct.run(session, READ, {"key": "a"})
    assert [when for when, _s in seen] == ["before", "after"]
    assert all("FROM conversations" in statement for _w, statement in seen)


async def test_an_error_is_sqlalchemy_s_without_its_parameters(
    migrated_postgresql_url: str,
) -> None:
    engine = make_engine(migrated_postgresql_url)
    sessions = make_session_factory(engine)
    try:
        async with sessions() as session:
            with pytest.raises(DBAPIError) as raised:
                await direct.run(session, FAILS, {"secret_": SECRET})
            await session.rollback()
        async with sessions() as session:  # the connection is still good
            (row,) = (await direct.run(session, FAILS, {"secret_": SECRET + 1})).rows
            assert row[0] == 1
    finally:
        await engine.dispose()
    message = str(raised.value)
    assert "division by zero" in message and not raised.value.connection_invalidated
    assert "hidden" in message and str(SECRET) not in message


async def test_a_connection_the_server_ended_fails_once_and_is_replaced(
    migrated_postgresql_url: str,
) -> None:
    engine, killer = make_engine(migrated_postgresql_url), make_engine(migrated_postgresql_url)
    sessions = make_session_factory(engine)
    pid_of = text("SELECT pg_backend_pid()")
    try:
        async with sessions() as session:
            await direct.run(session, READ, {"key": "a"})
            pid = (await session.execute(pid_of)).scalar_one()
            async with killer.connect() as other:
                await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                await other.commit()
            await asyncio.sleep(0.2)
            with pytest.raises(DBAPIError) as raised:
                await direct.run(session, READ, {"key": "a"})
        assert raised.value.connection_invalidated
        async with sessions() as session:
            assert (await direct.run(session, READ, {"key": "a"})).rows == []
            assert (await session.execute(pid_of)).scalar_one() != pid
    finally:
        await killer.dispose()
        await engine.dispose()


async def test_on_postgresql_a_read_before_any_write_is_one_trip_without_begin(
    migrated_postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(migrated_postgresql_url)
    try:
        sessions = make_session_factory(engine)
        async with sessions() as session:
            await direct.run(session, READ, {"key": "a"})  # prepared on the connection
        trips = Trips(monkeypatch)
        by_cursor = through_cursor(monkeypatch)
        async with sessions() as session:
            await direct.run(session, READ, {"key": "a"})
            await session.commit()
        assert (trips.sent, by_cursor) == (["fetch"], [])
    finally:
        await engine.dispose()
