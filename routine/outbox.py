"""Every outgoing message is first a row in the outbox, then a delivery.

A use case writes its messages in the same unit of work as the data they are about, so nothing
is said about data that was not stored, and nothing stored is left unsaid. Each message has an
idempotency key (kind + recipient + subject + school day): writing the same message twice keeps
one, which is what makes re-running a job safe. A dispatcher then claims pending messages, sends
them within the platforms' limits, and records what happened.

Some messages are versions of one message on screen (a `slot`), such as a roll call's live
summary: only the newest pending version is sent, and it edits the one already delivered.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # A newer version in the same slot was added before this one went out: never sent.
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class OutgoingButton:
    id: str
    label: str


@dataclass(frozen=True)
class OutboxMessage:
    """A message as it will be delivered: already translated for its reader."""

    key: str
    platform: str
    recipient: str
    text: str
    kind: str
    school_key: str
    buttons: tuple[OutgoingButton, ...] = ()
    created_at: datetime | None = None
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str = ""
    sent_at: datetime | None = None
    id: int | None = None
    # Messages to one recipient with the same non-empty slot are versions of one message on
    # screen: a later version edits the delivered one in place instead of adding a new one.
    slot: str = ""
    # The platform's id of this message once delivered (Slack: "channel:ts").
    ref: str = ""
    # The `ref` of the delivered version this one edits in place. Not stored: the dispatcher
    # looks it up just before sending, as an earlier version may have been sent meanwhile.
    replaces: str = ""


def idempotency_key(kind: str, recipient: str, *subject: str) -> str:
    """E.g. `unreported:telegram:4711:se-ekbacken:P-7:2026-11-23`."""
    return ":".join((kind, recipient, *subject))


DEFAULT_GIVE_UP_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff until a time limit since the message was created, then a
    visible failure. Bounded by time, not by a number of attempts: an outage of minutes or hours
    (a platform's 5xx, the network gone) must lose nothing, and a count of tries says nothing
    about how long they covered. Defaults: 2 s, doubling, at most 5 minutes apart, for 24 hours.
    """

    give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER
    first_delay: timedelta = timedelta(seconds=2)
    factor: float = 2.0
    longest_delay: timedelta = timedelta(minutes=5)

    def next_attempt(
        self, attempts: int, now: datetime, created_at: datetime | None = None
    ) -> datetime | None:
        """When to try again after `attempts` failed tries, or None to give up: the time limit
        since `created_at` (or since `now`, for a message not yet stored) has passed. The last
        try is at the limit itself, not after it."""
        deadline = (created_at or now) + self.give_up_after
        if now >= deadline:
            return None
        # The exponent is capped before it is used: 2.0 ** 10_000 would overflow.
        steps = min(max(attempts - 1, 0), 64)
        delay = min(self.first_delay * min(self.factor**steps, 1e9), self.longest_delay)
        return min(now + delay, deadline)


@dataclass(frozen=True)
class DeliveryResult:
    """What a sender reports back: sent (with the platform's id of the message, if it has one
    that a later version could edit); try again (after `retry_after` if the platform said so);
    or never, because the recipient cannot be reached (blocked the bot, left Slack)."""

    sent: bool
    error: str = ""
    retry_after: timedelta | None = None
    unreachable: bool = False
    ref: str = ""

    @classmethod
    def ok(cls, *, ref: str = "") -> DeliveryResult:
        return cls(sent=True, ref=ref)

    @classmethod
    def retry(cls, error: str, *, after: timedelta | None = None) -> DeliveryResult:
        return cls(sent=False, error=error, retry_after=after)

    @classmethod
    def never(cls, error: str) -> DeliveryResult:
        return cls(sent=False, error=error, unreachable=True)
