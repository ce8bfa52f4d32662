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
    rows: Sequence[RosterRow], class_names: Iterable[str] | None = None
) -> list[Problem]:
    """Rows that contradict each other, and, given the school's classes, rows with other classes.

    The file parser runs this too, so the operator sees these problems before applying.
    """
    problems = [
        *_pupil_conflicts(rows),
        *_guardian_conflicts(rows),
        *_repeated_pairs(rows),
    ]
    if class_names is not None:
        problems.extend(_unknown_classes(rows, set(class_names)))
    return sorted(problems, key=lambda p: p.line or 0)


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


def _unknown_classes(rows: Sequence[RosterRow], class_names: set[str]) -> list[Problem]:
    by_folded = {name.casefold(): name for name in class_names}
    known = ", ".join(sorted(class_names)) or "none"
    problems = []
    for row in rows:
        if row.class_name in class_names:
            continue
        hint = by_folded.get(row.class_name.casefold())
        advice = f"did you mean {hint!r}?" if hint else f"the school's classes are: {known}"
        problems.append(
            Problem(f"class {row.class_name!r} is not a class of the school; {advice}", row.line)
        )
    return problems
