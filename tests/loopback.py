"""Fake platform servers (Telegram's Bot API, Slack's Web API) on 127.0.0.1.

Each runs its aiohttp application in a thread with an event loop of its own, so that the code
under test can call it over real HTTP from another process or from the test's own loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from aiohttp import web


class LoopbackServer:
    name = "fake server"

    def __init__(self) -> None:
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def make_app(self) -> web.Application:
        raise NotImplementedError

    async def prepare(self) -> None:
        """Inside the server's loop, before it serves: create its asyncio objects here."""

    async def serve_until(self, stopping: asyncio.Event) -> None:
        """What runs while the port is open; returning closes it."""
        await stopping.wait()

    @contextmanager
    def running(self) -> Iterator[Self]:
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def start(self) -> None:
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError(f"the {self.name} did not start")

    def stop(self) -> None:
        """Close the port (again is fine): the code under test then finds no server there."""
        if self._thread is None:
            return
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        self._thread.join(10)
        self._thread = self._loop = None

    def _serve(self, started: threading.Event) -> None:
        asyncio.run(self._main(started))

    async def _main(self, started: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        await self.prepare()
        runner = web.AppRunner(self.make_app(), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        started.set()
        await self.serve_until(self._stopping)
        await runner.cleanup()
