"""The attendance register (CSV) from the school's own system: one row per absence, late
arrival or early leave, each problem on its line (docs/attendance-import.md)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from bot.files.reading import csv_columns, csv_file_records, did_you_mean, raise_if_any
from routine.model import MarkKind
from routine.register_import import RegisterRow
from routine.setup import Problem

REQUIRED_COLUMNS = ("date", "pupil_id", "kind", "code")
OPTIONAL_COLUMNS = ("lesson", "minutes")
MAX_MINUTES = 600
# Long files show how far the reading has come, this many records at a time.
PROGRESS_EVERY = 10_000

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KINDS = [kind.value for kind in MarkKind]

Progress = Callable[[int, int], None]


def parse_register_csv(
    path: Path,
    check: Callable[[Sequence[RegisterRow]], list[Problem]] | None = None,
    progress: Progress | None = None,
) -> list[RegisterRow]:
    """Read a register file; raises `InvalidInput` with every problem and its line.

    Given the school's `check` (`routine.register_import.register_check`: pupils, codes, school
    days), its problems are reported together with the file's, so that the operator can fix
    everything in one go. `progress(done, total)` is called every `PROGRESS_EVERY` records of a
    file longer than that."""
    problems: list[Problem] = []
    # Counted first, a chunk at a time, so that progress can say "of how many" while the
    # records themselves are read one at a time and never held as a whole.
    total = _records_upper_bound(path)
    records = csv_file_records(path, problems)
    first = next(records, None)
    if first is None:
        raise_if_any(problems or [Problem("the file is empty", 1)])
        return []
    header_line, header = first
    columns = _columns(header, header_line)
    shared = _Shared()
    rows = []
    done = 0
    for done, (line, fields) in enumerate(records, start=1):
        if (row := _row(line, fields, columns, problems, shared)) is not None:
            rows.append(row)
        if progress is not None and total > PROGRESS_EVERY and done % PROGRESS_EVERY == 0:
            progress(done, max(total, done))
    raise_if_any(problems + file_problems(rows) + (check(rows) if check is not None else []))
    return rows


def _columns(header: list[str], line: int) -> list[str]:
    return csv_columns(header, line, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def _records_upper_bound(path: Path) -> int:
    """The file's non-blank lines after the header: its records, unless a quoted value spans
    lines (a problem of its own). Only for progress, read without holding the file."""
    try:
        with path.open("rb") as file:
            return max(0, sum(1 for line in file if line.strip()) - 1)
    except OSError:
        return 0  # the reading says why


class _Shared:
    """One object for each pupil id, day and code however often rows repeat it: a year's
    register names each pupil and day hundreds of times, and its rows are all kept."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.days: dict[str, date] = {}

    def string(self, value: str) -> str:
        return self.strings.setdefault(value, value)


def _row(
    line: int, fields: list[str], columns: list[str], problems: list[Problem], shared: _Shared
) -> RegisterRow | None:
    if len(fields) != len(columns):
        problems.append(
            Problem(f"expected {len(columns)} values as in the header, found {len(fields)}", line)
        )
        return None
    values = {column: value.strip() for column, value in zip(columns, fields, strict=True)}
    before = len(problems)
    empty = [column for column in ("date", "pupil_id", "kind") if not values[column]]
    if empty:
        problems.append(Problem(f"empty value in {', '.join(empty)}", line))
    broken = [column for column, value in values.items() if "\n" in value or "\r" in value]
    if broken:
        problems.append(Problem(f"line break inside the value of {', '.join(broken)}", line))
    day = _date(values["date"], line, problems, shared.days)
    kind = _kind(values["kind"], line, problems)
    minutes = _minutes(values.get("minutes", ""), line, problems)
    if len(problems) > before or day is None or kind is None:
        return None
    return RegisterRow(
        line=line,
        day=day,
        pupil_id=shared.string(values["pupil_id"]),
        kind=kind,
        code=shared.string(values["code"]) or None,
        lesson=shared.string(values.get("lesson", "")) or None,
        minutes=minutes,
    )


def _date(value: str, line: int, problems: list[Problem], seen: dict[str, date]) -> date | None:
    if (day := seen.get(value)) is not None:
        return day
    day = _parsed_date(value, line, problems)
    if day is not None:
        seen[value] = day
    return day


def _parsed_date(value: str, line: int, problems: list[Problem]) -> date | None:
    if not value:
        return None  # reported as an empty value
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(Problem(f"date {value!r} is not a date as YYYY-MM-DD", line))
    return None


def _kind(value: str, line: int, problems: list[Problem]) -> MarkKind | None:
    if not value:
        return None  # reported as an empty value
    try:
        return MarkKind(value.lower())
    except ValueError:
        hint = did_you_mean(value.lower(), _KINDS)
        problems.append(Problem(f"kind {value!r} is not one of {', '.join(_KINDS)}{hint}", line))
        return None


def _minutes(value: str, line: int, problems: list[Problem]) -> int | None:
    if not value:
        return None
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_MINUTES:
        return int(value)
    problems.append(
        Problem(f"minutes {value!r} is not a whole number from 1 to {MAX_MINUTES}", line)
    )
    return None


def file_problems(rows: list[RegisterRow]) -> list[Problem]:
    """Rows that repeat or contradict an earlier row: the same pupil, day, kind and lesson
    twice, or absent for the whole day and also late or leaving early that day.

    A first look keeps a number per row's key and per pupil's day, not the rows' keys: a year's
    register has a million. A number seen twice (or a day both absent and not) makes its rows
    suspects, and the exact checks run on those rows only, so the messages are as ever. Two
    keys with one number only make more suspects."""
    keys: set[int] = set()
    days: dict[int, int] = {}
    suspect_keys: set[int] = set()
    suspect_days: set[int] = set()
    for row in rows:
        key = _number(row.key)
        if key in keys:
            suspect_keys.add(key)
        keys.add(key)
        if row.lesson is None:
            day = _number((row.pupil_id, row.day))
            seen = days[day] = days.get(day, 0) | (
                _ABSENT if row.kind is MarkKind.ABSENT else _OTHER
            )
            if seen == _ABSENT | _OTHER:
                suspect_days.add(day)
    if not (suspect_keys or suspect_days):
        return []
    del keys, days
    return _exact_file_problems(
        [
            row
            for row in rows
            if _number(row.key) in suspect_keys
            or (row.lesson is None and _number((row.pupil_id, row.day)) in suspect_days)
        ]
    )


_ABSENT, _OTHER = 1, 2


def _number(value: object) -> int:
    return hash(value)


def _exact_file_problems(rows: list[RegisterRow]) -> list[Problem]:
    """`file_problems`' exact checks, on the suspects' rows."""
    first: dict[tuple, int] = {}
    whole_day: dict[tuple, tuple[RegisterRow, ...]] = {}
    problems = []
    for row in rows:
        if row.key in first:
            problems.append(
                Problem(
                    f"pupil {row.pupil_id} on {row.day} ({row.kind.value}"
                    f"{', lesson ' + row.lesson if row.lesson else ''}) is already on line"
                    f" {first[row.key]}",
                    row.line,
                )
            )
            continue
        first[row.key] = row.line
        if row.lesson is None:
            whole_day[(row.pupil_id, row.day)] = (
                *whole_day.get((row.pupil_id, row.day), ()),
                row,
            )
    for day_rows in whole_day.values():
        absent = next((r for r in day_rows if r.kind is MarkKind.ABSENT), None)
        if absent is None:
            continue
        for other in day_rows:
            if other is not absent:
                problems.append(
                    Problem(
                        f"pupil {other.pupil_id} is absent all of {other.day} on line"
                        f" {absent.line}, so cannot be {other.kind.value.replace('_', ' ')}",
                        other.line,
                    )
                )
    return problems
