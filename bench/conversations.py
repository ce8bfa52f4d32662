"""Benchmark 1: conversation throughput. Prints one JSON line per result.

Guardians make complete absence reports (a greeting, then six presses: report an absence, ill,
today, the whole day, no note, send) through the real Telegram adapter (python-telegram-bot's
Application with narvaro's handlers, `bot.telegram`), the dialog engine and storage, against
a Bot API in the same process (`bench.botapi`). Each update is timed from its JSON to the
last reply taken by the Bot API. The same updates are timed for three floors, in the same run:

- A: a bare PTB Application replying once to each update;
- B: A plus one stdlib `sqlite3` upsert per update, in WAL with NORMAL sync, committed;
- C: A plus one SELECT, one upsert and a commit through SQLAlchemy's async session, on the same
  database as narvaro (SQLite file or PostgreSQL), with SQLAlchemy's own drivers (not
  narvaro's `storage.sqlite_driver` and `storage.asyncpg_driver`) and the same settings.

The first 2 % of each run's reports warm up and are left out of the figures. Beside the wall
time, each run gives the process's CPU time per update (`cpu_ms`): on a shared machine the wall
time also waits for a core, and the ratio of CPU times to floor C's is the steadier figure.

    .venv/bin/python -m bench.conversations [--reports 2000] [--pupils 10000] [--backend sqlite]

`--scale 0.01` shrinks the sizes (CI's smoke test). `--profile FILE` writes a cProfile of
narvaro's run. PostgreSQL: `--backend postgresql` uses NARVARO_BENCH_POSTGRES_URL (default:
the local `test` database, in a schema of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import resource
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, MessageHandler
from telegram.ext import filters as tg_filters

from bench import morning
from bench.botapi import TOKEN, InProcessBotApi, message_update, press_update
from bot.telegram.app import TelegramChannel
from dialogs.engine import Engine
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from storage.db import make_engine, make_session_factory
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory

SCHOOL = "bench-conversations"
# Monday 23 November 2026, 07:30 in Stockholm: the morning's rush, before the cut-off.
NOW = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
FIRST_USER = 100_000_000
LANGUAGE = "sv"
# What a guardian presses after greeting, by the buttons' English labels.
PRESSES = ("Report an absence", "Ill", "Today", "The whole day", "No note", "Send report")
UPDATES_PER_REPORT = 1 + len(PRESSES)


class Clock:
    def now(self) -> datetime:
        return NOW


def school_rows(pupils: int) -> dict[str, list[dict[str, Any]]]:
    """The morning benchmark's school, without its absences, each pupil's first guardian in a
    Telegram chat whose user id is FIRST_USER + the pupil's number."""
    rows = morning.school_rows(SCHOOL, pupils)
    rows["marks"], rows["reports"] = [], []
    for n, account in enumerate(rows["accounts"]):
        account["account_id"] = str(FIRST_USER + n)
    return rows


NextUpdate = Callable[[int, int, int], dict[str, Any]]
# The runs take turns, a slice of the reports at a time, so that a busy machine slows the
# floors and narvaro alike and the ratios hold.
ROUNDS = 5


class Run:
    """One application under test, with what was timed of it."""

    def __init__(self, what: str, app: Application, next_update: NextUpdate) -> None:
        self.what = what
        self.app = app
        self.next_update = next_update
        self.latencies: list[float] = []
        self.seconds = 0.0
        # The process's CPU time over the timed updates: on a shared machine the wall time
        # waits for a core too, the CPU time much less so.
        self.cpu_seconds = 0.0
        self.profiler: cProfile.Profile | None = None

    async def drive(self, guardians: range, *, timed: bool = True) -> None:
        """Each guardian's report, one update after another."""
        latencies = []
        if self.profiler:
            self.profiler.enable()
        started, cpu_started = time.perf_counter(), time.process_time()
        for guardian in guardians:
            for step in range(UPDATES_PER_REPORT):
                update_id = guardian * UPDATES_PER_REPORT + step + 1
                data = self.next_update(update_id, FIRST_USER + guardian, step)
                begin = time.perf_counter()
                await self.app.process_update(Update.de_json(data, self.app.bot))
                latencies.append(time.perf_counter() - begin)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        if self.profiler:
            self.profiler.disable()
        if timed:
            self.latencies += latencies
            self.seconds += seconds
            self.cpu_seconds += cpu_seconds


def floor_updates(update_id: int, user: int, step: int) -> dict[str, Any]:
    if step == 0:
        return message_update(update_id, user, "hej", LANGUAGE)
    return press_update(update_id, user, f"{step}.0", LANGUAGE)


def bare_application(api: InProcessBotApi, work: Callable[[str], Awaitable[None]] | None):
    """Floor A (and, with `work`, B and C): reply once to each update."""
    app = ApplicationBuilder().token(TOKEN).request(api).updater(None).build()

    async def reply(update: Update, _context: object) -> None:
        chat = update.effective_chat
        assert chat is not None
        if work is not None:
            await work(str(chat.id))
        await app.bot.send_message(chat.id, "ok")

    app.add_handler(MessageHandler(tg_filters.ALL, reply))
    app.add_handler(CallbackQueryHandler(reply))
    return app


def sqlite_upsert(path: Path) -> Callable[[str], Awaitable[None]]:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE IF NOT EXISTS floor_b (key TEXT PRIMARY KEY, data TEXT)")

    async def work(key: str) -> None:
        connection.execute("BEGIN")
        connection.execute(
            "INSERT INTO floor_b (key, data) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data",
            (key, '{"state": "reason"}'),
        )
        connection.execute("COMMIT")

    return work


async def sqlalchemy_round(engine: AsyncEngine) -> Callable[[str], Awaitable[None]]:
    async with engine.begin() as connection:
        await connection.execute(
            text("CREATE TABLE floor_c (key TEXT PRIMARY KEY, data TEXT, version INTEGER)")
        )
    sessions = make_session_factory(engine)
    select = text("SELECT data, version FROM floor_c WHERE key = :key")
    upsert = text(
        "INSERT INTO floor_c (key, data, version) VALUES (:key, :data, 1) "
        "ON CONFLICT (key) DO UPDATE SET data = excluded.data, version = floor_c.version + 1"
    )

    async def work(key: str) -> None:
        async with sessions() as session:
            (await session.execute(select, {"key": key})).first()
            await session.execute(upsert, {"key": key, "data": '{"state": "reason"}'})
            await session.commit()

    return work


def labels() -> list[str]:
    with use_locale(LANGUAGE):
        return [_(label) for label in PRESSES]


def narvaro_updates(api: InProcessBotApi) -> NextUpdate:
    """The greeting, then a press of the button with the next label in the chat's keyboard."""
    wanted = labels()

    def next_update(update_id: int, user: int, step: int) -> dict[str, Any]:
        if step == 0:
            return message_update(update_id, user, "hej", LANGUAGE)
        keyboard = dict(api.keyboards.get(user, ()))
        if wanted[step - 1] not in keyboard:
            raise RuntimeError(f"no button {wanted[step - 1]!r} in {sorted(keyboard)}")
        return press_update(update_id, user, keyboard[wanted[step - 1]], LANGUAGE)

    return next_update


class Statements:
    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        from sqlalchemy import event

        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def summary(run: Run, backend: str) -> dict[str, Any]:
    latencies, seconds = run.latencies, run.seconds
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 3)

    return {
        "bench": "conversations",
        "what": run.what,
        "backend": backend,
        "updates": len(latencies),
        "updates_per_s": round(len(latencies) / seconds, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 3),
        "p50_ms": at(0.50),
        "p95_ms": at(0.95),
        "p99_ms": at(0.99),
        "cpu_ms": round(run.cpu_seconds / len(latencies) * 1000, 3),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


async def narvaro_run(url: str) -> tuple[Run, InProcessBotApi, Statements, AsyncEngine]:
    """The real thing: PTB with narvaro's Telegram channel, the engine and storage."""
    engine = make_engine(url)
    api = InProcessBotApi()
    app = ApplicationBuilder().token(TOKEN).request(api).updater(None).build()
    factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    dialogs = Engine(uow_factory=factory, flows=all_flows(), clock=Clock())
    TelegramChannel(app, dialogs, mode="webhook")
    return Run("narvaro", app, narvaro_updates(api)), api, Statements(engine), engine


def _receipt() -> str:
    with use_locale(LANGUAGE):
        return _("Thank you. The school has received your report. Reference number: {ref}.")[:20]


async def run(
    url: str, backend: str, folder: Path, reports: int, pupils: int, profile: Path | None
) -> list[dict[str, Any]]:
    await upgrade(url)
    engine = make_engine(url, stock_driver=True)
    await morning.load(engine, school_rows(pupils))
    narvaro, api, statements, narvaro_engine = await narvaro_run(url)
    runs = [
        Run("floor_a", bare_application(InProcessBotApi(), None), floor_updates),
        Run(
            "floor_b",
            bare_application(InProcessBotApi(), sqlite_upsert(folder / "b.db")),
            floor_updates,
        ),
        Run(
            "floor_c",
            bare_application(InProcessBotApi(), await sqlalchemy_round(engine)),
            floor_updates,
        ),
        narvaro,
    ]
    for each in runs:
        await each.app.initialize()
    warm_up = max(1, reports // 50)
    for each in runs:
        await each.drive(range(warm_up), timed=False)
    statements.count = 0
    api.calls.clear()
    api.sent.clear()
    narvaro.profiler = cProfile.Profile() if profile else None
    size = -(-reports // ROUNDS)
    for first in range(warm_up, warm_up + reports, size):
        for each in runs:
            await each.drive(range(first, min(first + size, warm_up + reports)))
    for each in runs:
        await each.app.shutdown()
    if narvaro.profiler and profile:
        narvaro.profiler.dump_stats(profile)
    await engine.dispose()
    await narvaro_engine.dispose()
    results = [summary(each, backend) for each in runs]
    result = results[-1]
    updates = len(narvaro.latencies)
    result |= {
        "reports": sum(1 for _chat, said in api.sent if said.startswith(_receipt())),
        "statements_per_update": round(statements.count / updates, 2),
        "bot_api_calls_per_update": round(api.calls.total() / updates, 2),
    }
    for floor_result in results[:-1]:
        letter = floor_result["what"][-1]
        result[f"ratio_{letter}"] = round(result["mean_ms"] / floor_result["mean_ms"], 2)
    return results


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--pupils", type=int, default=10000)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=morning.POSTGRES_URL)
    parser.add_argument("--profile", type=Path, help="write a cProfile of narvaro's run here")
    args = parser.parse_args(argv)
    reports = max(5, int(args.reports * args.scale))
    pupils = max(reports + reports // 50 + 1, int(args.pupils * args.scale))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        else:
            schema = f"bench_{secrets.token_hex(4)}"
            separator = "&" if "?" in args.postgres_url else "?"
            url = f"{args.postgres_url}{separator}options=-csearch_path%3D{schema}"
            await morning._postgres_schema(args.postgres_url, schema, create=True)
        try:
            for result in await run(url, args.backend, folder, reports, pupils, args.profile):
                print(json.dumps(result), flush=True)
        finally:
            if args.backend == "postgresql":
                await morning._postgres_schema(args.postgres_url, schema, create=False)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
