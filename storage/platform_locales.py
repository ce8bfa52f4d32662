"""Staff members' platform locales as Slack's `users.info` told them: one compare-and-set.

Each member is set only if neither their platform language nor an earlier answer is known:
an event that told their locale while Slack was being asked wins, and two runs never both
count one member. One UPDATE per batch, whatever the number of members.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import case, update
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import Language
from storage import read_cache
from storage.bulk import batches
from storage.orm import StaffRow

# Two bound parameters per member (its id twice) and a few more: far below the limits.
BATCH = 500


async def remember(
    session: AsyncSession,
    school_key: str,
    answers: Mapping[str, Language | None],
    asked_at: datetime,
) -> int:
    """`answers`: staff id to the language their locale is (None: none of ours). How many
    members were set."""
    read_cache.forget(session, read_cache.KINDS["staff"])
    await session.flush()
    done = 0
    for batch in batches(sorted(answers), BATCH):
        languages = {staff_id: _value(answers[staff_id]) for staff_id in batch}
        statement = (
            update(StaffRow)
            .where(
                StaffRow.school_key == school_key,
                StaffRow.staff_id.in_(batch),
                StaffRow.platform_language.is_(None),
                StaffRow.platform_locale_asked.is_(None),
            )
            .values(
                platform_language=case(languages, value=StaffRow.staff_id, else_=None),
                platform_locale_asked=asked_at,
            )
            .execution_options(synchronize_session=False)
        )
        result = await session.execute(statement)
        done += result.rowcount  # type: ignore[attr-defined]
    # Rows the session loaded before hold the old values: read again when asked.
    session.expire_all()
    return done


def _value(language: Language | None) -> str | None:
    return None if language is None else language.value
