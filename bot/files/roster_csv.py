"""The roster (CSV): one row per pupil and guardian, each problem on its line."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.files.reading import (
    CONTROL_CHARACTER,
    csv_columns,
    csv_file_records,
    raise_if_any,
)
from routine.model import Language
from routine.roster_checks import RosterTally
from routine.setup import InvalidInput, Problem, RosterRow

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
    roster, _tally = check_roster_csv(path, class_names)
    return list(roster)


def check_roster_csv(
    path: Path, class_names: Iterable[str] | None = None
) -> tuple[RosterFile, RosterTally]:
    """`parse_roster_csv`'s checks, keeping no rows: the file, to read its rows again when they
    are written, and the tally of its checks (`routine.roster_checks.RosterTally`)."""
    names = list(class_names) if class_names is not None else None
    roster = RosterFile(path, names)
    problems: list[Problem] = []
    tally = RosterTally(_FirstThen(roster.rows(problems), roster), names)
    raise_if_any(problems + tally.problems)
    roster.checked = True
    return roster, tally


class RosterFile:
    """A roster's valid rows, read from the file each time they are iterated: a municipality's
    million lines are never all held. Iterate it once checked (`check_roster_csv`)."""

    def __init__(self, path: Path, class_names: Iterable[str] | None = None) -> None:
        self.path = path
        self.stamp = _stamp(path)
        # Rows name a few hundred classes again and again: one string for each, not one a row.
        self.same = {name: name for name in class_names or ()}
        self.checked = False

    def __iter__(self) -> Iterator[RosterRow]:
        return self.rows([])

    def rows(self, problems: list[Problem]) -> Iterator[RosterRow]:
        """The valid rows; every problem of the file goes to `problems`, with its line. Once
        the file is checked and found whole, its rows are read again without the checks
        (what they found is the same as long as the file is)."""
        languages: dict[str, Language] = {}
        records = csv_file_records(self.path, problems)
        first = next(records, None)
        if first is None:
            raise_if_any(problems or [Problem("the file is empty", 1)])
            return
        header_line, header = first
        columns = _columns(header, header_line)
        count = 0
        for count, (line, fields) in enumerate(records, start=1):  # noqa: B007 (count after)
            if self.checked:
                yield _checked_row(line, fields, columns, self.same, languages)
            elif row := _row(line, fields, columns, problems, self.same, languages):
                yield row
        if count == 0:
            problems.append(Problem("the file has a header but no pupils", header_line))
        if _stamp(self.path) != self.stamp:
            # What was checked is not what was read: nothing may be written from it.
            raise InvalidInput(
                [Problem("the file changed while it was imported; import it again")]
            )


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None  # the reading says why
    return status.st_size, status.st_mtime_ns


class _FirstThen:
    """The rows being read once more, then the file again: the checks read the rows twice when
    something is suspect, and the first reading also collects the file's own problems."""

    def __init__(self, first: Iterator[RosterRow], again: RosterFile) -> None:
        self.first: Iterator[RosterRow] | None = first
        self.again = again

    def __iter__(self) -> Iterator[RosterRow]:
        first, self.first = self.first, None
        return first if first is not None else iter(self.again)


def _columns(header: list[str], line: int) -> list[str]:
    return csv_columns(header, line, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)


def _row(
    line: int,
    fields: list[str],
    columns: list[str],
    problems: list[Problem],
    same: dict[str, str],
    languages: dict[str, Language],
) -> RosterRow | None:
    """The row, or None with its problems told. `same` holds the school's class names, so that
    rows share them; `languages`, the languages already read."""
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
    # One look at the whole line first: a line of a million without one is the usual case.
    if CONTROL_CHARACTER.search(" ".join(values.values())):
        _control_characters(line, values, problems)
    language = languages.get(values["guardian_language"])
    if language is None:
        language = _guardian_language(values["guardian_language"], line, problems)
    phone, email = values.get("guardian_phone", ""), values.get("guardian_email", "")
    if phone and not _PHONE.fullmatch(phone):
        problems.append(Problem(f"guardian_phone {phone!r} is not a phone number", line))
    if email and not _EMAIL.fullmatch(email):
        problems.append(Problem(f"guardian_email {email!r} is not an e-mail address", line))
    if len(problems) > before:
        return None
    if language is not None:
        languages[values["guardian_language"]] = language
    return _roster_row(line, values, same, language)


def _checked_row(
    line: int,
    fields: list[str],
    columns: list[str],
    same: dict[str, str],
    languages: dict[str, Language],
) -> RosterRow:
    """`_row` of a row it has found whole: the same row, without looking for problems."""
    values = {column: value.strip() for column, value in zip(columns, fields, strict=True)}
    language = languages.get(values["guardian_language"])
    if language is None:
        language = languages[values["guardian_language"]] = Language.parse(
            values["guardian_language"]
        )
    return _roster_row(line, values, same, language)


def _roster_row(
    line: int, values: dict[str, str], same: dict[str, str], language: Language
) -> RosterRow:
    """The row of a line's values, found good; its class name shared with the school's."""
    return RosterRow(
        line=line,
        class_name=same.get(values["class"], values["class"]),
        pupil_id=values["pupil_id"],
        pupil_name=values["pupil_name"],
        guardian_id=values["guardian_id"],
        guardian_name=values["guardian_name"],
        guardian_language=language,
        guardian_phone=values.get("guardian_phone", ""),
        guardian_email=values.get("guardian_email", ""),
    )


def _control_characters(line: int, values: dict[str, str], problems: list[Problem]) -> None:
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


def _guardian_language(value: str, line: int, problems: list[Problem]) -> Language | None:
    if not value:
        return None  # reported as an empty value
    try:
        return Language.parse(value)
    except ValueError:
        choices = ", ".join(language.value for language in Language)
        problems.append(Problem(f"guardian_language {value!r} is not one of {choices}", line))
        return None
