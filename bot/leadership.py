"""Two schedulers, one clock: of several `narvaro run` on one PostgreSQL, exactly one runs the
school clock, and another takes over within a minute if it dies.

The leader holds a PostgreSQL advisory lock on a connection of its own. The lock lives as long
as that connection: a process that dies, or loses its database, loses the lock with it, and the
next process that asks gets it. The others ask again every `every` seconds. APScheduler 3 does
not coordinate schedulers itself, so this is what keeps every job to one run (the outbox's
idempotency keys would still keep every message single). On SQLite there is one process, so it
leads at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

# The advisory lock's key: any number, the same in every process of one installation.
CLOCK_LOCK = 0x6E61727661726F  # "narvaro"
ASK_EVERY = timedelta(seconds=20)


class ClockLeadership:
    def __init__(
        self,
        engine: AsyncEngine,
        *,
        start: Callable[[], Awaitable[Any]],
        stop: Callable[[], Awaitable[None]],
        every: timedelta = ASK_EVERY,
    ) -> None:
        self.engine = engine
        self._start, self._stop = start, stop
        self.every = every
        self.leading = False
        self._connection: AsyncConnection | None = None

    async def run(self, stopping: asyncio.Event) -> None:
        """Lead when possible until `stopping` is set; then stop the clock and let go."""
        await self.begin()
        await self.keep(stopping)

    async def begin(self) -> None:
        """The first try, awaited: a process that can lead runs its clock before it says it is
        running, and a clock that fails to start fails the start."""
        await self._try_to_lead()

    async def keep(self, stopping: asyncio.Event) -> None:
        """Ask again every `every` (or check the lock is still held) until `stopping`."""
        try:
            while not stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), self.every.total_seconds())
                if stopping.is_set():
                    break
                if self.leading:
                    await self._check_still_leading()
                else:
                    await self._try_to_lead()
        finally:
            await self.let_go()

    async def _try_to_lead(self) -> None:
        if self.engine.dialect.name != "postgresql":
            self.leading = True
        else:
            try:
                self._connection = await self.engine.connect()
                got = await self._connection.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": CLOCK_LOCK}
                )
            except Exception as error:  # the database is away: ask again later
                log.warning("cannot ask to lead the clock: %s", type(error).__name__)
                await self._close()
                return
            if not got:
                await self._close()
                return
            self.leading = True
        log.info("school clock started: %s", await self._start())

    async def _check_still_leading(self) -> None:
        if self._connection is None:
            return
        try:
            await self._connection.scalar(text("SELECT 1"))
        except Exception:
            # The connection, and the lock with it, is gone: another process may lead now.
            log.warning("lost the clock's lock; stopping the school clock here")
            await self._stop()
            self.leading = False
            await self._close()

    async def let_go(self) -> None:
        if self.leading:
            await self._stop()
            self.leading = False
        await self._close()

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.close()
