"""Updates from different chats are handled side by side; one chat's, one at a time, in order.

Each event is one unit of work on the chat's stored conversation, so two presses of the same
chat handled at once could both act on the same step. And one chat waiting out Telegram's
`retry_after` must not hold up everybody else's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates in hand at once. One waiting for its chat's turn holds a slot too, so there are enough
# for a few impatient double presses; the database's connection pool bounds the real work.
CONCURRENT_UPDATES = 64


class OneAtATimePerChat(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._waiting: dict[int | None, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            # Forget a chat's lock once nobody holds or waits for it, so the map stays small.
            self._waiting[key] -= 1
            if self._waiting[key] == 0:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to let go."""
