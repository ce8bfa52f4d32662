"""Bulk writes: many rows in a few statements, for the operator's imports.

A roster of 100,000 lines written row by row (a `session.get` and an autoflush each) took four
minutes; the same rows as one `executemany` per batch take about a second. These helpers write
plain dicts with Core statements, so the ORM's identity map never sees the rows. The session is
flushed first (Core statements do not autoflush, and the rows may refer to pending ones, e.g. a
new school) and forgets what it had loaded afterwards, so a later `get` in the same unit of work
reads what was written instead of a stale copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Table, and_, bindparam, delete, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")

# INSERT ... ON CONFLICT, which SQLAlchemy offers per dialect.
INSERTS_BY_DIALECT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
# Rows per bulk statement: well under SQLite's and asyncpg's limits on bound parameters.
BATCH = 2000

Row = dict[str, Any]


def batches(items: Sequence[T], size: int = BATCH) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def before_bulk(session: AsyncSession) -> None:
    await session.flush()


def after_bulk(session: AsyncSession) -> None:
    # Nothing is pending after the flush, so forgetting loses no change, only stale copies.
    session.expunge_all()


async def upsert(session: AsyncSession, table: Table, rows: Sequence[Row]) -> None:
    """Insert the rows, or update the ones whose primary key is already there."""
    if not rows:
        return
    statement = INSERTS_BY_DIALECT[session.get_bind().dialect.name](table)
    key = [column.key for column in table.primary_key.columns]
    changes = {c.key: statement.excluded[c.key] for c in table.columns if c.key not in key}
    statement = (
        statement.on_conflict_do_update(index_elements=key, set_=changes)
        if changes
        else statement.on_conflict_do_nothing(index_elements=key)
    )
    for batch in batches(rows):
        await session.execute(statement, list(batch))


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[Row]) -> None:
    if not rows:
        return
    for batch in batches(rows):
        await session.execute(table.insert(), list(batch))


async def select_owned(
    session: AsyncSession, table: Table, owners: Sequence[tuple[str, str]], owner_column: str
) -> list[Row]:
    """The rows of `table` belonging to these (school_key, owner id) pairs, a batch a query."""
    found: list[Row] = []
    for batch in batches(owners):
        result = await session.execute(select(table).where(_owned_by(table, batch, owner_column)))
        found.extend(dict(row._mapping) for row in result)
    return found


async def delete_owned(
    session: AsyncSession, table: Table, owners: Sequence[tuple[str, str]], owner_column: str
) -> None:
    """Delete the rows of `table` belonging to these (school_key, owner id) pairs."""
    for batch in batches(owners):
        await session.execute(delete(table).where(_owned_by(table, batch, owner_column)))


async def delete_keys(session: AsyncSession, table: Table, keys: Sequence[Row]) -> None:
    """Delete the rows with these primary keys, one `executemany` a batch."""
    if not keys:
        return
    columns = list(table.primary_key.columns)
    statement = delete(table).where(*(c == bindparam(f"key_{c.key}") for c in columns))
    params = [{f"key_{c.key}": key[c.key] for c in columns} for key in keys]
    for batch in batches(params):
        await session.execute(statement, list(batch))


def _owned_by(table: Table, owners: Sequence[tuple[str, str]], owner_column: str) -> Any:
    # Grouped by school: one IN list per school, which is one in practice.
    by_school: dict[str, list[str]] = {}
    for school_key, owner in owners:
        by_school.setdefault(school_key, []).append(owner)
    return or_(
        *(
            and_(table.c.school_key == school_key, table.c[owner_column].in_(ids))
            for school_key, ids in by_school.items()
        )
    )
