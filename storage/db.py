"""Engines and session factories, built from a database URL by the composition root.

Supported: SQLite (`sqlite+aiosqlite:///path/to/narvaro.db`) and PostgreSQL
(`postgresql+asyncpg://user:password@host:5432/database`).

A PostgreSQL URL may choose the schema to work in with libpq's `options` parameter, e.g.
`...?options=-csearch_path%3Dnarvaro`, so that one URL names the whole target, migrations included.
asyncpg has no `options`, so the `-c` settings are handed to it as server settings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.asyncpg_driver import check_isolation, few_trips_dbapi
from storage.sqlite_driver import one_trip_dbapi


class UnsupportedDatabase(ValueError):
    """The URL names a database other than SQLite or PostgreSQL."""


def make_engine(url: str, *, stock_driver: bool = False) -> AsyncEngine:
    """`stock_driver`: SQLAlchemy's own aiosqlite or asyncpg adapter instead of
    `storage.sqlite_driver` or `storage.asyncpg_driver` (the conversation benchmark's floor,
    to compare with)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, stock_driver=stock_driver)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(parsed, stock_driver=stock_driver)
    raise UnsupportedDatabase(
        f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # Repositories hand out domain objects, never rows, so nothing needs reloading after commit.
    return async_sessionmaker(engine, expire_on_commit=False)


def _sqlite_engine(url: URL, *, stock_driver: bool = False) -> AsyncEngine:
    _check_sqlite_folder(url)
    # One trip to aiosqlite's thread per statement, and none for a commit with nothing to commit.
    driver = {} if stock_driver else {"module": one_trip_dbapi()}
    # Errors quote their statement but not its parameters: those are people's data, and an
    # error's text ends up in the operator's log.
    engine = create_async_engine(url, hide_parameters=True, **driver)
    event.listen(engine.sync_engine, "connect", _enable_sqlite_foreign_keys)
    event.listen(
        engine.sync_engine,
        "connect",
        _tune_sqlite_file if _is_file(url) else _tune_sqlite_memory,
    )
    return engine


def _is_file(url: URL) -> bool:
    database = url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in database


def _tune_sqlite_memory(dbapi_connection: Any, _connection_record: Any) -> None:
    _sqlite_pragmas(dbapi_connection, SQLITE_PRAGMAS)


def _tune_sqlite_file(dbapi_connection: Any, _connection_record: Any) -> None:
    # WAL: readers do not wait for the writer (the clock, the dispatcher and a chat at once),
    # and a commit is one append. It needs a file: an in-memory database keeps its journal.
    _sqlite_pragmas(dbapi_connection, ("journal_mode=WAL", *SQLITE_PRAGMAS))


# NORMAL is safe with WAL (a power cut may lose the last commits, never corrupt the file) and
# spares an fsync per commit; busy_timeout waits for another writer instead of failing at once.
SQLITE_PRAGMAS = ("synchronous=NORMAL", "busy_timeout=5000")


def _sqlite_pragmas(dbapi_connection: Any, pragmas: tuple[str, ...]) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in pragmas:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


async def optimize(engine: AsyncEngine, tables: Sequence[str] = ()) -> None:
    """Keep the query planner's statistics fresh, after big writes and when the app closes.

    SQLite: `PRAGMA optimize`, which is cheap (it analyzes only tables whose statistics are
    out of date). PostgreSQL: `ANALYZE` of the given tables (autovacuum looks after the rest)."""
    if engine.dialect.name == "sqlite":
        statement = "PRAGMA optimize"
    elif engine.dialect.name == "postgresql" and tables:
        statement = "ANALYZE " + ", ".join(tables)
    else:
        return
    async with engine.connect() as connection:
        await connection.exec_driver_sql(statement)
        await connection.commit()


def _check_sqlite_folder(url: URL) -> None:
    """Say plainly that the folder is missing, before aiosqlite's thread fails to open the file
    (which, as the event loop closes, can only print a traceback)."""
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    folder = Path(database).expanduser().resolve().parent
    if not folder.is_dir():
        raise DatabaseFolderMissing(f"the folder {folder} for the SQLite database does not exist")


class DatabaseFolderMissing(FileNotFoundError):
    pass


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _connection_record: Any) -> None:
    # SQLite ignores foreign keys unless each connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _postgresql_engine(url: URL, *, stock_driver: bool = False) -> AsyncEngine:
    # Fewer round trips per unit of work: BEGIN only once something needs it, a last write
    # that commits itself, and no ping for a connection in use (`storage.asyncpg_driver`).
    settings: dict[str, Any] = {} if stock_driver else {"module": few_trips_dbapi()}
    options = url.query.get("options")
    if options is not None:
        url = url.difference_update_query(["options"])
        server_settings = server_settings_from_options(str(options))
        settings["connect_args"] = {"server_settings": server_settings}
    engine = create_async_engine(url, pool_pre_ping=True, hide_parameters=True, **settings)
    if not stock_driver:
        event.listen(engine.sync_engine, "connect", check_isolation)
    return engine


def server_settings_from_options(options: str) -> dict[str, str]:
    """libpq `options` (`-c name=value -cother=value`) as a dict of server settings."""
    settings = {}
    for assignment in re.findall(r"-c\s*(\S+)", options):
        name, separator, value = assignment.partition("=")
        if not separator:
            raise ValueError(f"expected -c name=value in options, got {assignment!r}")
        settings[name] = value
    return settings
