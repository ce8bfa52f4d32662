"""The nightly scan's statement (`SqlThresholdQueries.scan_windows`): each pupil's day-level
marks of each window and kind counted in one read of the school's marks, grouped by pupil.

The counts are packed: up to `SLOTS` windows and kinds share one integer, a field of
`SLOT_BITS` bits each, and each mark adds its fields' ones in a single sum, its kind tested
once (a CASE on the kind, then the day and the validity or code the kind's counts need).
Measured on 1,000,000 marks in SQLite (bench/nightly.py, Norway's four windows and kinds):
a conditional sum for each took 0.54 s with bound constants (a sum repeated in HAVING was
computed twice: two bound parameters are never the same expression), 0.39 s with the constants
written into the statement, 0.31 s packed; the floor's plain count 0.19 s. Not on PostgreSQL,
which sums bigints as numeric: there a sum for each, with written constants, is faster.

A field holds at most 2**SLOT_BITS - 1: more marks than that for one pupil in the scan (never
in a school: two a day over a year is 400) would carry into the next field, so the scan also
counts each pupil's marks, and where one reaches the limit it is read again with a sum for each
window and kind (`unpacked`).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from functools import reduce
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
)

from routine.policy import Counted
from storage.orm import AttendanceMarkRow
from storage.scan_terms import FILTERS, KINDS, written

# 4 fields of 15 bits: 60 bits, so that a sum never passes a signed 64-bit integer (SQLite's
# and PostgreSQL's bigint).
SLOT_BITS = 15
SLOTS = 4
# A scan of at most these days reads the marks by their day (SQLite; `scan_query`).
SHORT_SCAN_DAYS = 45
_M = AttendanceMarkRow
Wanted = Sequence[tuple[date, Counted]]


def _day_test(start: date, first: date) -> list[ColumnElement[bool]]:
    # A window that starts with the scan needs no test of the day (a term's, a quarter's).
    return [_M.day >= written(start)] if start > first else []


def _packed_sum(chunk: Wanted, first: date) -> ColumnElement[Any]:
    """One sum of the chunk's fields: a mark adds 1 << (SLOT_BITS × its field) for each window
    and kind that counts it."""
    zero = written(0)
    by_kind: dict[str, list[ColumnElement[Any]]] = defaultdict(list)
    for slot, (start, counted) in enumerate(chunk):
        if counted not in FILTERS:
            continue
        # The kind is the CASE's; the rest of the filter and the day decide the field.
        rest = [*_day_test(start, first), *FILTERS[counted][1:]]
        one = written(1 << (SLOT_BITS * slot))
        by_kind[KINDS[counted]].append(case((and_(*rest), one), else_=zero) if rest else one)
    if not by_kind:
        return zero
    whens = [
        (_M.kind == written(kind), reduce(operator.add, terms))
        for kind, terms in sorted(by_kind.items())
    ]
    return func.sum(case(*whens, else_=zero))


def _field(total: ColumnElement[Any], slot: int) -> ColumnElement[Any]:
    shifted = total.op(">>")(written(SLOT_BITS * slot)) if slot else total
    return shifted.op("&")(written((1 << SLOT_BITS) - 1))


def _sums(wanted: Wanted, first: date) -> list[ColumnElement[Any]]:
    """A conditional sum for each window and kind (what a field of the packed sum counts)."""
    zero = written(0)
    return [
        func.sum(case((and_(*_day_test(start, first), *FILTERS[c]), written(1)), else_=zero))
        if c in FILTERS
        else zero
        for start, c in wanted
    ]


def scan_query(
    school_key: str,
    end: date,
    wanted: Wanted,
    dialect: str,
    twice: bool,
    least: Sequence[int] | None,
    packed: bool,
) -> Select[Any]:
    """The statement: pupil id, then (packed, SQLite only) a sum per chunk of `SLOTS` windows
    and kinds and the pupil's count of marks, or (not packed) a sum per window and kind; then
    with `twice` whether the pupil has a day of two marks. With `least`, only the pupils with
    some count at least its least."""
    assert not packed or dialect == "sqlite", "PostgreSQL would sum the fields as numeric"
    first = min(start for start, _ in wanted)
    if packed:
        chunks = [wanted[at : at + SLOTS] for at in range(0, len(wanted), SLOTS)]
        totals = [_packed_sum(chunk, first) for chunk in chunks]
        counts = [_field(totals[i // SLOTS], i % SLOTS) for i in range(len(wanted))]
        columns = [*totals, func.count()]
    else:
        counts = columns = _sums(wanted, first)
    # SQLite, a long scan (a term's): the range filters the (school, pupil, day, ...) index's
    # entries in pupil order, so the groups need no sorting and no table row is read; a plain
    # range would have the planner take the (school, day) index, read each row and sort them
    # all. A short one (Sweden's four weeks) is read faster that way: 0.11 s against 0.18 s
    # for 82,000 pupils' marks of 1,000,000 (bench/nightly.py).
    m = _M
    day: Any = m.day
    if dialect == "sqlite" and (end - first).days > SHORT_SCAN_DAYS:
        day = literal_column("+attendance_marks.day", Date)
    where = [m.school_key == school_key, day >= first, day <= end, m.lesson.is_(None)]
    if twice:
        columns = [*columns, func.count() > func.count(m.day.distinct())]
    else:
        where.append(m.kind.in_(sorted({KINDS[c] for _, c in wanted if c in KINDS})))
    query = select(m.pupil_id, *columns).where(*where).group_by(m.pupil_id)
    if least is not None and all(n > 0 for n in least):
        query = query.having(or_(*(c >= written(n) for c, n in zip(counts, least, strict=True))))
    return query


def unpack(rows: Sequence[Any], wanted: Wanted) -> list[dict[str, int]] | None:
    """Each window's and kind's counts by pupil from the packed statement's rows; None where a
    pupil's marks may have carried into the next field."""
    chunks = (len(wanted) + SLOTS - 1) // SLOTS
    pupils, *values = zip(*rows, strict=True)
    if max(values[chunks]) >= 1 << SLOT_BITS:
        return None
    mask = (1 << SLOT_BITS) - 1
    found = []
    for index in range(len(wanted)):
        shift, column = SLOT_BITS * (index % SLOTS), values[index // SLOTS]
        found.append(
            {p: n for p, total in zip(pupils, column, strict=True) if (n := total >> shift & mask)}
        )
    return found


def unpacked(rows: Sequence[Any], wanted: Wanted) -> list[dict[str, int]]:
    """The counts from the rows of the statement with a sum for each window and kind."""
    pupils, *values = zip(*rows, strict=True)
    return [
        {p: int(n) for p, n in zip(pupils, values[index], strict=True) if n}
        for index in range(len(wanted))
    ]
