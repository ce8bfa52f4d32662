"""The roster's checks before anything is written: rows that contradict each other, pupil and
guardian pairs listed twice, and classes the school does not have.

The file parser runs them too (`roster_problems`), so the operator sees these problems, each on
its line, before applying.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter

from routine.setup import Problem, RosterRow


def roster_problems(
    rows: Iterable[RosterRow], class_names: Iterable[str] | None = None
) -> list[Problem]:
    """Rows that contradict each other, and, given the school's classes, rows with other classes.

    The file parser runs this too, so the operator sees these problems before applying. `rows`
    may be read twice (a list, or a file read again): see `RosterTally`."""
    return RosterTally(rows, class_names).problems


class RosterTally:
    """The roster's checks in a pass that keeps a number per person and per pair, never the
    rows: a municipality's roster of a million lines is checked in the memory of its keys.

    A person's number stands for what their first line said. A line saying something else, or
    a pair seen twice, makes its person or pair a suspect; only then are the rows read a second
    time, keeping just the suspects' lines, and the exact checks below run on those, so every
    message names both lines as ever. Two different ids or pairs with the same 64-bit number
    only make one more suspect; two different sayings of one person's with the same number
    would hide a conflict, a chance of 1 in 2**64 per line.

    `ends` tells the importer, for each guardian number on more than one row, the position of
    its last row: there a guardian's pupils are all known and it can be written.
    """

    def __init__(self, rows: Iterable[RosterRow], class_names: Iterable[str] | None) -> None:
        pupils: dict[int, int] = {}
        # A guardian's number: what their first line said (high bits) and its pupil (low).
        guardians: dict[int, int] = {}
        # Pairs of guardians on more than one row: only those can repeat.
        pairs: set[int] = set()
        suspects: tuple[set[int], set[int], set[int]] = (set(), set(), set())
        unknown: list[Problem] = []
        known = set(class_names) if class_names is not None else None
        advice = _ClassAdvice(known or set())
        self.ends: dict[int, int] = {}
        self.rows = 0
        for position, row in enumerate(rows):
            self.rows += 1
            pupil = key_number(row.pupil_id)
            said = key_number((row.pupil_name, row.class_name))
            if pupils.setdefault(pupil, said) != said:
                suspects[0].add(pupil)
            guardian, said = key_number(row.guardian_id), _guardian_said(row)
            first = guardians.get(guardian)
            if first is None:
                guardians[guardian] = (said << 64) | pupil
            else:
                if guardian not in self.ends:
                    pairs.add(key_number((first & _LOW, guardian)))
                self.ends[guardian] = position
                if first >> 64 != said:
                    suspects[1].add(guardian)
                pair = key_number((pupil, guardian))
                if pair in pairs:
                    suspects[2].add(pair)
                pairs.add(pair)
            if known is not None and row.class_name not in known:
                unknown.append(advice.problem(row))
        self.pupils, self.guardians = len(pupils), len(guardians)
        del pupils, guardians, pairs  # before the rows are read again
        self.problems = sorted(
            [*_suspects_problems(rows, *suspects), *unknown], key=lambda p: p.line or 0
        )

    def guardian_group(self, guardian_id: str) -> tuple[int, int] | None:
        """For a guardian on more than one row: their number, the group they are kept in until
        its last row, and that row's position. None for a guardian on one row."""
        number = key_number(guardian_id)
        end = self.ends.get(number)
        return None if end is None else (number, end)


_LOW = (1 << 64) - 1


def key_number(value: object) -> int:
    """A value's 64-bit number for this process: what the checks keep instead of the value."""
    return hash(value) & _LOW


def _guardian_said(row: RosterRow) -> int:
    return key_number(
        (row.guardian_name, row.guardian_language, row.guardian_phone, row.guardian_email)
    )


def _suspects_problems(
    rows: Iterable[RosterRow], pupils: set[int], guardians: set[int], pairs: set[int]
) -> list[Problem]:
    """The exact checks, on the lines of the suspects only (none: the rows are not read)."""
    if not (pupils or guardians or pairs):
        return []
    kept = [
        row
        for row in rows
        if key_number(row.pupil_id) in pupils
        or key_number(row.guardian_id) in guardians
        or key_number((key_number(row.pupil_id), key_number(row.guardian_id))) in pairs
    ]
    return [
        *_pupil_conflicts([r for r in kept if key_number(r.pupil_id) in pupils]),
        *_guardian_conflicts([r for r in kept if key_number(r.guardian_id) in guardians]),
        *_repeated_pairs(
            [
                r
                for r in kept
                if key_number((key_number(r.pupil_id), key_number(r.guardian_id))) in pairs
            ]
        ),
    ]


def empty_roster_problems(rows: Sequence[RosterRow]) -> list[Problem]:
    # An empty roster would report every pupil as not listed, which is never what was meant.
    return [] if rows else [Problem("the roster lists no pupils")]


def _pupil_conflicts(rows: Sequence[RosterRow]) -> list[Problem]:
    fields = {"pupil_name": "name", "class_name": "class"}
    return _conflicts(rows, "pupil", "pupil_id", fields, blank_is_unsaid=False)


def _guardian_conflicts(rows: Sequence[RosterRow]) -> list[Problem]:
    fields = {
        "guardian_name": "name",
        "guardian_language": "language",
        "guardian_phone": "phone",
        "guardian_email": "email",
    }
    # Phone and email may be given on just one of a guardian's lines.
    return _conflicts(rows, "guardian", "guardian_id", fields, blank_is_unsaid=True)


def _conflicts(
    rows: Sequence[RosterRow],
    kind: str,
    id_field: str,
    fields: dict[str, str],
    *,
    blank_is_unsaid: bool,
) -> list[Problem]:
    """Lines that say something else about a person than an earlier line did."""
    identify, values_of = attrgetter(id_field), attrgetter(*fields)
    labels = list(fields.values())
    # Per person: what their lines said first (blank: not yet, if blank is unsaid), and where.
    known: dict[str, tuple[tuple[object, ...], list[int]]] = {}
    problems = []
    for row in rows:
        ident, now = identify(row), values_of(row)
        entry = known.get(ident)
        if entry is None:
            known[ident] = (now, [row.line] * len(now))
            continue
        before, lines = entry
        if now == before:
            continue  # the usual case, checked at once: a roster has 100,000 lines
        said = list(before)
        for index, (then, value) in enumerate(zip(before, now, strict=True)):
            if blank_is_unsaid and not value:
                continue
            if blank_is_unsaid and not then:
                said[index], lines[index] = value, row.line
            elif then != value:
                problems.append(
                    Problem(
                        f"{kind} {ident} has {labels[index]} {str(value)!r} here"
                        f" but {str(then)!r} on line {lines[index]}",
                        row.line,
                    )
                )
        known[ident] = (tuple(said), lines)
    return problems


def _repeated_pairs(rows: Sequence[RosterRow]) -> list[Problem]:
    first: dict[tuple[str, str], int] = {}
    problems = []
    for row in rows:
        pair = (row.pupil_id, row.guardian_id)
        if pair in first:
            problems.append(
                Problem(
                    f"pupil {row.pupil_id} with guardian {row.guardian_id} is already listed"
                    f" on line {first[pair]}",
                    row.line,
                )
            )
        first.setdefault(pair, row.line)
    return problems


class _ClassAdvice:
    """What to say of a row whose class the school does not have (worked out once)."""

    def __init__(self, class_names: set[str]) -> None:
        self.by_folded = {name.casefold(): name for name in class_names}
        self.known = ", ".join(sorted(class_names)) or "none"

    def problem(self, row: RosterRow) -> Problem:
        hint = self.by_folded.get(row.class_name.casefold())
        advice = f"did you mean {hint!r}?" if hint else f"the school's classes are: {self.known}"
        return Problem(
            f"class {row.class_name!r} is not a class of the school; {advice}", row.line
        )
