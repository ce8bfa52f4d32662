"""The nightly rules' aggregates: per pupil, a count of each window's marks of each kind.

Measured (bench/nightly.py, docs/performance.md): grouping the marks without joining the
pupils, and reading them once for every window and kind (`count_windows`, a conditional sum
each) rather than once per window and kind, keeps the counting near the cost of one plain
count.

`scan_windows` is what the nightly evaluation reads: `count_windows`, and in the same statement
the pupils with a day of two marks, only for the pupils whose count may reach a rule's
(bench/nightly.py). `list_days` lists the day-level marks of the few pupils whose days decide
(a new hit), or of every pupil over the few days since the last evaluation.

`count_days` and `count_windows` count each pupil's day-level marks of the kind a rule counts
(absent, invalid, valid, late, illness) in the window; `routine.evaluation` builds the full
record only for the pupils these counts say a rule may hit, and for those whose window also
has a report, leave, a correction or a judgement.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    type_coerce,
)
from sqlalchemy.types import ARRAY

from routine.hit_windows import ListedDays, WindowScan
from routine.model import AttendanceMark, MarkKind, MarkSource
from routine.policy import Counted
from routine.record import RecordSource
from routine.roll_call import RollCallStatus
from storage.listed_marks import DoubledDays, KindDays, ListedMarks
from storage.orm import AttendanceMarkRow, PupilRow, RollCallRow
from storage.repositories import _Repository
from storage.scan_terms import FILTERS, KINDS
from storage.window_scan import scan_query, unpack, unpacked

TAKEN = {
    RollCallStatus.SUBMITTED.value: RecordSource.ROLL_CALL,
    RollCallStatus.IMPORTED.value: RecordSource.IMPORT,
}
CLASSES_PER_QUERY = 2000
PUPILS_PER_QUERY = 2000
DAYS_PER_QUERY = 500
# Between the pupil ids a text lists (a class's pupils, a window's hits): not in an id.
SEPARATOR = "\x1f"
_M = AttendanceMarkRow


class Days(dict[object, date]):
    """Days read as the database returns them, each distinct one parsed once: a query over a
    term returns hundreds of thousands of rows but only a hundred days, and SQLite's dates
    are text that SQLAlchemy would otherwise parse row by row (`text_day`)."""

    def __missing__(self, value: object) -> date:
        day = value if isinstance(value, date) else date.fromisoformat(str(value))
        self[value] = day
        return day


def text_day(column: Any) -> ColumnElement[Any]:
    """The column as the driver returns it (text on SQLite, a date on PostgreSQL), for `Days`."""
    return type_coerce(column, String)


def _mark(dialect: str, conditions: Sequence[ColumnElement[bool]]) -> ColumnElement[Any]:
    """A mark as text: its day (as SQLite stores it and PostgreSQL's ISO style writes it) and
    a letter, "A" plus a bit for each condition that holds (five kinds at most are counted
    by day: the letters stay between "A" and "`", never a comma)."""
    m = AttendanceMarkRow
    bits: ColumnElement[Any] = literal(ord("A"))
    for bit, condition in enumerate(conditions):
        bits = bits + case((condition, 1 << bit), else_=0)
    if dialect == "postgresql":
        return cast(m.day, String) + func.chr(bits)
    return type_coerce(m.day, String) + func.char(bits)


def _listed(dialect: str, mark: ColumnElement[Any]) -> ColumnElement[Any]:
    """The group's marks, comma-separated."""
    if dialect == "postgresql":
        return func.string_agg(mark, literal_column("','"))
    return type_coerce(func.group_concat(mark), String)


def among(dialect: str, column: Any, ids: Collection[str]) -> ColumnElement[bool]:
    """The column is one of these ids, bound as one value however many: an array on
    PostgreSQL (a list of thousands of parameters is planned as a search of the list row by
    row), a JSON array on SQLite (`json_each`; the planner seeks the index once per id). One
    statement for any number of pupils."""
    ordered = sorted(ids)
    if dialect == "postgresql":
        return column == any_(bindparam("ids", ordered, type_=ARRAY(String)))
    listed = func.json_each(literal(json.dumps(ordered))).table_valued("value")
    return column.in_(select(listed.c.value))


class SqlThresholdQueries(_Repository):
    async def active_classes(self, school_key: str) -> dict[str, str]:
        # A row a class listing its pupils: a hundred thousand rows would cost more to fetch
        # than the nightly scan of the marks.
        t = PupilRow.__table__.c
        dialect = self.session.get_bind().dialect.name
        if dialect == "postgresql":
            pupils: Any = func.string_agg(t.pupil_id, literal_column("chr(31)"))
        else:
            pupils = type_coerce(func.group_concat(t.pupil_id, literal_column("char(31)")), String)
        query = (
            select(t.class_name, pupils)
            .where(t.school_key == school_key, t.active.is_(True))
            .group_by(t.class_name)
        )
        found: dict[str, str] = {}
        for name, listed in await self.session.execute(query):
            found.update(dict.fromkeys(listed.split(SEPARATOR), name))
        return found

    async def count_days(
        self, school_key: str, start: date, end: date, counted: Counted
    ) -> dict[str, int]:
        # A range of days, not the school days: a mark on another day only counts one more,
        # and the range lets the (school_key, day) index serve.
        if counted not in FILTERS:
            return {}
        m = AttendanceMarkRow
        query = (
            select(m.pupil_id, func.count())
            .where(
                m.school_key == school_key,
                m.day >= start,
                m.day <= end,
                m.lesson.is_(None),
                *FILTERS[counted],
            )
            .group_by(m.pupil_id)
        )
        return {pupil_id: count for pupil_id, count in await self.session.execute(query)}

    async def count_windows(
        self, school_key: str, end: date, wanted: Sequence[tuple[date, Counted]]
    ) -> list[dict[str, int]]:
        # One scan for every window and kind, a conditional sum each: the marks are read
        # once however many rules the school has (Norway's four read them four times).
        m = AttendanceMarkRow
        sums = [
            func.sum(case((and_(m.day >= start, *FILTERS[counted]), 1), else_=0))
            if counted in FILTERS
            else literal(0)
            for start, counted in wanted
        ]
        found: list[dict[str, int]] = [{} for _ in wanted]
        if not wanted:
            return found
        kinds = sorted({KINDS[counted] for _, counted in wanted if counted in KINDS})
        query = (
            select(m.pupil_id, *sums)
            .where(
                m.school_key == school_key,
                m.day >= min(start for start, _ in wanted),
                m.day <= end,
                m.lesson.is_(None),
                m.kind.in_(kinds),
            )
            .group_by(m.pupil_id)
        )
        for pupil_id, *counts in await self.session.execute(query):
            for index, count in enumerate(counts):
                if count:
                    found[index][pupil_id] = int(count)
        return found

    async def scan_windows(
        self,
        school_key: str,
        end: date,
        wanted: Sequence[tuple[date, Counted]],
        twice: bool = False,
        least: Sequence[int] | None = None,
    ) -> WindowScan:
        """`count_windows`, and with `twice` in the same statement the pupils with a day of
        two or more day-level marks from the earliest start; with `least`, only the groups
        with some count at least its least (HAVING: half the rows where a rule hits every
        other pupil, few where none does).

        One scan of the school's day-level marks from the earliest start, grouped by pupil:
        the counts of every window and kind packed in a few sums (`storage.window_scan`), and
        with `twice` a count of distinct days beside the count of marks (every day-level mark
        is read then, whatever its kind). No pupil's days are listed: the evaluation lists
        them (`list_days`) only for the pupils whose count does not decide a rule alone
        (bench/nightly.py)."""
        if not wanted:
            return WindowScan([])
        dialect = self.session.get_bind().dialect.name
        # The connection's rows, without the ORM's processing of a hundred thousand of them.
        connection = await self.session.connection()
        # Packed on SQLite only: PostgreSQL sums a bigint as numeric, slower than its sums
        # one by one (0.58 s against 0.49 s on 1,000,000 marks; `storage.window_scan`).
        packed = dialect == "sqlite"
        query = scan_query(school_key, end, wanted, dialect, twice, least, packed)
        rows = (await connection.execute(query)).all()
        if not rows:
            return WindowScan([{} for _ in wanted])
        counts = unpack(rows, wanted) if packed else unpacked(rows, wanted)
        if counts is None:
            query = scan_query(school_key, end, wanted, dialect, twice, least, packed=False)
            rows = (await connection.execute(query)).all()
            counts = unpacked(rows, wanted)
        doubled = frozenset(row[0] for row in rows if row[-1]) if twice else frozenset()
        return WindowScan(counts, doubled)

    async def list_days(
        self,
        school_key: str,
        start: date,
        end: date,
        kinds: Sequence[Counted],
        pupil_ids: Collection[str] | None = None,
    ) -> ListedDays:
        """One text a pupil of their day-level marks, each its day and the kinds that count
        it (`storage.listed_marks`), parsed only for the pupils read. With pupils, read by a
        seek each in the (school, pupil, day, ...) index, the ids bound as one value
        (`among`)."""
        m = AttendanceMarkRow
        kinds = [k for k in kinds if k in FILTERS]
        dialect = self.session.get_bind().dialect.name
        # "!" first where a day has two marks: only those pupils' days are compared.
        twice = case((func.count() > func.count(m.day.distinct()), "!"), else_="")
        listed = _listed(dialect, _mark(dialect, [and_(*FILTERS[k]) for k in kinds]))
        query = select(m.pupil_id, type_coerce(twice, String) + listed).where(
            m.school_key == school_key, m.day >= start, m.day <= end, m.lesson.is_(None)
        )
        if pupil_ids is not None:
            if not pupil_ids:
                return ListedDays({k: {} for k in kinds}, {})
            query = query.where(among(dialect, m.pupil_id, pupil_ids))
        texts: dict[str, str] = {
            pupil_id: text
            for pupil_id, text in await self.session.execute(query.group_by(m.pupil_id))
        }
        marks = ListedMarks(texts, kinds, Days())
        return ListedDays({k: KindDays(marks, k) for k in kinds}, DoubledDays(marks))

    async def marked_on(self, school_key: str, days: Collection[date]) -> set[str]:
        """Read by the (school, day) index: a few days, few marks (none in most schools). The
        SQLite planner, which expects each day to have a day's marks, would scan the covering
        (school, pupil, day, ...) index instead (0.4 s at 100,000 pupils): it is told."""
        found: set[str] = set()
        ordered = sorted(days)
        table = "attendance_marks"
        if self.session.get_bind().dialect.name == "sqlite":
            table += " INDEXED BY ix_attendance_marks_school_key_day"
        query = text(
            f"SELECT DISTINCT pupil_id FROM {table} WHERE school_key = :key "
            "AND day IN :days AND lesson IS NULL"
        ).bindparams(bindparam("days", expanding=True, type_=Date))
        for at in range(0, len(ordered), DAYS_PER_QUERY):
            result = await self.session.execute(
                query, {"key": school_key, "days": ordered[at : at + DAYS_PER_QUERY]}
            )
            found.update(pupil_id for (pupil_id,) in result)
        return found

    async def marks_of(
        self, school_key: str, start: date, end: date, pupil_ids: Collection[str]
    ) -> list[AttendanceMark]:
        # Plain rows, not ORM objects, built positionally: tens of thousands of pupils' marks
        # over a term.
        t = AttendanceMarkRow.__table__.c
        columns = (t.school_key, t.pupil_id, text_day(t.day), t.kind, t.lesson, t.explained)
        columns += (t.valid,)
        columns += (t.code, t.marked_by, t.minutes, t.source, t.id)
        days = Days()
        kinds = {k.value: k for k in MarkKind}
        sources = {s.value: s for s in MarkSource}
        found: list[AttendanceMark] = []
        ids = sorted(pupil_ids)
        for at in range(0, len(ids), PUPILS_PER_QUERY):
            query = (
                select(*columns)
                .where(
                    t.school_key == school_key,
                    t.day >= start,
                    t.day <= end,
                    t.pupil_id.in_(ids[at : at + PUPILS_PER_QUERY]),
                )
                .order_by(t.id)
            )
            found.extend(
                AttendanceMark(s, p, days[d], kinds[k], le, ex, v, c, by, mi, sources[so], i)
                for s, p, d, k, le, ex, v, c, by, mi, so, i in await self.session.execute(query)
            )
        return found

    async def taken_per_class(self, school_key: str, days: Collection[date]) -> dict[str, int]:
        r = RollCallRow
        query = (
            select(r.class_name, func.count())
            .where(
                r.school_key == school_key,
                r.day.in_(sorted(days)),
                r.status.in_(list(TAKEN)),
            )
            .group_by(r.class_name)
        )
        return {name: count for name, count in await self.session.execute(query)}

    async def taken_days(
        self, school_key: str, start: date, end: date, class_names: Collection[str]
    ) -> dict[tuple[str, date], RecordSource]:
        r = RollCallRow
        found: dict[tuple[str, date], RecordSource] = {}
        days = Days()
        names = sorted(class_names)
        for at in range(0, len(names), CLASSES_PER_QUERY):
            query = select(r.class_name, text_day(r.day), r.status).where(
                r.school_key == school_key,
                r.day >= start,
                r.day <= end,
                r.status.in_(list(TAKEN)),
                r.class_name.in_(names[at : at + CLASSES_PER_QUERY]),
            )
            for name, day, status in await self.session.execute(query):
                found[(name, days[day])] = TAKEN[status]
        return found
