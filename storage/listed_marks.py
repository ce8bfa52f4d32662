"""The day-level marks the nightly evaluation lists (`storage.thresholds.list_days`): one text
a pupil, each mark its day and a letter saying which kinds listed count it, parsed only for
the pupils the evaluation reads."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from routine.policy import Counted


class MarkDays(dict[str, date | None]):
    """A listed mark's day if one kind counts it, else None: decided once per distinct mark
    (a term's days times the letters), so a pupil's marks are read with a lookup each."""

    def __init__(self, bit: int, days: Mapping[str, date]) -> None:
        super().__init__()
        self._bit = bit
        self._days = days

    def __missing__(self, mark: str) -> date | None:
        counted = (ord(mark[-1]) - ord("A")) >> self._bit & 1
        day = self[mark] = self._days[mark[:-1]] if counted else None
        return day


class ListedMarks:
    """Each pupil's day-level marks as `list_days` lists them, one text a pupil: a mark is its
    day and a letter saying which of the kinds listed count it (`_mark`). Parsed only for
    the pupils read."""

    def __init__(
        self, texts: dict[str, str], kinds: Sequence[Counted], days: Mapping[str, date]
    ) -> None:
        """`days`: each day's text to its date (storage.thresholds.Days, parsing each once)."""
        self.texts = texts
        self._tables = {kind: MarkDays(bit, days) for bit, kind in enumerate(kinds)}
        self._days = days
        self._marks: dict[str, list[str]] = {}
        self._doubled: dict[str, frozenset[date]] = {}

    def marks(self, pupil_id: str) -> list[str]:
        found = self._marks.get(pupil_id)
        if found is None:
            found = self._marks[pupil_id] = sorted(self.texts[pupil_id].lstrip("!").split(","))
        return found

    def days(self, pupil_id: str, kind: Counted) -> tuple[date, ...]:
        table = self._tables[kind]
        return tuple(d for mark in self.marks(pupil_id) if (d := table[mark]) is not None)

    def doubled(self, pupil_id: str) -> frozenset[date]:
        """The pupil's days with two or more marks."""
        found = self._doubled.get(pupil_id)
        if found is None:
            found = frozenset()
            # The scan marked the text of a pupil with a day of two marks.
            if self.texts[pupil_id].startswith("!"):
                marks = self.marks(pupil_id)
                seen: set[str] = set()
                twice = {m[:-1] for m in marks if m[:-1] in seen or seen.add(m[:-1])}
                found = frozenset(self._days[d] for d in twice)
            self._doubled[pupil_id] = found
        return found


class KindDays(Mapping[str, tuple[date, ...]]):
    """The pupils' days with a mark of one kind listed, from `ListedMarks`."""

    def __init__(self, marks: ListedMarks, kind: Counted) -> None:
        self._marks = marks
        self._kind = kind

    def __getitem__(self, pupil_id: str) -> tuple[date, ...]:
        if pupil_id not in self._marks.texts:
            raise KeyError(pupil_id)
        return self._marks.days(pupil_id, self._kind)

    def get(self, pupil_id: str, default: Any = None) -> Any:
        # Without the KeyError a missing pupil would raise: most pupils are missing.
        if pupil_id not in self._marks.texts:
            return default
        return self._marks.days(pupil_id, self._kind)

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks.texts)

    def __len__(self) -> int:
        return len(self._marks.texts)


class DoubledDays(Mapping[str, frozenset[date]]):
    """The pupils with a day of two or more day-level marks, from `ListedMarks`."""

    def __init__(self, marks: ListedMarks) -> None:
        self._marks = marks

    def __getitem__(self, pupil_id: str) -> frozenset[date]:
        found = self.get(pupil_id)
        if found is None:
            raise KeyError(pupil_id)
        return found

    def get(self, pupil_id: str, default: Any = None) -> Any:
        if pupil_id not in self._marks.texts:
            return default
        return self._marks.doubled(pupil_id) or default

    def __iter__(self) -> Iterator[str]:
        return (p for p in self._marks.texts if self._marks.doubled(p))

    def __len__(self) -> int:
        return sum(1 for _ in self)
