"""The nightly evaluation's bookkeeping of hits between nights, in memory: what storage read
of a window's stored hits (`HeldWindow`), and what a night writes against it (`night_writes`):
a hit new, changed, stopped, or holding on as it was (written nowhere). Also the shapes of
storage's two reads of the marks for it (`WindowScan`, `ListedDays`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from routine.policy import Counted
from routine.thresholds import RuleHit


@dataclass(frozen=True)
class StoredHits:
    """What storing a night's hits wrote: the hits stored for the first time (a new window
    start), and those stored before whose numbers changed or that hold again, updated in
    place. A hit that goes on holding as it held the night before is in neither."""

    new: list[RuleHit] = field(default_factory=list)
    updated: list[RuleHit] = field(default_factory=list)


@dataclass(frozen=True)
class HeldHit:
    """A stored hit as the night's evaluation compares it: whether it held on its window's
    last evaluation, and its numbers (a stored hit's own, school days aside)."""

    holding: bool
    numbers: Mapping[str, float]


@dataclass(frozen=True)
class HeldWindow:
    """A rule's window (by its start) as stored: the last day it was evaluated (None: never),
    its school days then (None: not known), and its stored hits by pupil id."""

    through: date | None = None
    school_days: int | None = None
    hits: Mapping[str, HeldHit] = field(default_factory=dict)


Window = tuple[str, date]


@dataclass(frozen=True)
class NightWrites:
    """What a night's evaluation writes (`night_writes`). `windows`: every window evaluated,
    (rule id, start) → (the day it was evaluated through as read, its school days tonight);
    `new`: hits of no stored row; `changed`: stored hits whose numbers changed or that hold
    again (written with tonight's window end); `stopped`: stored hits that held on the
    window's last evaluation and hold no more (written as they last held: ending on that day,
    with its school days); `continuing`: hits that held on the last evaluation and hold on as
    they were, written nowhere (the window's evaluated day moves)."""

    windows: Mapping[Window, tuple[date | None, int]]
    new: list[RuleHit] = field(default_factory=list)
    changed: list[RuleHit] = field(default_factory=list)
    stopped: list[RuleHit] = field(default_factory=list)
    continuing: list[RuleHit] = field(default_factory=list)


def same_numbers(stored: Mapping[str, float], numbers: Mapping[str, float]) -> bool:
    """Whether a stored hit's numbers are tonight's, school days aside (they are the
    window's, which moves every night)."""
    if len(stored) != len(numbers):
        return False
    return all(k == "school_days" or stored.get(k) == v for k, v in numbers.items())


def night_writes(
    school_key: str,
    day: date,
    hits: Sequence[RuleHit],
    held: Mapping[Window, HeldWindow],
    windows: Mapping[Window, int],
    unchanged: Sequence[RuleHit] = (),
) -> NightWrites:
    """Tonight's hits against the stored ones of the windows evaluated (`windows`: (rule id,
    start) → school days tonight): what is new, what changed, what stopped holding, and what
    goes on holding unchanged (nothing to write for it). `unchanged`: hits already known to
    hold on as they were (`routine.evaluation_marked`), not compared again."""
    nothing = HeldWindow()
    writes = NightWrites(
        {w: (held.get(w, nothing).through, n) for w, n in windows.items()},
        continuing=list(unchanged),
    )
    by_window: dict[Window, list[RuleHit]] = {}
    held_on: dict[Window, set[str]] = {}
    for hit in unchanged:
        held_on.setdefault((hit.rule_id, hit.window_start), set()).add(hit.pupil_id)
    for hit in hits:
        by_window.setdefault((hit.rule_id, hit.window_start), []).append(hit)
    # Tonight's numbers against a stored hit's, decided once for each pair: the stored are
    # shared by the hits of the same numbers (`HeldHit`), and so are tonight's where they
    # were decided from counts (`routine.evaluation_marked`). By identity: every hit and
    # stored hit is alive until the end, so no id is reused meanwhile.
    same: dict[tuple[int, int], bool] = {}
    for window, found in by_window.items():
        stored_window = held.get(window, nothing)
        stored_hits = stored_window.hits
        through = stored_window.through
        on = through is not None and through <= day
        for hit in found:
            stored = stored_hits.get(hit.pupil_id)
            if stored is None:
                writes.new.append(hit)
                continue
            if on and stored.holding:
                numbers = (id(stored), id(hit.numbers))
                unchanged = same.get(numbers)
                if unchanged is None:
                    unchanged = same[numbers] = same_numbers(stored.numbers, hit.numbers)
                if unchanged:
                    writes.continuing.append(hit)
                    continue
            writes.changed.append(hit)
    for window in windows:
        stored_window = held.get(window, nothing)
        through = stored_window.through
        if through is None:
            continue
        hit_now = {h.pupil_id for h in by_window.get(window, ())} | held_on.get(window, set())
        for pupil_id, stored in stored_window.hits.items():
            if stored.holding and pupil_id not in hit_now:
                numbers = dict(stored.numbers)
                if stored_window.school_days is not None:
                    numbers["school_days"] = stored_window.school_days
                rule_id, start = window
                writes.stopped.append(
                    RuleHit(school_key, pupil_id, rule_id, start, through, numbers)
                )
    return writes


@dataclass(frozen=True)
class WindowScan:
    """One read of a school's day-level marks from the earliest window start to the day
    evaluated (storage's `scan_windows`). `counts`: per (window start, kind) wanted, in order,
    each pupil's marks of that kind in the window. `twice`: the pupils with a day of two or
    more day-level marks from the earliest start (which the record decides between)."""

    counts: list[dict[str, int]]
    twice: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ListedDays:
    """Some pupils' day-level marks over some days (storage's `list_days`). `days`: per kind
    listed, each pupil's days with such a mark, in order. `doubled`: each pupil's days with
    two or more day-level marks (only the pupils with one)."""

    days: Mapping[Counted, Mapping[str, Sequence[date]]] = field(default_factory=dict)
    doubled: Mapping[str, frozenset[date]] = field(default_factory=dict)
