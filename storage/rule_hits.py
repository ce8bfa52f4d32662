"""Storage of what the rules found (routine.thresholds.RuleHit): written in bulk, once each.

A day's evaluation reads which hits of that day are stored already (one query), and inserts
the others in one statement a batch; the unique key (school, pupil, rule, window end) makes a
concurrent second run store nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select

from routine.thresholds import RuleHit
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import RuleHitRow, as_utc
from storage.repositories import _Repository, delete_where


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


class SqlRuleHitRepository(_Repository):
    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        if not hits:
            return []
        await before_bulk(self.session)
        stored: set[tuple[str, str, str, date]] = set()
        for school_key in sorted({h.school_key for h in hits}):
            ends = sorted({h.window_end for h in hits if h.school_key == school_key})
            result = await self.session.execute(
                select(RuleHitRow.pupil_id, RuleHitRow.rule_id, RuleHitRow.window_end).where(
                    RuleHitRow.school_key == school_key, RuleHitRow.window_end.in_(ends)
                )
            )
            stored.update((school_key, *row) for row in result)
        new = [
            h for h in hits if (h.school_key, h.pupil_id, h.rule_id, h.window_end) not in stored
        ]
        table = RuleHitRow.__table__
        statement = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](table)
        statement = statement.on_conflict_do_nothing(
            index_elements=["school_key", "pupil_id", "rule_id", "window_end"]
        )
        c = table.c
        statement = statement.returning(c.id, c.school_key, c.pupil_id, c.rule_id, c.window_end)
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
        ids: dict[tuple[str, str, str, date], int] = {}
        for batch in batches(rows):
            for row_id, *key in await self.session.execute(statement, list(batch)):
                ids[tuple(key)] = row_id
        return [
            RuleHit(*key[:3], h.window_start, h.window_end, h.numbers, h.days, found_at, ids[key])
            for h in new
            if (key := (h.school_key, h.pupil_id, h.rule_id, h.window_end)) in ids
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
