"""Ports for the chat side: conversations, the outbox, Slack's event ids, and the platforms that
send messages and tell a person's locale.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from routine.model import ChatAccount, Conversation
from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage


class ConversationMoved(Exception):
    """Someone else saved the conversation since it was read: this event's work is void."""


class ConversationRepository(Protocol):
    async def get(self, key: str) -> Conversation | None: ...
    async def open(
        self, key: str, platform: str, account_id: str
    ) -> tuple[Conversation | None, ChatAccount | None]:
        """What an incoming event starts with: its conversation and the chat account writing
        in it, as `get` and `accounts.get` would give them. Storage may read them in one round
        trip, with the account's school and person, for the lookups that follow."""

    async def save(self, conversation: Conversation) -> None:
        """Compare-and-set on `version`: stored as version + 1 only if the stored one is still
        `conversation.version` (0: not stored yet); otherwise `ConversationMoved`."""

    async def delete(self, key: str) -> None: ...
    async def clear_idle_before(self, moment: datetime) -> int:
        """Forget where conversations not touched since `moment` stood, with whatever was
        typed into them and never sent (a note may hold a health detail); how many."""


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> bool:
        """Store a pending message; False (and nothing stored) if its key is already there.

        With a slot, also False if the newest version in the slot that is pending or sent says
        exactly the same (text and buttons): re-running a job edits nothing. Once stored, the
        earlier versions still pending and not leased are superseded: only the newest is sent."""

    async def add_many(self, messages: Sequence[OutboxMessage]) -> list[bool]:
        """`add` for many messages at once, with a few statements per batch; whether each was
        stored. Of several versions of one slot among `messages`, only the last counts."""

    async def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease: timedelta,
        worker: str,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        """Up to `limit` pending messages that are due and not leased, oldest first, leased to
        `worker` until `now + lease`. Concurrent workers never get the same message; a crashed
        worker's lease runs out, and its messages are claimed again. Only messages for
        `platforms`, if given: a worker that cannot send Slack messages leaves them alone."""

    async def record(self, message: OutboxMessage) -> None:
        """Store a delivery outcome (status, attempts, next attempt, error, sent_at, ref) and
        release the lease. A version to be tried again is superseded instead if a newer one in
        its slot is pending or sent: it was leased when that one was added."""

    async def slot_ref(self, platform: str, recipient: str, slot: str) -> str:
        """The `ref` of the newest sent version in the slot, which the next one edits; "" if
        none was sent."""

    async def requeue_failed(
        self,
        *,
        now: datetime,
        ids: Collection[int] = (),
        kind: str | None = None,
        since: datetime | None = None,
        school_key: str | None = None,
    ) -> int:
        """Put failed messages back to pending, to be tried afresh: no attempts, due at once,
        and the retry time limit counted again from `now` (which becomes their `created_at`).
        Only those that match every filter given: one of `ids`, of `kind`, created at or after
        `since`, of the school. A version in a slot that has a newer version pending or sent
        stays failed: sending it would undo what is on screen. How many were requeued."""

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]: ...

    async def list_to(
        self, school_key: str, addresses: Collection[tuple[str, str]], *, newest: int
    ) -> list[OutboxMessage]:
        """The school's `newest` messages to any of these (platform, recipient) addresses that
        were not superseded, oldest first: what a console shows its person."""

    async def counts(self) -> dict[tuple[DeliveryStatus, str], int]:
        """How many messages there are by status and platform, counted by the database."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        """Delete the school's messages (any status) created before `moment`; how many."""


class SlackEventRepository(Protocol):
    async def first_time(self, event_id: str, now: datetime) -> bool:
        """Record the event id; False if it was recorded before (by any process)."""

    async def delete_seen_before(self, moment: datetime) -> int: ...


class Sender(Protocol):
    """Delivers one outbox message on one platform (Telegram, Slack, ...)."""

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        """Never raises for delivery problems: they come back as a DeliveryResult."""


@dataclass(frozen=True)
class LocaleAnswer:
    """What a chat platform said when asked for one person's locale."""

    # e.g. "nb-NO"; None when it has none for them (or they are gone).
    locale: str | None = None
    # Why it could not be asked (an error's name, nothing personal): ask on a later run.
    failed: str = ""
    # Rate limited: ask nobody more on this run.
    wait: timedelta | None = None

    @property
    def answered(self) -> bool:
        return not self.failed and self.wait is None


class PlatformLocales(Protocol):
    """Asks a chat platform (Slack's `users.info`) for the locale of one of its accounts."""

    async def locale_of(self, account_id: str) -> LocaleAnswer:
        """Never raises for the platform's failures: they come back in the answer."""
