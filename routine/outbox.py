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


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff, then a visible failure. Defaults: 8 attempts over about 4 minutes."""

    max_attempts: int = 8
    first_delay: timedelta = timedelta(seconds=2)
    factor: float = 2.0
    longest_delay: timedelta = timedelta(minutes=5)

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed tries, or None to give up."""
        if attempts >= self.max_attempts:
            return None
        delay = self.first_delay * (self.factor ** (attempts - 1))
        return now + min(delay, self.longest_delay)


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
