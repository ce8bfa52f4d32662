"""SQLite as the service runs it: a write-ahead log for file databases, NORMAL sync, a busy
timeout, and statistics refreshed by `PRAGMA optimize`."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import bootstrap
from bot.settings import Settings
from storage.db import make_engine, optimize
from tests.conftest import sqlite_url


async def pragmas(engine: AsyncEngine) -> dict[str, object]:
    async with engine.connect() as connection:
        return {
            name: (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }


async def test_a_file_database_runs_in_wal_with_normal_sync_and_a_busy_timeout(
    tmp_path: Path,
) -> None:
    engine = make_engine(sqlite_url(tmp_path / "narvaro.db"))
    try:
        # synchronous: 1 is NORMAL (2 FULL, the default).
        assert await pragmas(engine) == {
            "journal_mode": "wal",
            "synchronous": 1,
            "busy_timeout": 5000,
            "foreign_keys": 1,
        }
    finally:
        await engine.dispose()


async def test_an_in_memory_database_keeps_its_journal_but_gets_the_rest() -> None:
    engine = make_engine("sqlite+aiosqlite:///:memory:")
    try:
        assert await pragmas(engine) == {
            "journal_mode": "memory",
            "synchronous": 1,
            "busy_timeout": 5000,
            "foreign_keys": 1,
        }
    finally:
        await engine.dispose()


async def test_the_app_refreshes_the_statistics_as_it_closes(migrated_sqlite_url: str) -> None:
    app = await bootstrap.build(Settings(database_url=migrated_sqlite_url))
    statements: list[str] = []

    def seen(_connection, _cursor, statement: str, *_rest: object) -> None:
        statements.append(statement)

    event.listen(app.db_engine.sync_engine, "before_cursor_execute", seen)
    await app.close()

    assert statements == ["PRAGMA optimize"]


async def test_postgresql_analyzes_only_the_tables_it_is_given(
    migrated_postgresql_url: str,
) -> None:
    engine = make_engine(migrated_postgresql_url)
    statements: list[str] = []
    event.listen(
        engine.sync_engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_rest: statements.append(statement),
    )
    try:
        await optimize(engine)
        await optimize(engine, ("pupils", "guardians"))
    finally:
        await engine.dispose()

    assert [s for s in statements if "ANALYZE" in s] == ["ANALYZE pupils, guardians"]
