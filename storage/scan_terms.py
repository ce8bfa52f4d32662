"""The terms the nightly reads of the marks are written with (`storage.thresholds`,
`storage.window_scan`): which day-level marks each kind of day counts, and constants written
into a statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Date, String, literal_column

from routine.policy import Counted
from routine.thresholds import ILLNESS_CODE
from storage.orm import AttendanceMarkRow

_M = AttendanceMarkRow


def written(value: str | int | date) -> ColumnElement[Any]:
    """A constant of the code or a day, written into the statement rather than bound. The
    scan repeats its sums in its HAVING: SQLite and PostgreSQL compute a sum once where its
    two writings are the same expression, but two bound parameters are never the same
    (`storage.window_scan`). Only the code's constants and days: never a user's text."""
    if isinstance(value, int):
        return literal_column(str(int(value)))
    if isinstance(value, date):
        return literal_column(f"'{value.isoformat()}'", Date)
    return literal_column("'" + value.replace("'", "''") + "'", String)


ABSENT, LATE = written("absent"), written("late")
# Which marks count for each kind of day: a filter, so only those rows are grouped.
FILTERS: dict[Counted, tuple[Any, ...]] = {
    Counted.ABSENCE: (_M.kind == ABSENT,),
    Counted.SINGLE_DAYS: (_M.kind == ABSENT,),
    Counted.INVALID: (_M.kind == ABSENT, _M.valid.is_(False)),
    Counted.VALID: (_M.kind == ABSENT, _M.valid.is_(True)),
    Counted.LATE: (_M.kind == LATE,),
    Counted.ILLNESS: (_M.kind == ABSENT, _M.code == written(ILLNESS_CODE)),
}


# The kind of mark each counts: the scan of all windows reads only those.
KINDS = {counted: "late" if counted is Counted.LATE else "absent" for counted in FILTERS}
