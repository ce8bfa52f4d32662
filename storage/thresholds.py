"""The nightly rules' aggregates: per pupil, a count of each window's marks of each kind.

Measured (bench/nightly.py, docs/performance.md): grouping the marks without joining the
pupils, and reading them once for every window and kind (`count_windows`, a conditional sum
each) rather than once per window and kind, keeps the counting near the cost of one plain
count.

`scan_windows` is what the nightly evaluation reads: `count_windows`, and in the same statement
the marks of the pupils near a rule that counts marked days (bench/nightly.py).

`count_days` and `count_windows` count each pupil's day-level marks of the kind a rule counts
(absent, invalid, valid, late, illness) in the window; `routine.evaluation` builds the full
record only for the pupils these counts say a rule may hit, and for those whose window also
has a report, leave, a correction or a judgement.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
)

from routine.model import AttendanceMark, MarkKind, MarkSource
from routine.policy import Counted
from routine.record import RecordSource
from routine.roll_call import RollCallStatus
from routine.thresholds import ILLNESS_CODE, WindowScan
from storage.listed_marks import DoubledDays, KindDays, ListedMarks
from storage.orm import AttendanceMarkRow, PupilRow, RollCallRow
from storage.repositories import _Repository

TAKEN = {
    RollCallStatus.SUBMITTED.value: RecordSource.ROLL_CALL,
    RollCallStatus.IMPORTED.value: RecordSource.IMPORT,
}
CLASSES_PER_QUERY = 2000
PUPILS_PER_QUERY = 2000
_M = AttendanceMarkRow
# Which marks count for each kind of day: a filter, so only those rows are grouped.
FILTERS: dict[Counted, tuple[Any, ...]] = {
    Counted.ABSENCE: (_M.kind == "absent",),
    Counted.SINGLE_DAYS: (_M.kind == "absent",),
    Counted.INVALID: (_M.kind == "absent", _M.valid.is_(False)),
    Counted.VALID: (_M.kind == "absent", _M.valid.is_(True)),
    Counted.LATE: (_M.kind == "late",),
    Counted.ILLNESS: (_M.kind == "absent", _M.code == ILLNESS_CODE),
}


# The kind of mark each counts: the scan of all windows reads only those.
KINDS = {counted: "late" if counted is Counted.LATE else "absent" for counted in FILTERS}


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


class SqlThresholdQueries(_Repository):
    async def active_classes(self, school_key: str) -> dict[str, str]:
        table = PupilRow.__table__
        query = select(table.c.pupil_id, table.c.class_name).where(
            table.c.school_key == school_key, table.c.active.is_(True)
        )
        return {pupil_id: name for pupil_id, name in await self.session.execute(query)}

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
        listed: Collection[tuple[date, Counted, int]] = (),
    ) -> WindowScan:
        """`count_windows`, and the marks of the pupils whose count of a (start, kind) listed
        reaches its least, in the same statement.

        One scan of the school's day-level marks from the earliest start, grouped by pupil: a
        conditional sum for each window and kind. Then, for each pupil whose count reaches a
        least listed (and only for those: a rule that may hit them needs their days, and most
        schools' pupils are far from a threshold), one text of their day-level marks from the
        earliest start, each its day and the kinds listed that count it, read by a seek in the
        (school, pupil, day, ...) index. Every day-level mark is listed, so that a day of two
        marks shows."""
        m = AttendanceMarkRow
        if not wanted:
            return WindowScan([])
        kinds = [k for k in sorted({counted for _, counted, _ in listed}) if k in FILTERS]
        first = min(start for start, _ in wanted)
        dialect = self.session.get_bind().dialect.name
        columns: list[ColumnElement[Any]] = [
            func.sum(case((and_(m.day >= start, *FILTERS[counted]), 1), else_=0))
            if counted in FILTERS
            else literal(0)
            for start, counted in wanted
        ]
        # SQLite: the range filters the (school, pupil, day, ...) index's entries in pupil
        # order, so the groups need no sorting and no table row is read; a plain range would
        # have the planner take the (school, day) index, read each row and sort them all.
        day: Any = literal_column("+attendance_marks.day", Date) if dialect == "sqlite" else m.day
        where = [m.school_key == school_key, day >= first, day <= end, m.lesson.is_(None)]
        if not kinds:
            where.append(m.kind.in_(sorted({KINDS[c] for _, c in wanted if c in KINDS})))
        counted = (
            select(
                m.pupil_id.label("pupil_id"),
                *(column.label(f"n{index}") for index, column in enumerate(columns)),
            )
            .where(*where)
            .group_by(m.pupil_id)
            .subquery("counted")
        )
        outer: list[ColumnElement[Any]] = [counted.c[f"n{i}"] for i in range(len(wanted))]
        if kinds:
            reaches = [
                counted.c[f"n{wanted.index((start, kind))}"] >= least
                for start, kind, least in listed
                if kind in FILTERS
            ]
            # "!" first where a day has two marks: only those pupils' days are compared.
            twice = case((func.count() > func.count(m.day.distinct()), "!"), else_="")
            listed_marks = _listed(dialect, _mark(dialect, [and_(*FILTERS[k]) for k in kinds]))
            marks_of = (
                select(type_coerce(twice, String) + listed_marks)
                .where(
                    m.school_key == school_key,
                    m.pupil_id == counted.c.pupil_id,
                    m.day >= first,
                    m.day <= end,
                    m.lesson.is_(None),
                )
                .scalar_subquery()
            )
            outer.append(case((or_(*reaches), marks_of)))
        counts: list[dict[str, int]] = [{} for _ in wanted]
        texts: dict[str, str] = {}
        query = select(counted.c.pupil_id, *outer)
        for pupil_id, *values in await self.session.execute(query):
            for index, count in enumerate(values[: len(wanted)]):
                if count:
                    counts[index][pupil_id] = int(count)
            if kinds and values[-1]:
                texts[pupil_id] = values[-1]
        marks = ListedMarks(texts, kinds, Days())
        return WindowScan(counts, {k: KindDays(marks, k) for k in kinds}, DoubledDays(marks))

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
