"""In-memory fakes of the chat side: conversations, the outbox and Slack's event ids."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

from routine.model import ChatAccount, Conversation
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import ConversationMoved
from tests.fakes_store import _Repo

# The outbox's versions that are, or are to be, on screen.
LIVE_OUTBOX = (DeliveryStatus.PENDING, DeliveryStatus.SENT)


class FakeConversations(_Repo):
    async def get(self, key: str) -> Conversation | None:
        found = self.store.conversations.get(key)
        return copy.deepcopy(found)

    async def open(
        self, key: str, platform: str, account_id: str
    ) -> tuple[Conversation | None, ChatAccount | None]:
        return await self.get(key), self.store.accounts.get((platform, account_id))

    async def save(self, conversation: Conversation) -> None:
        stored = self.store.conversations.get(conversation.key)
        if (stored.version if stored else 0) != conversation.version:
            raise ConversationMoved(conversation.key)
        # Stored as JSON, as the database does: tuples come back as lists, dates are refused.
        data = json.loads(json.dumps(conversation.data))
        conversation.version += 1
        self.store.conversations[conversation.key] = dataclasses.replace(conversation, data=data)
        self.store.conversation_touched[conversation.key] = datetime.now(UTC)

    async def delete(self, key: str) -> None:
        self.store.conversations.pop(key, None)

    async def clear_idle_before(self, moment: datetime) -> int:
        cleared = 0
        for key, conversation in list(self.store.conversations.items()):
            idle = self.store.conversation_touched.get(key, moment) < moment
            if idle and (conversation.flow is not None or conversation.data):
                self.store.conversations[key] = Conversation(key, version=conversation.version + 1)
                self.store.conversation_touched[key] = datetime.now(UTC)
                cleared += 1
        return cleared


class FakeOutbox(_Repo):
    async def add(self, message: OutboxMessage) -> bool:
        if any(m.key == message.key for m in self.store.outbox.values()):
            return False
        versions = self._versions(message.platform, message.recipient, message.slot)
        live = [m for m in versions if m.status in LIVE_OUTBOX]
        if live and (live[-1].text, live[-1].buttons) == (message.text, message.buttons):
            return False
        for earlier in versions:
            if earlier.status is DeliveryStatus.PENDING and not self._leased(earlier, message):
                superseded = dataclasses.replace(earlier, status=DeliveryStatus.SUPERSEDED)
                self.store.outbox[earlier.id] = superseded
        stored = dataclasses.replace(message, id=next(self.store.ids))
        self.store.outbox[stored.id] = stored
        return True

    async def add_many(self, messages: Sequence[OutboxMessage]) -> list[bool]:
        last = {(m.platform, m.recipient, m.slot): i for i, m in enumerate(messages) if m.slot}
        return [
            (not m.slot or last[(m.platform, m.recipient, m.slot)] == i) and await self.add(m)
            for i, m in enumerate(messages)
        ]

    def _versions(self, platform: str, recipient: str, slot: str) -> list[OutboxMessage]:
        """The messages in one recipient's slot, oldest first; none without a slot."""
        return [
            m
            for m in sorted(self.store.outbox.values(), key=lambda m: m.id or 0)
            if slot and (m.platform, m.recipient, m.slot) == (platform, recipient, slot)
        ]

    def _leased(self, message: OutboxMessage, newer: OutboxMessage) -> bool:
        """Whether `message` was leased when `newer` was made (always, if it has no date)."""
        if message.id not in self.store.leases:
            return False
        return newer.created_at is None or self.store.leases[message.id][1] > newer.created_at

    async def slot_ref(self, platform: str, recipient: str, slot: str) -> str:
        sent = [
            m for m in self._versions(platform, recipient, slot) if m.status is DeliveryStatus.SENT
        ]
        return sent[-1].ref if sent else ""

    async def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease: timedelta,
        worker: str,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        claimed = []
        for message in sorted(self.store.outbox.values(), key=lambda m: m.id or 0):
            due = message.next_attempt_at is None or message.next_attempt_at <= now
            leased = message.id in self.store.leases and self.store.leases[message.id][1] > now
            wanted = platforms is None or message.platform in platforms
            if (
                message.status is DeliveryStatus.PENDING
                and due
                and not leased
                and wanted
                and not self._behind_an_older_message(message)
            ):
                self.store.leases[message.id] = (worker, now + lease)
                claimed.append(message)
            if len(claimed) == limit:
                break
        return claimed

    def _behind_an_older_message(self, message: OutboxMessage) -> bool:
        """As `storage.outbox_claims`: a message waits while an older one to its recipient is
        pending (claimed earlier in this same claim included)."""
        return any(
            (m.id or 0) < (message.id or 0)
            and m.status is DeliveryStatus.PENDING
            and (m.platform, m.recipient) == (message.platform, message.recipient)
            for m in self.store.outbox.values()
        )

    async def record(self, message: OutboxMessage) -> None:
        if message.id not in self.store.outbox:
            raise KeyError(f"no outbox message with id {message.id}")
        newer = [
            m
            for m in self._versions(message.platform, message.recipient, message.slot)
            if (m.id or 0) > (message.id or 0) and m.status in LIVE_OUTBOX
        ]
        if message.status is DeliveryStatus.PENDING and newer:
            message = dataclasses.replace(message, status=DeliveryStatus.SUPERSEDED)
        # Only the stored columns: what the dispatcher adds for sending is not kept.
        self.store.outbox[message.id] = dataclasses.replace(message, replaces="")
        self.store.leases.pop(message.id, None)

    async def requeue_failed(
        self,
        *,
        now: datetime,
        ids: Collection[int] = (),
        kind: str | None = None,
        since: datetime | None = None,
        school_key: str | None = None,
    ) -> int:
        chosen = [
            m
            for m in self.store.outbox.values()
            if m.status is DeliveryStatus.FAILED
            and (not ids or m.id in ids)
            and (kind is None or m.kind == kind)
            and (since is None or (m.created_at is not None and m.created_at >= since))
            and (school_key is None or m.school_key == school_key)
            and not any(
                (v.id or 0) > (m.id or 0) and v.status in LIVE_OUTBOX
                for v in self._versions(m.platform, m.recipient, m.slot)
            )
        ]
        for m in chosen:
            self.store.outbox[m.id] = dataclasses.replace(
                m,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=None,
                last_error="",
                created_at=now,
            )
            self.store.leases.pop(m.id, None)
        return len(chosen)

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]:
        return [
            m
            for m in sorted(self.store.outbox.values(), key=lambda m: m.id or 0)
            if (status is None or m.status is status)
            and (school_key is None or m.school_key == school_key)
        ]

    async def list_to(
        self, school_key: str, addresses: Collection[tuple[str, str]], *, newest: int
    ) -> list[OutboxMessage]:
        found = [
            m
            for m in sorted(self.store.outbox.values(), key=lambda m: m.id or 0)
            if m.school_key == school_key
            and m.status is not DeliveryStatus.SUPERSEDED
            and (m.platform, m.recipient) in addresses
        ]
        return found[-newest:] if newest > 0 else []

    async def counts(self) -> dict[tuple[DeliveryStatus, str], int]:
        return dict(Counter((m.status, m.platform) for m in self.store.outbox.values()))

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        old = [
            i
            for i, m in self.store.outbox.items()
            if m.school_key == school_key and m.created_at is not None and m.created_at < moment
        ]
        for message_id in old:
            del self.store.outbox[message_id]
            self.store.leases.pop(message_id, None)
        return len(old)


class FakeSlackEvents(_Repo):
    async def first_time(self, event_id: str, now: datetime) -> bool:
        if event_id in self.store.slack_events:
            return False
        self.store.slack_events[event_id] = now
        return True

    async def delete_seen_before(self, moment: datetime) -> int:
        old = [i for i, seen in self.store.slack_events.items() if seen < moment]
        for event_id in old:
            del self.store.slack_events[event_id]
        return len(old)
