"""What both readers share: the file as UTF-8 text, its problems by line, "did you mean" hints."""

from __future__ import annotations

import _csv
import csv
import difflib
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from routine.setup import InvalidInput, Problem

# C0 controls and DEL: never part of a name or an id, and PostgreSQL refuses NUL outright.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InvalidInput([Problem(f"cannot read {path}: {error.strerror}")]) from error
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = (
            f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x} cannot be read);"
            " save it as UTF-8, in Excel as 'CSV UTF-8'"
        )
        raise InvalidInput([Problem(message, line)]) from error
    # Windows editors and Excel put a byte order mark first; it is not part of the content.
    return text.removeprefix("\ufeff")


def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise InvalidInput(sorted(problems, key=lambda p: p.line or 0))


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def csv_records(text: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on; a quoted value may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    yield from _records(reader, problems)


def csv_file_records(path: Path, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """`csv_records` of a file read as it goes: a municipality's file of a million lines is
    never held whole, neither as text nor as records. Its problems are the same, by line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            delimiter = csv_delimiter(next((line for line in file if line.strip()), ""))
            file.seek(0)
            yield from _records(csv.reader(file, delimiter=delimiter), problems)
    except UnicodeDecodeError:
        read_text(path)  # which finds the line of the bytes that cannot be read, and says so
        raise
    except OSError as error:
        raise InvalidInput([Problem(f"cannot read {path}: {error.strerror}")]) from error


def _records(reader: _csv.Reader, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of a csv reader, each with the line it starts on; a record that
    cannot be read ends the reading with a problem on its line."""
    start = 1
    try:
        for fields in reader:
            if any(value.strip() for value in fields):
                yield start, fields
            start = reader.line_num + 1
    except csv.Error as error:
        problems.append(Problem(f"not readable as CSV: {error}", reader.line_num))


def csv_delimiter(text: str) -> str:
    # Excel in the Nordics saves "CSV" with semicolons, because the comma is the decimal mark.
    header = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def csv_columns(
    header: list[str], line: int, required: Sequence[str], optional: Sequence[str]
) -> list[str]:
    """The header's column names, lower case; every problem with them on the header's line.
    Rows cannot be read without knowing the columns, so a problem here stops the reading."""
    names = [name.strip().lower() for name in header]
    known = [*required, *optional]
    problems = [
        Problem(f"missing column {name!r}", line) for name in required if name not in names
    ]
    for position, name in enumerate(names, start=1):
        if not name:
            problems.append(Problem(f"column {position} has no name", line))
        elif name not in known:
            hint = did_you_mean(name, known)
            problems.append(Problem(f"unknown column {name!r}{hint}", line))
        elif names.index(name) != position - 1:
            problems.append(Problem(f"column {name!r} appears twice", line))
    raise_if_any(problems)
    return names
