"""How fast each chat platform may be sent to, and a pacer that keeps to it.

Telegram's Bot API allows about 30 messages per second per bot, and about one per second to one
chat; Slack allows about one message per second per channel (`chat.postMessage`), with a
workspace-wide limit of its own above that. Going faster earns HTTP 429 and a `retry_after`,
so the pacer spaces sends out beforehand, and pauses the platform when told to anyway.

The pacer reads the time through injected `monotonic` and `sleep`, so tests run it on a fake
clock, with no real waiting.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]


@dataclass(frozen=True)
class RateLimit:
    """At most `per_second` messages a second on the platform, and at least
    `per_recipient_interval` seconds between two messages to one recipient."""

    per_second: float
    per_recipient_interval: float

    def __post_init__(self) -> None:
        if not self.per_second > 0:
            raise ValueError(f"per_second must be positive, not {self.per_second}")
        if not self.per_recipient_interval >= 0:
            raise ValueError(
                f"per_recipient_interval must not be negative, not {self.per_recipient_interval}"
            )


DEFAULT_LIMITS: Mapping[str, RateLimit] = MappingProxyType(
    {
        "telegram": RateLimit(per_second=30, per_recipient_interval=1.0),
        # One per second per channel; 20 a second in all stays well inside the workspace limit.
        "slack": RateLimit(per_second=20, per_recipient_interval=1.0),
    }
)

# Recipients whose interval has passed need not be remembered; forget them now and then.
RECIPIENTS_REMEMBERED = 1000


class Pacer:
    """Keeps one platform's sends within its `RateLimit`: an evenly spaced slot for each send,
    and the recipient's interval since their last one."""

    def __init__(self, limit: RateLimit, *, monotonic: Monotonic, sleep: Sleep) -> None:
        self._limit = limit
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_send = -math.inf
        self._next_to: dict[str, float] = {}
        # Turns are taken one at a time, so two callers never get the same slot.
        self._turns = asyncio.Lock()

    async def wait_turn(self, recipient: str) -> None:
        """Wait until a message to `recipient` may go, and take that turn."""
        async with self._turns:
            # Again after each sleep: a `pause` may have come in meanwhile.
            while (wait := self._earliest(recipient) - self._monotonic()) > 0:
                await self._sleep(wait)
            now = self._monotonic()
            self._next_send = now + 1 / self._limit.per_second
            self._next_to[recipient] = now + self._limit.per_recipient_interval
            if len(self._next_to) > RECIPIENTS_REMEMBERED:
                self._next_to = {r: t for r, t in self._next_to.items() if t > now}

    def pause(self, seconds: float) -> None:
        """The platform asked us to wait (`retry_after`): nothing goes before then."""
        self._next_send = max(self._next_send, self._monotonic() + seconds)

    def _earliest(self, recipient: str) -> float:
        return max(self._next_send, self._next_to.get(recipient, -math.inf))
