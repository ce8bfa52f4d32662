"""One event at a time per conversation, within a process.

Events of one chat that arrive together (a double press, a burst of typing, Slack delivering
beside Telegram) would otherwise all read the same state and all but one lose the
compare-and-set on saving, each handled again and maybe losing again. Taking turns here, they
meet each other's state at once; the compare-and-set still decides between processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Turns:
    def __init__(self) -> None:
        # Per key: its lock and how many events hold or wait for it; gone when none do.
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def of(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)
