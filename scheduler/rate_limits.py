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
from collections import deque
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
# A turn taken at most this late keeps the schedule: the turns after it come sooner until it is
# caught up. Later than this, the pacer was idle (or stalled), and the schedule starts anew.
CATCH_UP = 0.5
# A send not answered after this long has failed (the HTTP clients' timeouts are far shorter);
# the pacer then stops counting it as still arriving.
LONGEST_SEND = 60.0


class Turn:
    """One send's turn. `answered()` as soon as the platform has answered the send (or when
    nothing was sent after all): until then the pacer counts it as still arriving."""

    __slots__ = ("_answered_at", "_monotonic", "at")

    def __init__(self, at: float, monotonic: Monotonic) -> None:
        self.at = at
        self._answered_at: float | None = None
        self._monotonic = monotonic

    def answered(self) -> None:
        if self._answered_at is None:
            self._answered_at = self._monotonic()

    def arrived_by(self, now: float) -> float:
        """The latest moment the platform can have received the send."""
        if self._answered_at is None:
            return min(now, self.at + LONGEST_SEND)
        return self._answered_at


class Pacer:
    """Keeps one platform's sends within its `RateLimit`.

    Turns follow an absolute schedule, one every 1/`per_second` seconds: a turn that comes late
    (the event loop woke late, a batch was being claimed) keeps the next turns' slots, so they
    come sooner until the schedule is caught up, and no rate is lost for good. What keeps the
    catching up within the limit is a window: of any `per_second` sends (rounded down, at least
    one) and their window of as many slots, the next goes only once the window has passed
    since the platform answered the first of them. The platform can have received that one no
    later than its answer and receives the next no earlier than its turn, so however the
    requests' travel times vary, the platform never sees more than the limit in a window. And
    each recipient waits out `per_recipient_interval` between their messages.
    """

    def __init__(self, limit: RateLimit, *, monotonic: Monotonic, sleep: Sleep) -> None:
        self._limit = limit
        self._monotonic = monotonic
        self._sleep = sleep
        self._interval = 1 / limit.per_second
        self._window_sends = max(1, math.floor(limit.per_second))
        self._window = self._window_sends * self._interval
        self._slot = -math.inf
        self._paused_until = -math.inf
        self._recent: deque[Turn] = deque(maxlen=self._window_sends)
        self._next_to: dict[str, float] = {}
        # Turns are taken one at a time, so two callers never get the same slot.
        self._turns = asyncio.Lock()

    async def wait_turn(self, recipient: str) -> Turn:
        """Wait until a message to `recipient` may go, and take that turn."""
        async with self._turns:
            # Again after each sleep: a `pause` may have come in meanwhile.
            while (wait := self._due(recipient) - self._monotonic()) > 0:
                await self._sleep(wait)
            now = self._monotonic()
            # Late by a little (a late wake-up, a claim, the window or the recipient held the
            # turn back): keep the schedule, and the next turns catch up; by more: start anew.
            scheduled = max(self._slot + self._interval, self._paused_until)
            self._slot = scheduled if now - scheduled <= CATCH_UP else now
            self._next_to[recipient] = now + self._limit.per_recipient_interval
            if len(self._next_to) > RECIPIENTS_REMEMBERED:
                self._next_to = {r: t for r, t in self._next_to.items() if t > now}
            turn = Turn(now, self._monotonic)
            self._recent.append(turn)
            return turn

    def pause(self, seconds: float) -> None:
        """The platform asked us to wait (`retry_after`): nothing goes before then."""
        self._paused_until = max(self._paused_until, self._monotonic() + seconds)

    def _due(self, recipient: str) -> float:
        window = -math.inf
        if len(self._recent) == self._window_sends:
            window = self._recent[0].arrived_by(self._monotonic()) + self._window
        return max(
            self._slot + self._interval,
            self._paused_until,
            window,
            self._next_to.get(recipient, -math.inf),
        )
