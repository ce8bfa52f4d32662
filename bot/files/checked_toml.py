"""Reading a parsed TOML file key by key: each typed value checked, every problem noted with
its line, so an operator sees all of them at once. The school file's sections build on this."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from bot.files.reading import CONTROL_CHARACTER, did_you_mean
from bot.files.toml_lines import KeyPath, LineLocator
from routine.model import Language
from routine.setup import InvalidInput, Problem

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A school file has tables two deep at most; much deeper is no school file, and Python's
# TOML reader recurses once per level (thousands of levels raise RecursionError).
DEEPEST_NESTING = 32


def load_toml(text: str) -> dict[str, Any]:
    too_deep = _line_too_deep(text)
    if too_deep is not None:
        message = f"nested more than {DEEPEST_NESTING} levels deep: no school file is"
        raise InvalidInput([Problem(message, too_deep)])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput([_toml_problem(str(error), text)]) from error
    except RecursionError:
        # Nesting the scan above did not see (it is deliberately simple): no line to show.
        raise InvalidInput([Problem("nested too deeply to read", 1)]) from None


def _line_too_deep(text: str) -> int | None:
    """The line where arrays and inline tables open more than `DEEPEST_NESTING` levels deep,
    if they do. Skips strings and comments; invalid TOML is tomllib's to report."""
    depth, line, at, quote = 0, 1, 0, ""
    while at < len(text):
        char = text[at]
        if char == "\n":
            line += 1
        if quote:
            if text.startswith(quote, at):
                at, quote = at + len(quote), ""
                continue
            if char == "\\" and quote[0] == '"':
                # An escape: the next character is part of it (a line break still counts).
                line += text[at + 1 : at + 2] == "\n"
                at += 1
            at += 1
            continue
        if char == "#":
            end = text.find("\n", at)
            at = len(text) if end < 0 else end
            continue
        if char in "\"'":
            quote = text[at : at + 3] if text.startswith(char * 3, at) else char
            at += len(quote)
            continue
        if char in "[{":
            depth += 1
            if depth > DEEPEST_NESTING:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        at += 1
    return None


def _toml_problem(message: str, text: str) -> Problem:
    # tomllib puts the position in the message: "Invalid value (at line 3, column 9)".
    if match := re.search(r" \(at line (\d+), column \d+\)$", message):
        return Problem(f"not valid TOML: {message[: match.start()]}", int(match[1]))
    if message.endswith(" (at end of document)"):
        last_line = max(1, len(text.splitlines()))
        reason = message.removesuffix(" (at end of document)")
        return Problem(f"not valid TOML: {reason}", last_line)
    return Problem(f"not valid TOML: {message}", 1)


class CheckedToml:
    """Notes every problem of a parsed TOML table; each typed read returns None (or the
    default) after noting one. `top_keys` are the keys that belong before the first table,
    `most` the largest sensible value of each count."""

    def __init__(
        self,
        data: dict[str, Any],
        locator: LineLocator,
        *,
        top_keys: tuple[str, ...] = (),
        most: Mapping[str, int] | None = None,
    ) -> None:
        self.data = data
        self.locator = locator
        self.top_keys = top_keys
        self.most = dict(most or {})
        self.problems: list[Problem] = []

    # Reporting

    def _report(self, path: KeyPath, message: str) -> None:
        where = ".".join(str(part) for part in path if isinstance(part, str))
        text = f"{where}: {message}" if where else message
        self.problems.append(Problem(text, self.locator.line_of(path)))

    def _control_characters(self, value: object, path: KeyPath) -> None:
        """Every key and string anywhere in the file, however deep, without control
        characters (TOML's escapes, such as \\u0000 or \\t, can write them)."""
        if isinstance(value, dict):
            for key, item in value.items():
                if CONTROL_CHARACTER.search(key):
                    self._report(path, f"the key {key!r} contains a control character")
                self._control_characters(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._control_characters(item, (*path, index))
        elif isinstance(value, str) and (found := CONTROL_CHARACTER.search(value)):
            self._report(
                path,
                f"contains a control character (U+{ord(found[0]):04X}), which no name or id "
                "may hold; remove it",
            )

    def _unknown_keys(
        self, table: dict[str, Any], path: KeyPath, allowed: tuple[str, ...]
    ) -> None:
        for key in table:
            if key in allowed:
                continue
            hint = did_you_mean(key, list(allowed))
            if path and key in self.top_keys:
                hint = f"; {key!r} belongs at the top of the file, before the first [table]"
            self._report((*path, key), f"unknown key {key!r}{hint}")

    def _missing(self, path: KeyPath, key: str) -> None:
        self._report(path, f"missing required key {key!r}")

    # Typed values: each returns None after reporting a problem

    def _value(self, table: dict[str, Any], path: KeyPath, key: str, required: bool) -> Any:
        if key not in table and required:
            self._missing(path, key)
        return table.get(key)

    def _string(
        self, table: dict[str, Any], path: KeyPath, key: str, *, required: bool = True
    ) -> str | None:
        value = self._value(table, path, key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type((*path, key), "a string", value)
            return None
        if not value.strip():
            self._report((*path, key), "must not be empty")
            return None
        return value.strip()

    def _strings(
        self, table: dict[str, Any], path: KeyPath, key: str, required: bool
    ) -> list[str] | None:
        value = self._value(table, path, key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self._wrong_type((*path, key), "a list of strings", value)
            return None
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self._report((*path, key, index), f"must be a non-empty string, not {item!r}")
            else:
                found.append(item.strip())
        return found if len(found) == len(value) else None

    def _bool(self, table: dict[str, Any], path: KeyPath, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self._wrong_type((*path, key), "true or false", value)
            return default
        return value

    def _table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self._wrong_type((key,), "a table", value)
            return {}
        return value

    def _wrong_type(self, path: KeyPath, expected: str, value: object) -> None:
        self._report(path, f"must be {expected}, not {_described(value)}")

    def _date(self, value: object, path: KeyPath) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self._report(path, f"must be a date such as 2026-08-17, not {value!r}")
        return None

    def _language(
        self, table: dict[str, Any], path: KeyPath, default: Language | None
    ) -> Language | None:
        value = self._string(table, path, "language", required=False)
        if value is None:
            return default
        try:
            return Language.parse(value)
        except ValueError:
            choices = ", ".join(language.value for language in Language)
            self._report((*path, "language"), f"unknown language {value!r}; use one of {choices}")
            return default

    def _clock(self, table: dict[str, Any], path: KeyPath, key: str, default: time) -> time:
        value = table.get(key)
        if value is None:
            return default
        if isinstance(value, time) and value.tzinfo is None:
            return value
        if isinstance(value, str) and (match := _CLOCK.fullmatch(value.strip())):
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        self._report((*path, key), f'must be a time of day such as "08:15", not {value!r}')
        return default

    def _array_of_tables(self, table: dict[str, Any], path: KeyPath) -> list[dict[str, Any]]:
        value = table.get(path[-1], [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._wrong_type(path, f"tables written [[{'.'.join(map(str, path))}]]", value)
            return []
        return value

    def _count(self, table: dict[str, Any], path: KeyPath, key: str, default: int) -> int:
        value = table.get(key, default)
        most = self.most[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            self._report((*path, key), f"must be a whole number from 1 to {most}, not {value!r}")
            return default
        return value


def _described(value: object) -> str:
    # Scalars are shown so the operator sees what was read; tables and arrays would be noise.
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    names |= {date: "date", datetime: "date-time", time: "time"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}"
