"""Slack delivers an event again when it thinks we missed it (`X-Slack-Retry-Num` over HTTP, a
new envelope in Socket Mode): each `event_id` is handled once.

The retry may reach another `narvaro run` behind the same URL, so the ids are kept in the
database (`uow.slack_events`), which every process shares; an in-memory set in front saves the
round trip for a retry to the same process. Slack retries within minutes, so ids older than an
hour are forgotten, swept now and then by whichever process is handling an event.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from datetime import datetime, timedelta

from routine.ports import Clock, UnitOfWorkFactory

log = logging.getLogger(__name__)

REMEMBERED = 10_000
REMEMBER_FOR = timedelta(hours=1)
SWEEP_EVERY = timedelta(minutes=10)
# The check runs before the acknowledgement, and Slack waits 3 seconds for that.
DATABASE_PATIENCE_SECONDS = 1.5


class SeenEvents:
    """The ids this process has seen, the latest `size` of them."""

    def __init__(self, size: int = REMEMBERED) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str) -> bool:
        """True the first time an id comes, False every later time."""
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True


class OncePerEvent:
    """Whether an event is new to every process sharing the database. Without a database
    (`uow_factory` None) it remembers for this process only."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory | None = None,
        clock: Clock | None = None,
        *,
        remember_for: timedelta = REMEMBER_FOR,
        sweep_every: timedelta = SWEEP_EVERY,
        patience_seconds: float = DATABASE_PATIENCE_SECONDS,
    ) -> None:
        if uow_factory is not None and clock is None:
            raise ValueError("remembering events in the database needs a clock")
        self._uow_factory = uow_factory
        self._clock = clock
        self._remember_for = remember_for
        self._sweep_every = sweep_every
        self._patience = patience_seconds
        self._seen = SeenEvents()
        self._last_sweep: datetime | None = None

    async def first_time(self, event_id: str) -> bool:
        if not self._seen.first_time(event_id):
            return False
        if self._uow_factory is None:
            return True
        try:
            async with asyncio.timeout(self._patience):
                return await self._first_time_anywhere(event_id)
        except Exception as error:
            # Handling an event twice is better than not at all: the person gets an answer.
            log.warning(
                "cannot tell whether Slack's event %s was handled already (%s: %s): handling it",
                event_id,
                type(error).__name__,
                error,
            )
            return True

    async def _first_time_anywhere(self, event_id: str) -> bool:
        assert self._uow_factory is not None and self._clock is not None
        now = self._clock.now()
        async with self._uow_factory() as uow:
            if self._sweep_due(now):
                forgotten = await uow.slack_events.delete_seen_before(now - self._remember_for)
                log.debug("forgot %d Slack event ids", forgotten)
            first = await uow.slack_events.first_time(event_id, now)
            await uow.commit()
        return first

    def _sweep_due(self, now: datetime) -> bool:
        if self._last_sweep is not None and now - self._last_sweep < self._sweep_every:
            return False
        # Marked before the sweep runs, so that events arriving meanwhile do not sweep too.
        self._last_sweep = now
        return True
