"""One chat event's reads in one round trip: the conversation, and the chat account writing in
it with the account's school, guardian and the guardian's children.

The rows are loaded as ORM objects into the unit of work's session and kept there (the
session's identity map holds them only weakly), so the lookups that follow in the same unit
of work (`accounts.get`, `schools.get`, `guardians.get`, `pupils.get`) are answered from
memory, without SQL. A staff member is not joined in here: their roles and classes are two
collections more, and their events are not the morning's rush.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from storage.orm import (
    ChatAccountRow,
    ConversationRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    SchoolRow,
)


async def open_chat(
    session: AsyncSession, key: str, platform: str, account_id: str
) -> tuple[ConversationRow | None, ChatAccountRow | None, list[Any]]:
    """The conversation's row, the account's row, and every row loaded (to be kept)."""
    one_row = select(literal(1).label("one")).subquery()
    links = and_(
        GuardianPupilRow.school_key == GuardianRow.school_key,
        GuardianPupilRow.guardian_id == GuardianRow.guardian_id,
    )
    query = (
        select(ConversationRow, ChatAccountRow, SchoolRow, GuardianRow, PupilRow)
        .select_from(one_row)
        .outerjoin(ConversationRow, ConversationRow.key == key)
        .outerjoin(
            ChatAccountRow,
            and_(ChatAccountRow.platform == platform, ChatAccountRow.account_id == account_id),
        )
        .outerjoin(SchoolRow, SchoolRow.key == ChatAccountRow.school_key)
        .outerjoin(
            GuardianRow,
            and_(
                ChatAccountRow.person_kind == "guardian",
                GuardianRow.school_key == ChatAccountRow.school_key,
                GuardianRow.guardian_id == ChatAccountRow.person_id,
            ),
        )
        .outerjoin(GuardianPupilRow, links)
        .outerjoin(
            PupilRow,
            and_(
                PupilRow.school_key == GuardianPupilRow.school_key,
                PupilRow.pupil_id == GuardianPupilRow.pupil_id,
            ),
        )
        .options(contains_eager(GuardianRow.links))
        .order_by(GuardianPupilRow.pupil_id)
    )
    rows = (await session.execute(query)).unique().all()
    loaded = [item for row in rows for item in row if item is not None]
    first = rows[0] if rows else (None, None)
    return first[0], first[1], loaded
