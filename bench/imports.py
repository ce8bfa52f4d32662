"""Imports at municipal scale: `narvaro roster import` and `narvaro attendance import` of
100,000 lines each, against their floors.

    .venv/bin/python -m bench.imports [--scale 0.01] [--backend sqlite|postgresql|both]
                                      [--what roster attendance]

Builds the school file, the roster and the register deterministically (bench/data.py) in a
temporary folder and applies the school. Then times the real import (the CLI's own code path,
`bot.setup_commands.import_roster_file` or `bot.attendance_commands.import_register_file`,
parsing and checking included) and the floor: the same rows inserted into the same tables of an
identically prepared database with one `executemany` per table (stdlib `sqlite3` for SQLite,
with the app's pragmas; SQLAlchemy for PostgreSQL). Prints one JSON line per result.

- **roster**: 100,000 lines, 50,000 pupils with two guardians each; the floor inserts the
  pupils, guardians and links.
- **attendance**: 100,000 register lines, whole-day absences of 10,000 pupils (400 classes),
  ten each over the autumn term, imported on 18 December 2026 (the clock is fixed). The school
  and its roster are in place first, in both databases. The import also records every class's
  day of the period as taken (a roll call each); the floor inserts exactly the rows the real
  import wrote, read back from its database: the marks and the roll calls.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import MetaData, Table, insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import data
from bot import attendance_commands, operator
from bot.settings import Settings
from routine.calendar import is_school_day
from storage import schema
from storage.db import SQLITE_PRAGMAS, make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory

FULL_LINES = 100_000
# The register is imported at the end of the autumn term: its school days are the term's.
REGISTER_NOW = datetime(2026, 12, 18, 16, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
REGISTER_FROM = date(2026, 8, 18)
REGISTER_TABLES = ("roll_calls", "attendance_marks")
DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


async def prepared(url: str, folder: Path, lines: int) -> None:
    """A migrated database with the school applied: where both the import and the floor start."""
    await schema.upgrade(url)
    await operator.apply_school_file(
        Settings(database_url=url), data.school_file(folder / "school.toml", lines // 2 + 1)
    )


async def time_import(url: str, roster: Path) -> float:
    start = time.perf_counter()
    await operator.import_roster_file(Settings(database_url=url), data.SCHOOL_KEY, roster)
    return time.perf_counter() - start


def sqlite_floor(path: Path, rows: dict[str, list[dict[str, object]]]) -> float:
    connection = sqlite3.connect(path)
    try:
        for pragma in ("journal_mode=WAL", *SQLITE_PRAGMAS):
            connection.execute(f"PRAGMA {pragma}")
        start = time.perf_counter()
        for table, table_rows in rows.items():
            columns = list(table_rows[0])
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [tuple(row[c] for c in columns) for row in table_rows],
            )
        connection.commit()
        return time.perf_counter() - start
    finally:
        connection.close()


async def postgresql_floor(url: str, rows: dict[str, list[dict[str, object]]]) -> float:
    engine = make_engine(url)  # which understands the URL's search_path
    try:
        async with engine.begin() as connection:
            metadata = MetaData()
            tables = [
                await connection.run_sync(lambda c, n=name: Table(n, metadata, autoload_with=c))
                for name in rows
            ]
        start = time.perf_counter()
        async with engine.begin() as connection:
            for table in tables:
                await connection.execute(insert(table), rows[table.name])
        return time.perf_counter() - start
    finally:
        await engine.dispose()


async def on_server(server_url: str, *statements: str) -> None:
    engine = create_async_engine(server_url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def in_schema(server_url: str, name: str) -> str:
    separator = "&" if "?" in server_url else "?"
    return f"{server_url}{separator}options=-csearch_path%3D{name}"


async def bench_sqlite(what: str, lines: int, folder: Path) -> dict:
    real, floor = folder / "real.db", folder / "floor.db"
    urls = f"sqlite+aiosqlite:///{real}", f"sqlite+aiosqlite:///{floor}"
    return await BENCHES[what]("sqlite", lines, folder, *urls)


async def bench_postgresql(what: str, lines: int, folder: Path, server_url: str) -> dict:
    # Two schemas of their own on the server, dropped afterwards.
    schemas = [f"narvaro_bench_{what}_{kind}_{os.getpid()}" for kind in ("real", "floor")]
    await on_server(server_url, *(f"CREATE SCHEMA {name}" for name in schemas))
    try:
        urls = [in_schema(server_url, name) for name in schemas]
        return await BENCHES[what]("postgresql", lines, folder, *urls)
    finally:
        await on_server(server_url, *(f"DROP SCHEMA {name} CASCADE" for name in schemas))


async def bench_roster(
    backend: str, lines: int, folder: Path, real_url: str, floor_url: str
) -> dict:
    roster = data.roster_file(folder / "roster.csv", lines)
    await prepared(real_url, folder, lines)
    await prepared(floor_url, folder, lines)
    seconds = await time_import(real_url, roster)
    # The process's peak so far: the import's, since the floor's rows are only built after.
    memory = peak_memory_mb()
    rows = data.roster_rows(lines)
    if backend == "sqlite":
        floor = sqlite_floor(Path(floor_url.removeprefix("sqlite+aiosqlite:///")), rows)
    else:
        floor = await postgresql_floor(floor_url, rows)
    return result("roster", backend, lines, seconds, floor, memory)


async def bench_attendance(
    backend: str, lines: int, folder: Path, real_url: str, floor_url: str
) -> dict:
    pupils = data.register_pupils(lines)
    roster = data.roster_file(folder / "roster.csv", 2 * pupils)
    for url in (real_url, floor_url):
        await prepared(url, folder, 2 * pupils)
        await operator.import_roster_file(Settings(database_url=url), data.SCHOOL_KEY, roster)
    register = data.register_file(folder / "register.csv", lines, await term_days(real_url))
    settings = Settings(database_url=real_url, fixed_time=REGISTER_NOW)
    start = time.perf_counter()
    await attendance_commands.import_register_file(settings, data.SCHOOL_KEY, register)
    seconds = time.perf_counter() - start
    memory = peak_memory_mb()
    rows = await written_rows(real_url, REGISTER_TABLES)
    if len(rows["attendance_marks"]) != lines:
        raise SystemExit(f"the import wrote {len(rows['attendance_marks'])} marks, not {lines}")
    if backend == "sqlite":
        floor = sqlite_floor(Path(floor_url.removeprefix("sqlite+aiosqlite:///")), rows)
    else:
        floor = await postgresql_floor(floor_url, rows)
    return result("attendance", backend, lines, seconds, floor, memory)


def result(
    what: str, backend: str, lines: int, seconds: float, floor: float, memory: float
) -> dict:
    """One JSON line: the import's time beside its floor's."""
    return {
        "bench": "imports",
        "what": what,
        "backend": backend,
        "rows": lines,
        "seconds": round(seconds, 3),
        "floor_seconds": round(floor, 3),
        "ratio": round(seconds / floor, 2) if floor else None,
        "peak_memory_mb": memory,
    }


async def term_days(url: str) -> list[date]:
    """The school's days from the term's start to the day before the import."""
    engine = make_engine(url)
    try:
        async with SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))() as uow:
            school = await uow.schools.get(data.SCHOOL_KEY)
    finally:
        await engine.dispose()
    assert school is not None
    days, day = [], REGISTER_FROM
    while day < REGISTER_NOW.date():
        if is_school_day(school, day):
            days.append(day)
        day += timedelta(days=1)
    return days


async def written_rows(url: str, tables: tuple[str, ...]) -> dict[str, list[dict[str, object]]]:
    """The rows an import wrote, as stored (their ids left out, the floor's own are given)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table: [
                    {k: v for k, v in row.items() if k != "id"}
                    for row in (await connection.execute(text(f"SELECT * FROM {table}")))
                    .mappings()
                    .all()
                ]
                for table in tables
            }
    finally:
        await engine.dispose()


BENCHES = {"roster": bench_roster, "attendance": bench_attendance}


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1 = 100,000 lines")
    parser.add_argument("--what", nargs="+", choices=tuple(BENCHES), default=list(BENCHES))
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("NARVARO_BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL),
        help="the server to bench on, in schemas of its own (dropped afterwards)",
    )
    args = parser.parse_args(argv)
    lines = max(10, round(FULL_LINES * args.scale))
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for what in args.what:
        for backend in backends:
            with tempfile.TemporaryDirectory(prefix="narvaro-bench-") as folder:
                result = await (
                    bench_sqlite(what, lines, Path(folder))
                    if backend == "sqlite"
                    else bench_postgresql(what, lines, Path(folder), args.postgres_url)
                )
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
