"""The chat side of the routine: the accounts linked to a person, the invite codes that link a
guardian's, and where a conversation stands in a flow.

Re-exported by `routine.model`, the one import for the routine's nouns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ChatAccount:
    """A chat identity (platform + user) linked to one person of one school."""

    platform: str
    account_id: str
    school_key: str
    person_kind: str  # "guardian" or "staff"
    person_id: str
    # False once the platform said the person cannot be reached (e.g. they blocked the bot);
    # True again as soon as they write.
    reachable: bool = True


@dataclass(frozen=True)
class InviteCode:
    school_key: str
    guardian_id: str
    code_hash: str
    expires_at: datetime
    used_at: datetime | None = None
    id: int | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


@dataclass
class Conversation:
    """Where one chat stands in a flow. Stored, so that a restart continues it."""

    key: str
    flow: str | None = None
    state: str | None = None
    data: dict = field(default_factory=dict)
    # How many times it was saved; a save counts only if nobody saved it since it was read.
    # Bookkeeping, not content: two conversations saying the same are equal.
    version: int = field(default=0, compare=False)
