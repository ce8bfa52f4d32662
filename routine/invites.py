"""One-time codes that link a chat account to a guardian.

Only a hash of a code is stored. A code is single use, expires, and issuing a new one for the
same guardian revokes the old ones, so a lost letter can be replaced safely.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from routine.model import ChatAccount, InviteCode
from routine.ports import UnitOfWork

# No 0/O, 1/I/L: codes are read off paper and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


class InviteError(enum.StrEnum):
    UNKNOWN_GUARDIAN = "unknown_guardian"
    UNKNOWN_CODE = "unknown_code"
    EXPIRED = "expired"
    USED = "used"


class InviteRefused(Exception):
    def __init__(self, reason: InviteError) -> None:
        super().__init__(reason.value)
        self.reason = reason


async def issue_invite(
    uow: UnitOfWork, *, school_key: str, guardian_id: str, now: datetime, ttl: timedelta
) -> tuple[str, InviteCode]:
    """Returns the code, to be shown once, and what is stored of it. Commits."""
    if await uow.guardians.get(school_key, guardian_id) is None:
        raise InviteRefused(InviteError.UNKNOWN_GUARDIAN)
    await uow.invites.revoke_unused(school_key, guardian_id, now)
    code = new_code()
    invite = InviteCode(school_key, guardian_id, hash_code(code), expires_at=now + ttl)
    stored = await uow.invites.add(invite)
    await uow.commit()
    return code, stored


async def issue_invites(
    uow: UnitOfWork, *, school_key: str, guardian_ids: list[str], now: datetime, ttl: timedelta
) -> list[tuple[str, str, InviteCode]]:
    """`issue_invite` for many guardians in one unit of work (a letter to every family):
    (guardian id, code, what is stored) for each. Commits once."""
    issued = []
    for guardian_id in guardian_ids:
        await uow.invites.revoke_unused(school_key, guardian_id, now)
        code = new_code()
        invite = InviteCode(school_key, guardian_id, hash_code(code), expires_at=now + ttl)
        issued.append((guardian_id, code, await uow.invites.add(invite)))
    await uow.commit()
    return issued


async def redeem_invite(
    uow: UnitOfWork, *, code: str, platform: str, account_id: str, now: datetime
) -> ChatAccount:
    """Link the chat account to the code's guardian. The caller commits."""
    invite = await uow.invites.find_by_hash(hash_code(code))
    if invite is None:
        raise InviteRefused(InviteError.UNKNOWN_CODE)
    if invite.used_at is not None:
        raise InviteRefused(InviteError.USED)
    if not invite.usable(now):
        raise InviteRefused(InviteError.EXPIRED)
    assert invite.id is not None
    if not await uow.invites.mark_used(invite.id, now):
        # Another chat redeemed it a moment ago: a code links one account, once.
        raise InviteRefused(InviteError.USED)
    account = ChatAccount(platform, account_id, invite.school_key, "guardian", invite.guardian_id)
    await uow.accounts.save(account)
    return account


@dataclass(frozen=True)
class LinkThrottle:
    """Guessing codes is slow on purpose: after `max_failures` wrong codes within `window`,
    a chat must wait until the oldest of them leaves the window."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)

    def recent(self, failures: list[datetime], now: datetime) -> list[datetime]:
        return [moment for moment in failures if now - moment < self.window]

    def blocked(self, failures: list[datetime], now: datetime) -> bool:
        return len(self.recent(failures, now)) >= self.max_failures
