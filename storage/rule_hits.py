"""Storage of what the rules found (routine.thresholds.RuleHit): once per school, pupil, rule
and window start, in bulk; and how far each rule's window was evaluated.

A hit that holds night after night over the same window (a term, a month, a quarter to date)
is one row, marked `holding`: it ends on its window's last evaluated day
(`rule_windows.evaluated_through`), with the window's school days. So an ordinary night moves
one window row per rule and writes only the hits that start, change their numbers, hold
again or stop holding (a stopped hit is written as it last held). A night's evaluation reads
the school's stored hits of its windows grouped by their numbers (`held`: a row per rule,
window and distinct numbers, listing the pupils), then writes (`store_night`): each window
a compare-and-set on the day read (a run that loses it writes none of that window's hits),
the new hits in one INSERT ... ON CONFLICT DO NOTHING RETURNING a batch, the changed and the
stopped in one UPDATE ... FROM (VALUES ...) RETURNING a batch. Readers (`list_between`,
`delete_before`) see each hit's window end and numbers as before, through the window.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text, and_, case, cast, func, literal_column, select, type_coerce

from routine.hit_windows import HeldHit, HeldWindow, NightWrites, StoredHits, Window
from routine.thresholds import RuleHit
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import RuleHitRow, RuleWindowRow, as_utc
from storage.repositories import _Repository, delete_where
from storage.thresholds import SEPARATOR, Days, text_day

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


def _key(hit: RuleHit) -> Key:
    return (hit.school_key, hit.pupil_id, hit.rule_id, hit.window_start)


def _same_window() -> Any:
    h, w = RuleHitRow, RuleWindowRow
    return and_(
        w.school_key == h.school_key, w.rule_id == h.rule_id, w.window_start == h.window_start
    )


def _held_end() -> Any:
    """A hit's window end as readers see it: its window's evaluated day if it held then."""
    h, w = RuleHitRow, RuleWindowRow
    return case(
        (and_(h.holding.is_(True), w.evaluated_through.is_not(None)), w.evaluated_through),
        else_=h.window_end,
    )


class SqlRuleHitRepository(_Repository):
    async def held(self, school_key: str, windows: Collection[Window]) -> dict[Window, HeldWindow]:
        """Two reads: the windows, and their hits grouped by rule, window start, holding and
        numbers (a night's tens of thousands of hits share a few dozen numbers), each group
        listing its pupils in one text."""
        wanted = set(windows)
        if not wanted:
            return {}
        dialect = (await self.session.connection()).dialect.name
        starts = sorted({start for _, start in wanted})
        rules = sorted({rule for rule, _ in wanted})
        days = Days()
        w = RuleWindowRow.__table__.c
        read: dict[Window, tuple[date, int | None]] = {}
        query = select(
            w.rule_id, text_day(w.window_start), text_day(w.evaluated_through), w.school_days
        ).where(w.school_key == school_key, w.rule_id.in_(rules), w.window_start.in_(starts))
        for rule_id, start, through, school_days in await self.session.execute(query):
            read[(rule_id, days[start])] = (days[through], school_days)
        t = RuleHitRow.__table__.c
        if dialect == "postgresql":
            numbers: Any = cast(t.numbers, Text)
            pupils: Any = func.string_agg(t.pupil_id, literal_column("chr(31)"))
        else:
            numbers = type_coerce(t.numbers, String)
            pupils = type_coerce(func.group_concat(t.pupil_id, literal_column("char(31)")), String)
        query = (
            select(t.rule_id, text_day(t.window_start), t.holding, numbers, pupils)
            .where(t.school_key == school_key, t.rule_id.in_(rules), t.window_start.in_(starts))
            .group_by(t.rule_id, t.window_start, t.holding, numbers)
        )
        hits: dict[Window, dict[str, HeldHit]] = {}
        for rule_id, start, holding, text, listed in await self.session.execute(query):
            window = (rule_id, days[start])
            if window not in wanted:
                continue
            held = HeldHit(bool(holding), json.loads(text))
            hits.setdefault(window, {}).update(dict.fromkeys(listed.split(SEPARATOR), held))
        return {
            window: HeldWindow(*read.get(window, (None, None)), hits.get(window, {}))
            for window in wanted
            if window in read or window in hits
        }

    async def store_night(
        self, school_key: str, day: date, night: NightWrites, found_at: datetime
    ) -> StoredHits:
        if not (night.new or night.changed or night.stopped or night.windows):
            return StoredHits()
        await before_bulk(self.session)
        with_hits = {(h.rule_id, h.window_start) for h in [*night.new, *night.changed]}
        lost: set[Window] = set()
        for window, (seen, school_days) in sorted(night.windows.items()):
            if seen == day:
                continue
            if seen is None and window not in with_hits:
                continue
            if not await self._move_window(school_key, window, seen, day, school_days):
                lost.add(window)

        def kept(hits: Sequence[RuleHit]) -> list[RuleHit]:
            return [h for h in hits if (h.rule_id, h.window_start) not in lost]

        new = await self._insert(kept(night.new), found_at, holding=True)
        changed = await self._write(school_key, kept(night.changed), holding=True)
        await self._write(school_key, kept(night.stopped), holding=False)
        return StoredHits(new, changed)

    async def _move_window(
        self, school_key: str, window: Window, seen: date | None, day: date, school_days: int
    ) -> bool:
        """The window evaluated through `day`, if it is still as read (a compare-and-set: a
        window stored or moved by another run meanwhile is not this run's)."""
        table = RuleWindowRow.__table__
        rule_id, start = window
        if seen is None:
            insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](table)
            statement: Any = insert.values(
                school_key=school_key,
                rule_id=rule_id,
                window_start=start,
                evaluated_through=day,
                school_days=school_days,
            ).on_conflict_do_nothing()
        else:
            c = table.c
            statement = (
                table.update()
                .where(
                    c.school_key == school_key,
                    c.rule_id == rule_id,
                    c.window_start == start,
                    c.evaluated_through == seen,
                )
                .values(evaluated_through=day, school_days=school_days)
            )
        result = await self.session.execute(statement)
        return bool(result.rowcount == 1)

    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        if not hits:
            return []
        await before_bulk(self.session)
        return await self._insert(hits, found_at, holding=False)

    async def _insert(
        self, new: Sequence[RuleHit], found_at: datetime, holding: bool
    ) -> list[RuleHit]:
        """One INSERT ... ON CONFLICT DO NOTHING RETURNING a batch (on PostgreSQL, FROM unnest
        of an array a column, every row at once), as the driver's own SQL: SQLAlchemy's
        executemany processes each row's values (0.4 s for Sweden's 10,000 new hits a night).
        What this run stored is returned, with its ids: a concurrent run's rows are not."""
        if not new:
            return []
        connection = await self.session.connection()
        dialect = connection.dialect
        t = RuleHitRow.__table__.c
        process_at = t.found_at.type.bind_processor(dialect)
        at = process_at(as_utc(found_at)) if process_at else as_utc(found_at)
        postgresql = dialect.name == "postgresql"
        texts: dict[tuple[Any, ...], str] = {}
        ids: dict[Key, int] = {}
        days = Days()
        for batch in [new] if postgresql else batches(new):
            parameters: list[Any] = []
            for hit in batch:
                parameters += (hit.school_key, *_driver_values(postgresql, hit, texts))
            if postgresql:
                parameters = [list(parameters[n::6]) for n in range(6)]
                parameters += [at, holding]
            else:
                parameters = [
                    value
                    for row in range(len(batch))
                    for value in (*parameters[row * 6 : row * 6 + 6], at, holding)
                ]
            sql = _insert_sql(postgresql, len(batch))
            for row_id, school, pupil, rule, start in await connection.exec_driver_sql(
                sql, tuple(parameters)
            ):
                ids[(school, pupil, rule, days[start])] = row_id
        return [
            RuleHit(*key[:3], h.window_start, h.window_end, h.numbers, h.days, found_at, ids[key])
            for h in new
            if (key := _key(h)) in ids
        ]

    async def _write(
        self, school_key: str, hits: Sequence[RuleHit], holding: bool
    ) -> list[RuleHit]:
        """Each stored hit's window end, numbers and whether it holds, by its key: one
        UPDATE ... FROM (VALUES ...) RETURNING a batch (on PostgreSQL, FROM unnest of an
        array a column, every row at once). Written as the driver's own SQL: SQLAlchemy's
        `values()` builds and compiles an expression per row, 0.3 ms each."""
        if not hits:
            return []
        connection = await self.session.connection()
        dialect = connection.dialect
        t = RuleHitRow.__table__.c
        process = t.found_at.type.dialect_impl(dialect).result_processor(dialect, None)
        instants = Instants(process)
        days = Days()
        texts: dict[tuple[Any, ...], str] = {}
        written: dict[Key, tuple[int, datetime]] = {}
        postgresql = dialect.name == "postgresql"
        for batch in [hits] if postgresql else batches(hits):
            parameters: list[Any] = []
            for hit in batch:
                parameters += _driver_values(postgresql, hit, texts)
            if postgresql:
                parameters = [list(parameters[n::5]) for n in range(5)]
            sql = _write_sql(postgresql, len(batch))
            result = await connection.exec_driver_sql(sql, (*parameters, holding, school_key))
            for row_id, pupil, rule, start, at in result:
                written[(school_key, pupil, rule, days[start])] = (row_id, instants[at])
        return [
            RuleHit(*key[:3], h.window_start, h.window_end, h.numbers, h.days, *written[key][::-1])
            for h in hits
            if (key := _key(h)) in written
        ]

    async def list_between(self, school_key: str, start: date, end: date) -> list[RuleHit]:
        h, w = RuleHitRow, RuleWindowRow
        held_end = _held_end()
        rows = await self.session.execute(
            select(h, w.evaluated_through, w.school_days)
            .outerjoin(w, _same_window())
            .where(h.school_key == school_key, held_end >= start, held_end <= end)
            .order_by(held_end, h.pupil_id, h.rule_id)
        )
        return [_hit(row, through, days) for row, through, days in rows]

    async def delete_before(self, school_key: str, day: date) -> int:
        """The hits that ended before the day (as readers see them), and the windows
        evaluated through a day before it (any hit that held on it is among those)."""
        h, w = RuleHitRow, RuleWindowRow
        ended = (
            select(h.id)
            .outerjoin(w, _same_window())
            .where(h.school_key == school_key, _held_end() < day)
        )
        deleted = await delete_where(self.session, h, h.id.in_(ended))
        await delete_where(self.session, w, w.school_key == school_key, w.evaluated_through < day)
        return deleted


def _hit(row: RuleHitRow, through: date | None, school_days: int | None) -> RuleHit:
    numbers = dict(row.numbers)
    end = row.window_end
    if row.holding and through is not None:
        end = through
        if school_days is not None:
            numbers["school_days"] = school_days
    return RuleHit(
        row.school_key,
        row.pupil_id,
        row.rule_id,
        row.window_start,
        end,
        numbers,
        found_at=row.found_at,
        id=row.id,
    )


_COLUMNS = "school_key, pupil_id, rule_id, window_start, window_end, numbers, found_at, holding"
_RETURNING = "RETURNING id, school_key, pupil_id, rule_id, window_start"
_UNIQUE = "ON CONFLICT (school_key, pupil_id, rule_id, window_start) DO NOTHING"


def _insert_sql(postgresql: bool, rows: int) -> str:
    if postgresql:
        rows_of = (
            "SELECT s, p, r, ws, we, n::jsonb, $7, $8 FROM unnest($1::text[], $2::text[], "
            "$3::text[], $4::date[], $5::date[], $6::text[]) AS given (s, p, r, ws, we, n)"
        )
    else:
        rows_of = "VALUES " + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?)"] * rows)
    return f"INSERT INTO rule_hits ({_COLUMNS}) {rows_of} {_UNIQUE} {_RETURNING}"


def _write_sql(postgresql: bool, rows: int) -> str:
    if postgresql:
        rows_of = (
            "SELECT pupil, rule, start, new_end, new_numbers::jsonb FROM "
            "unnest($1::text[], $2::text[], $3::date[], $4::date[], $5::text[]) "
            "AS given (pupil, rule, start, new_end, new_numbers)"
        )
        holding, school = "$6", "$7"
    else:
        rows_of = "VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * rows)
        holding, school = "?", "?"
    return (
        f"WITH changed (pupil, rule, start, new_end, new_numbers) AS ({rows_of}) "
        "UPDATE rule_hits SET window_end = changed.new_end, numbers = changed.new_numbers, "
        f"holding = {holding} FROM changed WHERE rule_hits.school_key = {school} "
        "AND rule_hits.pupil_id = changed.pupil AND rule_hits.rule_id = changed.rule "
        "AND rule_hits.window_start = changed.start RETURNING rule_hits.id, "
        "rule_hits.pupil_id, rule_hits.rule_id, rule_hits.window_start, rule_hits.found_at"
    )


def _driver_values(
    postgresql: bool, hit: RuleHit, texts: dict[tuple[Any, ...], str]
) -> tuple[Any, ...]:
    """What the driver binds: dates as dates for asyncpg, as SQLAlchemy stores them (ISO
    text) for SQLite; the numbers as JSON text for both, written once for each distinct
    numbers (`texts`: a night's hits share a few)."""
    same = tuple(hit.numbers.items())
    numbers = texts.get(same)
    if numbers is None:
        numbers = texts[same] = json.dumps(dict(hit.numbers))
    if postgresql:
        return (hit.pupil_id, hit.rule_id, hit.window_start, hit.window_end, numbers)
    start, end = hit.window_start.isoformat(), hit.window_end.isoformat()
    return (hit.pupil_id, hit.rule_id, start, end, numbers)
