"""The roster (CSV): one row per pupil and guardian, each problem on its line."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.files.reading import (
    CONTROL_CHARACTER,
    csv_columns,
    csv_file_records,
    raise_if_any,
)
from routine.model import Language
from routine.roster import roster_problems
from routine.setup import Problem, RosterRow

REQUIRED_COLUMNS = (
    "class",
    "pupil_id",
    "pupil_name",
    "guardian_id",
    "guardian_name",
    "guardian_language",
)
OPTIONAL_COLUMNS = ("guardian_phone", "guardian_email")

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,}")


def parse_roster_csv(path: Path, class_names: Iterable[str] | None = None) -> list[RosterRow]:
    """Read a roster; raises `InvalidInput` with every problem and its line.

    Given the school's classes, rows naming another class are problems too, reported together
    with the rest so that the operator can fix everything in one go."""
    problems: list[Problem] = []
    records = csv_file_records(path, problems)
    first = next(records, None)
    if first is None:
        raise_if_any(problems or [Problem("the file is empty", 1)])
        return []
    header_line, header = first
    columns = _columns(header, header_line)
    # Rows name a few hundred classes again and again: one string for each, not one a row.
    same = {name: name for name in class_names or ()}
    rows, count = [], 0
    for count, (line, fields) in enumerate(records, start=1):  # noqa: B007 (count after)
        if row := _row(line, fields, columns, problems, same):
            rows.append(row)
    if count == 0:
        problems.append(Problem("the file has a header but no pupils", header_line))
    raise_if_any(problems + roster_problems(rows, class_names))
    return rows


def _columns(header: list[str], line: int) -> list[str]:
    return csv_columns(header, line, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def _row(
    line: int,
    fields: list[str],
    columns: list[str],
    problems: list[Problem],
    same: dict[str, str],
) -> RosterRow | None:
    if len(fields) != len(columns):
        problems.append(
            Problem(f"expected {len(columns)} values as in the header, found {len(fields)}", line)
        )
        return None
    values = {column: value.strip() for column, value in zip(columns, fields, strict=True)}
    before = len(problems)
    empty = [column for column in REQUIRED_COLUMNS if not values[column]]
    if empty:
        problems.append(Problem(f"empty value in {', '.join(empty)}", line))
    # A quoted value may hold a line break, but a name or id with one is a broken export.
    broken = [column for column, value in values.items() if "\n" in value or "\r" in value]
    if broken:
        problems.append(Problem(f"line break inside the value of {', '.join(broken)}", line))
    controlled = [
        column
        for column, value in values.items()
        if column not in broken and CONTROL_CHARACTER.search(value)
    ]
    if controlled:
        problems.append(
            Problem(f"control character inside the value of {', '.join(controlled)}", line)
        )
    language = _guardian_language(values["guardian_language"], line, problems)
    phone, email = values.get("guardian_phone", ""), values.get("guardian_email", "")
    if phone and not _PHONE.fullmatch(phone):
        problems.append(Problem(f"guardian_phone {phone!r} is not a phone number", line))
    if email and not _EMAIL.fullmatch(email):
        problems.append(Problem(f"guardian_email {email!r} is not an e-mail address", line))
    if len(problems) > before:
        return None
    return RosterRow(
        line=line,
        class_name=same.get(values["class"], values["class"]),
        pupil_id=values["pupil_id"],
        pupil_name=values["pupil_name"],
        guardian_id=values["guardian_id"],
        guardian_name=values["guardian_name"],
        guardian_language=language,
        guardian_phone=phone,
        guardian_email=email,
    )


def _guardian_language(value: str, line: int, problems: list[Problem]) -> Language | None:
    if not value:
        return None  # reported as an empty value
    try:
        return Language.parse(value)
    except ValueError:
        choices = ", ".join(language.value for language in Language)
        problems.append(Problem(f"guardian_language {value!r} is not one of {choices}", line))
        return None
