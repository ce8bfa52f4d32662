"""What every SQLAlchemy repository is built on: the session it is given, and the statements
several of them share.

A repository takes the unit of work's session and neither commits nor rolls back: that is the
unit of work's decision. `save` inserts or updates by the natural key. The routine's
repositories (`routine.ports_*`) are in modules by what they hold: `storage.people` (schools,
classes, pupils, guardians, staff), `storage.attendance` (absence reports, marks, codes),
`storage.accounts` (chat accounts, invite codes), `storage.requests` (prompts, contact
requests, guardians' concerns), and the record's, the cases' and the day's in their own.

Lists ordered by text are sorted in Python, by code point, like the fakes: database collations
differ (PostgreSQL's follows the server's locale, SQLite's compares bytes), and a reader's
alphabetical order (Å after Z in Swedish) is the presentation's job, not storage's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def in_code_point_order(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    return sorted(items, key=key)


def in_days(
    row_type: Any,
    school_key: str,
    start: date,
    end: date,
    pupil_ids: Collection[str] | None = None,
) -> Select[Any]:
    """A school's rows of the days `start`..`end` (of these pupils, or of all), oldest first:
    marks, corrections and record uses are all read this way."""
    query = select(row_type).where(
        row_type.school_key == school_key, row_type.day >= start, row_type.day <= end
    )
    if pupil_ids is not None:
        query = query.where(row_type.pupil_id.in_(sorted(pupil_ids)))
    return query.order_by(row_type.id)


class _Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session


async def delete_where(session: AsyncSession, row_type: type[Any], *conditions: Any) -> int:
    """Delete the matching rows in one statement, without loading them; how many.

    The session forgets the rows it had loaded, so a later `get` in the same unit of work does not
    hand out a deleted row."""
    result = await session.execute(delete(row_type).where(*conditions))
    return result.rowcount
