"""Storage of what the rules found (routine.thresholds.RuleHit): once per school, pupil, rule
and window start, in bulk.

A hit that holds night after night over the same window (a term, a month, a quarter to date)
is one row, updated in place: its window end and numbers are the last night's. A day's
evaluation reads the school's stored hits of the nights' window starts (one query), inserts
the new ones (one INSERT ... ON CONFLICT DO NOTHING RETURNING a batch) and updates the changed
ones (one UPDATE ... FROM VALUES RETURNING a batch); a hit whose window end and numbers are
stored already is not written. Both writes are compare-and-set: the unique key makes a
concurrent run's insert store nothing twice, and an update only moves a row still as it was
read; what the other run wrote is not returned as this run's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, select, type_coerce

from routine.thresholds import RuleHit, StoredHits
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import RuleHitRow, as_utc
from storage.repositories import _Repository, delete_where
from storage.thresholds import Days, text_day

Key = tuple[str, str, str, date]


class Instants(dict[Any, datetime]):
    """Instants read as the driver returns them, each distinct one converted once (the
    night's hits were found on a few nights)."""

    def __init__(self, process: Callable[[Any], Any] | None) -> None:
        super().__init__()
        self._process = process

    def __missing__(self, value: Any) -> datetime:
        at = self[value] = self._process(value) if self._process else value
        return at


def hit_from_row(row: RuleHitRow) -> RuleHit:
    return RuleHit(
        row.school_key,
        row.pupil_id,
        row.rule_id,
        row.window_start,
        row.window_end,
        dict(row.numbers),
        found_at=row.found_at,
        id=row.id,
    )


def _key(hit: RuleHit) -> Key:
    return (hit.school_key, hit.pupil_id, hit.rule_id, hit.window_start)


class SqlRuleHitRepository(_Repository):
    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        return (await self.add_or_update(hits, found_at)).new

    async def add_or_update(self, hits: Sequence[RuleHit], found_at: datetime) -> StoredHits:
        if not hits:
            return StoredHits()
        await before_bulk(self.session)
        stored = await self._stored(hits)
        new: list[RuleHit] = []
        changed: list[tuple[RuleHit, int, date, datetime]] = []
        for hit in hits:
            was = stored.get(_key(hit))
            if was is None:
                new.append(hit)
            # The numbers (JSON text) are parsed only for a hit that ends where it ended.
            elif was[1] != hit.window_end or _parsed(was[2]) != dict(hit.numbers):
                changed.append((hit, was[0], was[1], was[3]))
        return StoredHits(await self._insert(new, found_at), await self._update(changed))

    async def _stored(self, hits: Sequence[RuleHit]) -> dict[Key, tuple[int, date, Any, datetime]]:
        """The stored hits of these hits' schools and window starts: id, end, numbers (as
        the driver returns them, `_parsed`), found. Each distinct day and instant converted
        once: an ordinary night reads tens of thousands of hits."""
        t = RuleHitRow.__table__.c
        found: dict[Key, tuple[int, date, Any, datetime]] = {}
        days = Days()
        connection = await self.session.connection()
        dialect = connection.dialect
        instants = Instants(t.found_at.type.dialect_impl(dialect).result_processor(dialect, None))
        for school_key in sorted({h.school_key for h in hits}):
            starts = sorted({h.window_start for h in hits if h.school_key == school_key})
            query = select(
                t.id,
                t.pupil_id,
                t.rule_id,
                text_day(t.window_start),
                text_day(t.window_end),
                type_coerce(t.numbers, String),
                type_coerce(t.found_at, String),
            ).where(t.school_key == school_key, t.window_start.in_(starts))
            for row_id, pupil, rule, start, end, numbers, at in await self.session.execute(query):
                key = (school_key, pupil, rule, days[start])
                found[key] = (row_id, days[end], numbers, instants[at])
        return found

    async def _insert(self, new: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        if not new:
            return []
        table = RuleHitRow.__table__
        statement = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](table)
        statement = statement.on_conflict_do_nothing(
            index_elements=["school_key", "pupil_id", "rule_id", "window_start"]
        )
        c = table.c
        statement = statement.returning(
            c.id, c.school_key, c.pupil_id, c.rule_id, text_day(c.window_start)
        )
        at = as_utc(found_at)
        rows = [
            {
                "school_key": h.school_key,
                "pupil_id": h.pupil_id,
                "rule_id": h.rule_id,
                "window_start": h.window_start,
                "window_end": h.window_end,
                "numbers": dict(h.numbers),
                "found_at": at,
            }
            for h in new
        ]
        # What this run stored, with its ids: a concurrent run's rows are not returned.
        ids: dict[Key, int] = {}
        days = Days()
        for batch in batches(rows):
            for row_id, school, pupil, rule, start in await self.session.execute(
                statement, list(batch)
            ):
                ids[(school, pupil, rule, days[start])] = row_id
        return [
            RuleHit(*key[:3], h.window_start, h.window_end, h.numbers, h.days, found_at, ids[key])
            for h in new
            if (key := _key(h)) in ids
        ]

    async def _update(
        self, changed: Sequence[tuple[RuleHit, int, date, datetime]]
    ) -> list[RuleHit]:
        """Each hit's new window end and numbers, where its row still ends where it was read:
        one UPDATE ... FROM (VALUES ...) RETURNING a batch (on PostgreSQL, FROM unnest of an
        array a column, every row at once). Written as the driver's own SQL:
        SQLAlchemy's `values()` builds and compiles an expression per row, 0.3 ms each."""
        if not changed:
            return []
        connection = await self.session.connection()
        dialect = connection.dialect.name
        moved: set[int] = set()
        texts: dict[tuple[Any, ...], str] = {}
        # PostgreSQL: every row in one statement, a column an array.
        for batch in [changed] if dialect == "postgresql" else batches(changed):
            parameters: list[Any] = []
            for hit, row_id, seen, _at in batch:
                parameters += _driver_values(dialect, row_id, seen, hit, texts)
            sql = _update_sql(dialect, len(batch))
            if dialect == "postgresql":
                parameters = [list(parameters[n::4]) for n in range(4)]
            result = await connection.exec_driver_sql(sql, tuple(parameters))
            moved.update(row_id for (row_id,) in result)
        return [
            RuleHit(*_key(h)[:3], h.window_start, h.window_end, h.numbers, h.days, at, row_id)
            for h, row_id, _seen, at in changed
            if row_id in moved
        ]

    async def list_between(self, school_key: str, start: date, end: date) -> list[RuleHit]:
        rows = await self.session.scalars(
            select(RuleHitRow)
            .where(
                RuleHitRow.school_key == school_key,
                RuleHitRow.window_end >= start,
                RuleHitRow.window_end <= end,
            )
            .order_by(RuleHitRow.window_end, RuleHitRow.pupil_id, RuleHitRow.rule_id)
        )
        return [hit_from_row(row) for row in rows]

    async def delete_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            RuleHitRow,
            RuleHitRow.school_key == school_key,
            RuleHitRow.window_end < day,
        )


def _parsed(numbers: Any) -> Any:
    # JSON text from SQLite; asyncpg's codec has decoded PostgreSQL's already.
    return json.loads(numbers) if isinstance(numbers, str) else numbers


def _update_sql(dialect: str, rows: int) -> str:
    if dialect == "postgresql":
        rows_of = (
            "SELECT hit_id, seen_end, new_end, new_numbers::jsonb FROM "
            "unnest($1::integer[], $2::date[], $3::date[], $4::text[]) "
            "AS given (hit_id, seen_end, new_end, new_numbers)"
        )
    else:
        rows_of = "VALUES " + ", ".join(["(?, ?, ?, ?)"] * rows)
    return (
        f"WITH changed (hit_id, seen_end, new_end, new_numbers) AS ({rows_of}) "
        "UPDATE rule_hits SET window_end = changed.new_end, numbers = changed.new_numbers "
        "FROM changed WHERE rule_hits.id = changed.hit_id "
        "AND rule_hits.window_end = changed.seen_end RETURNING rule_hits.id"
    )


def _driver_values(
    dialect: str, row_id: int, seen: date, hit: RuleHit, texts: dict[tuple[Any, ...], str]
) -> tuple[Any, ...]:
    """What the driver binds: dates as dates for asyncpg, as SQLAlchemy stores them (ISO
    text) for SQLite; the numbers as JSON text for both, written once for each distinct
    numbers (`texts`: a night's hits share a few)."""
    same = tuple(hit.numbers.items())
    numbers = texts.get(same)
    if numbers is None:
        numbers = texts[same] = json.dumps(dict(hit.numbers))
    if dialect == "postgresql":
        return (row_id, seen, hit.window_end, numbers)
    return (row_id, seen.isoformat(), hit.window_end.isoformat(), numbers)
