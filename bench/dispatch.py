"""Benchmark 2, the dispatch half: the morning's outbox, sent to a Bot API that allows 30
messages a second. Prints one JSON line per run.

Builds the morning benchmark's schools (`bench.morning`), runs the real `roll-call` and
`unreported-absences` jobs, then has the real dispatcher (`scheduler.dispatcher`, with the
Telegram sender and python-telegram-bot's own HTTP client) send every message for Telegram to
a local Bot API on 127.0.0.1 (`bench.botapi.LocalBotApi`). That API takes at most 30 messages
in any second and answers the rest with 429 and `retry_after` 1, as Telegram does. The floor is
the limit itself: the report gives the send rate as a share of it, the 429s, and the messages
lost (never taken) and duplicated (taken twice), checked against the outbox.

    .venv/bin/python -m bench.dispatch [--pupils 500] [--schools 20] [--backend sqlite]

`--limit 20` makes the Bot API stricter than the dispatcher's pacer (30 a second), to see the
429s handled: the messages refused are sent again after `retry_after`, none lost.

`--scale 0.01` shrinks the schools (CI's smoke test). PostgreSQL as in `bench.morning`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import secrets
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench import morning
from bench.botapi import TOKEN, InProcessBotApi, LocalBotApi
from bot.telegram.app import build_application
from bot.telegram.convert import split_text
from bot.telegram.sender import TelegramSender
from scheduler.dispatcher import Dispatcher
from scheduler.jobs import JOBS, JobContext
from storage.db import make_engine, make_session_factory
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory

LIMIT = 30
PENDING = text("SELECT count(*) FROM outbox WHERE platform = 'telegram' AND status = 'pending'")
TELEGRAM = text("SELECT recipient, text FROM outbox WHERE platform = 'telegram'")


class RunningClock:
    """The morning's clock, running on from the jobs' moment as real time passes."""

    def __init__(self) -> None:
        self._start = time.monotonic()

    def now(self) -> datetime:
        return morning.NOW + timedelta(seconds=time.monotonic() - self._start)


async def run(
    url: str, backend: str, pupils: int, schools: int, limit: int = LIMIT
) -> dict[str, Any]:
    await upgrade(url)
    engine = make_engine(url)
    keys = [f"d{pupils}-{n}" for n in range(schools)]
    for key in keys:
        await morning.load(engine, morning.school_rows(key, pupils))
    factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    context = JobContext(factory, morning.Clock())
    for job in ("roll-call", "unreported-absences"):
        for key in keys:
            await JOBS[job].run(context, key, morning.DAY)
    async with engine.connect() as connection:
        queued = (await connection.execute(TELEGRAM)).all()
    expected = Counter(
        (recipient, part) for recipient, message in queued for part in split_text(message)
    )
    api = InProcessBotApi(per_second=limit, retry_after=1)
    async with LocalBotApi(api) as api_url:
        bot = build_application(TOKEN, api_url, mode="webhook").bot
        await bot.initialize()
        dispatcher = Dispatcher(
            factory, {"telegram": TelegramSender(bot)}, RunningClock(), worker="bench"
        )
        started = time.monotonic()
        while True:
            if await dispatcher.run_once() == 0:
                async with engine.connect() as connection:
                    if not (await connection.execute(PENDING)).scalar():
                        break
                await asyncio.sleep(0.05)
        seconds = time.monotonic() - started
        await bot.shutdown()
    await engine.dispose()
    taken = Counter(api.sent)
    span = api.sent_at[-1] - api.sent_at[0] if len(api.sent_at) > 1 else 0.0
    rate = (len(api.sent_at) - 1) / span if span else 0.0
    return {
        "bench": "dispatch",
        "backend": backend,
        "schools": schools,
        "pupils_per_school": pupils,
        "messages": sum(expected.values()),
        "seconds": round(seconds, 2),
        "sent_per_s": round(rate, 2),
        "limit_per_s": limit,
        "share_of_limit": round(rate / limit, 3),
        "refused_429": api.refused,
        "lost": sum((expected - taken).values()),
        "duplicated": sum((taken - expected).values()),
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=500, help="per school")
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=morning.POSTGRES_URL)
    parser.add_argument(
        "--limit",
        type=int,
        default=LIMIT,
        help="the Bot API's messages a second (the pacer's: 30)",
    )
    args = parser.parse_args(argv)
    pupils = max(morning.CLASS_SIZE * 2, int(args.pupils * args.scale))
    with tempfile.TemporaryDirectory() as folder:
        if args.backend == "sqlite":
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        else:
            schema = f"bench_{secrets.token_hex(4)}"
            separator = "&" if "?" in args.postgres_url else "?"
            url = f"{args.postgres_url}{separator}options=-csearch_path%3D{schema}"
            await morning._postgres_schema(args.postgres_url, schema, create=True)
        try:
            print(
                json.dumps(await run(url, args.backend, pupils, args.schools, args.limit)),
                flush=True,
            )
        finally:
            if args.backend == "postgresql":
                await morning._postgres_schema(args.postgres_url, schema, create=False)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
