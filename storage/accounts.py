"""Chat accounts and invite codes over SQLAlchemy: who a chat account is, and the one-time
codes a guardian links one with (`routine.ports_people`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from routine.model import ChatAccount, InviteCode
from storage import chat, mapping
from storage.orm import ChatAccountRow, InviteCodeRow, as_utc
from storage.repositories import _Repository, in_code_point_order


class SqlChatAccountRepository(_Repository):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None:
        key = (platform, account_id)
        if (known := chat.known(self.session, "account", key)) is not None:
            return known
        row = await self.session.get(ChatAccountRow, key)
        return None if row is None else mapping.account_from_row(row)

    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        rows = await self.session.scalars(
            select(ChatAccountRow).where(
                ChatAccountRow.school_key == school_key,
                ChatAccountRow.person_kind == person_kind,
                ChatAccountRow.person_id == person_id,
            )
        )
        return in_code_point_order(
            map(mapping.account_from_row, rows), key=lambda a: (a.platform, a.account_id)
        )

    async def save(self, account: ChatAccount) -> None:
        chat.forget(self.session)
        key = (account.platform, account.account_id)
        row = await self.session.get(ChatAccountRow, key) or ChatAccountRow()
        mapping.account_to_row(account, row)
        self.session.add(row)

    async def delete(self, platform: str, account_id: str) -> None:
        chat.forget(self.session)
        row = await self.session.get(ChatAccountRow, (platform, account_id))
        if row is not None:
            await self.session.delete(row)
            # Flushed now, or a `get` in the same unit of work would still find it.
            await self.session.flush()


class SqlInviteCodeRepository(_Repository):
    async def add(self, invite: InviteCode) -> InviteCode:
        row = mapping.invite_to_row(invite)
        self.session.add(row)
        await self.session.flush()
        return mapping.invite_from_row(row)

    async def find_by_hash(self, code_hash: str) -> InviteCode | None:
        row = await self.session.scalar(
            select(InviteCodeRow).where(InviteCodeRow.code_hash == code_hash)
        )
        return None if row is None else mapping.invite_from_row(row)

    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        result = await self.session.execute(
            update(InviteCodeRow)
            .where(InviteCodeRow.id == invite_id, InviteCodeRow.used_at.is_(None))
            .values(used_at=as_utc(used_at))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        now = as_utc(now)
        rows = await self.session.scalars(
            select(InviteCodeRow).where(
                InviteCodeRow.school_key == school_key,
                InviteCodeRow.guardian_id == guardian_id,
                InviteCodeRow.used_at.is_(None),
                InviteCodeRow.expires_at > now,
            )
        )
        revoked = 0
        for row in rows:
            row.expires_at = now
            revoked += 1
        return revoked
