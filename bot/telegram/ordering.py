"""Updates from different chats are handled side by side; one chat's, one at a time, in order.

Each event is one unit of work on the chat's stored conversation, so two presses of the same
chat handled at once could both act on the same step. And one chat waiting out Telegram's
`retry_after` must not hold up everybody else's: an update waiting for its chat's turn holds no
slot (python-telegram-bot's own semaphore, which it would hold, is made too wide to matter; ours
is taken only once it is the chat's turn), and each chat's queue is bounded.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates being handled at once, across chats; the database's connection pool bounds the rest.
CONCURRENT_UPDATES = 64
# Updates one chat may have waiting for its turn. More is a storm (a throttled chat pressing on);
# the rest are dropped, with a line in the log, rather than queued without end.
QUEUED_PER_CHAT = 16
# python-telegram-bot's semaphore is taken before `do_process_update`, also while an update
# waits for its chat; so wide that it never blocks, it leaves the bounding to us.
UNBOUNDED = 1_000_000

log = logging.getLogger(__name__)


class OneAtATimePerChat(BaseUpdateProcessor):
    def __init__(
        self,
        max_concurrent_updates: int = CONCURRENT_UPDATES,
        *,
        queued_per_chat: int = QUEUED_PER_CHAT,
    ) -> None:
        super().__init__(UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._queued_per_chat = queued_per_chat
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._waiting: dict[int | None, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        key = chat.id if chat is not None else None
        if self._waiting.get(key, 0) > self._queued_per_chat:
            log.warning("dropped an update: its chat has %d waiting", self._waiting[key])
            if inspect.iscoroutine(coroutine):
                coroutine.close()
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock, self._slots:
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
