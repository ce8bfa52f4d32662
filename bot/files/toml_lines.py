"""Where things are in the school file: the line of each key, for problems to point at."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

KeyPath = tuple[str | int, ...]


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_ARRAY_HEADER = re.compile(rf"\s*\[\[\s*({_DOTTED_KEY})\s*\]\]\s*(?:#.*)?$")
_TABLE_HEADER = re.compile(rf"\s*\[\s*({_DOTTED_KEY})\s*\]\s*(?:#.*)?$")
_KEY_LINE = re.compile(rf"\s*({_DOTTED_KEY})\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))


class LineLocator:
    """Maps a key path such as ``("staff", 2, "roles")`` to its line in the TOML text.

    tomllib gives no positions for values, so this scans the text for table headers, ``key =``
    lines and the elements of multi-line arrays. It only needs to understand valid TOML, since
    syntax errors are reported by tomllib with their own line.
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        self._array_counts: dict[KeyPath, int] = {}
        self._table: KeyPath = ()
        self._value = _ValueScanner(self._remember)
        for number, line in enumerate(text.splitlines(), start=1):
            self._scan_line(line, number)

    def line_of(self, path: KeyPath) -> int:
        """The line of the path, else of its nearest enclosing key or table, else line 1."""
        for length in range(len(path), 0, -1):
            if path[:length] in self._lines:
                return self._lines[path[:length]]
        return 1

    def _remember(self, path: KeyPath, line: int) -> None:
        self._lines.setdefault(path, line)

    def _scan_line(self, line: str, number: int) -> None:
        if self._value.inside:
            self._value.scan(line, number)
        elif match := _ARRAY_HEADER.match(line):
            self._table = self._header_path(_key_parts(match[1]), is_array=True)
            self._remember(self._table, number)
        elif match := _TABLE_HEADER.match(line):
            self._table = self._header_path(_key_parts(match[1]), is_array=False)
            self._remember(self._table, number)
        elif match := _KEY_LINE.match(line):
            path = self._table + _key_parts(match[1])
            self._remember(path, number)
            self._value.start(path, line[match.end() :], number)

    def _header_path(self, parts: tuple[str, ...], *, is_array: bool) -> KeyPath:
        # [[staff]] opens the next element of the staff array; a later [staff.x] belongs to it.
        path: KeyPath = ()
        for position, part in enumerate(parts):
            path += (part,)
            if is_array and position == len(parts) - 1:
                index = self._array_counts.get(path, 0)
                self._array_counts[path] = index + 1
                path += (index,)
            elif path in self._array_counts:
                path += (self._array_counts[path] - 1,)
        return path


@dataclass
class _ValueScanner:
    """Follows a value over lines: strings, brackets, and where each array element starts."""

    remember: Callable[[KeyPath, int], None]
    path: KeyPath = ()
    brackets: list[str] = field(default_factory=list)
    index: int = 0
    expect_element: bool = False
    closing_quotes: str | None = None

    @property
    def inside(self) -> bool:
        return bool(self.brackets) or self.closing_quotes is not None

    def start(self, path: KeyPath, text: str, line: int) -> None:
        self.path, self.brackets, self.index = path, [], 0
        self.expect_element, self.closing_quotes = False, None
        self.scan(text, line)

    def scan(self, text: str, line: int) -> None:
        at = 0
        while at < len(text):
            if self.closing_quotes:
                end = text.find(self.closing_quotes, at)
                if end < 0:
                    return
                at, self.closing_quotes = end + 3, None
                continue
            char = text[at]
            if char == "#":
                return
            if not char.isspace() and char not in ",]}":
                self._element_starts(line)
            at = self._step(text, at, char)

    def _step(self, text: str, at: int, char: str) -> int:
        if text.startswith(('"""', "'''"), at):
            self.closing_quotes = text[at : at + 3]
            return at + 3
        if char in "\"'":
            return _end_of_string(text, at)
        if char in "[{":
            self.brackets.append(char)
            self.expect_element = self.brackets == ["["]
        elif char in "]}" and self.brackets:
            self.brackets.pop()
        elif char == "," and self.brackets == ["["]:
            self.index += 1
            self.expect_element = True
        return at + 1

    def _element_starts(self, line: int) -> None:
        if self.expect_element and self.brackets == ["["]:
            self.remember((*self.path, self.index), line)
            self.expect_element = False


def _end_of_string(text: str, at: int) -> int:
    quote, at = text[at], at + 1
    while at < len(text) and text[at] != quote:
        at += 2 if quote == '"' and text[at] == "\\" else 1
    return at + 1
