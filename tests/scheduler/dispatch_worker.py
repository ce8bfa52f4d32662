"""A real dispatcher on real storage, run as its own process by `test_dispatch_crash.py`.

    python dispatch_worker.py DATABASE_URL RECORDER_URL --worker NAME [--lease 2]
        [--per-second 400] [--batch 50]

Its Telegram "sender" POSTs each message's key to the recorder, a small HTTP server the test runs
on 127.0.0.1: what the recorder saw is what was sent, even when this process is killed with
SIGKILL. SIGTERM stops it cleanly. It imports only the application, not the tests, so it runs as
a plain script.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import urllib.request
from datetime import UTC, datetime, timedelta

from routine.outbox import DeliveryResult, OutboxMessage
from scheduler.dispatcher import Dispatcher, RateLimit
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory


class WallClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class RecorderSender:
    def __init__(self, recorder_url: str) -> None:
        self.recorder_url = recorder_url

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        status = await asyncio.to_thread(self._post, message.key)
        return DeliveryResult.ok() if status == 204 else DeliveryResult.retry(f"HTTP {status}")

    def _post(self, key: str) -> int:
        request = urllib.request.Request(self.recorder_url, data=key.encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status


async def main(arguments: argparse.Namespace) -> None:
    engine = make_engine(arguments.database_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    dispatcher = Dispatcher(
        SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)),
        {"telegram": RecorderSender(arguments.recorder_url)},
        WallClock(),
        worker=arguments.worker,
        limits={"telegram": RateLimit(arguments.per_second, per_recipient_interval=1.0)},
        batch=arguments.batch,
        lease=timedelta(seconds=arguments.lease),
    )
    try:
        await dispatcher.run(stop, idle=0.05)
    finally:
        await engine.dispose()


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("recorder_url")
    parser.add_argument("--worker", required=True)
    parser.add_argument("--lease", type=float, default=2.0, help="seconds")
    parser.add_argument("--per-second", type=float, default=400.0)
    parser.add_argument("--batch", type=int, default=50)
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse()))
