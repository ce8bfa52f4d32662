"""The nightly evaluation's hits of the share rules (`Measure.SHARE`) among the pupils with
nothing but marks whose class's roll call was taken on every school day of the window,
decided without their record (`routine.evaluation`).

Such a pupil's record knows every school day of the window: a day with a mark is the mark's,
a day without one is present (the roll call was taken), a lesson's mark does not decide the
day. So the share's known days are the window's school days, and its counted days are the
marks of the kind it counts on those days, one a day. Their days are listed (one query for
them all, `list_days`) and decide as the record would (`share_hit`): a mark on a day without
school is not in the record, nor in the listed days kept; a pupil with a school day of two
day-level marks in the window is left to the record, which decides between them. Queries:
never one per pupil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from routine.model import School
from routine.policy import Counted, Measure, Rule
from routine.ports import UnitOfWork
from routine.record import school_days
from routine.thresholds import RuleHit


@dataclass(frozen=True)
class ShareHits:
    """The share rules' hits among the pupils decided from their listed marks (`hits`), and
    by rule id the pupils with a school day of two marks in its window (left to the record)."""

    hits: list[RuleHit] = field(default_factory=list)
    doubled: dict[str, set[str]] = field(default_factory=dict)


def fully_taken(
    rule: Rule,
    candidates: Collection[str],
    others: Collection[str],
    classes: Mapping[str, str],
    taken: Mapping[str, int],
    days: int,
) -> set[str]:
    """The share rule's candidates with nothing but marks (not in `others`) whose class's roll
    call was taken on each of the window's `days` school days (`taken`: class → taken days
    among them, one roll call a class and day): their known days are the window's. Not for
    a share of single days, whose neighbours the record decides."""
    if rule.measure is not Measure.SHARE or rule.counts in (Counted.SINGLE_DAYS, Counted.NOTHING):
        return set()
    full = {name for name, n in taken.items() if n == days}
    return {p for p in candidates if p not in others and classes.get(p) in full}


def share_hit(
    school_key: str,
    rule: Rule,
    span: tuple[date, date],
    pupil_id: str,
    counted: Sequence[date],
    window_days: int,
) -> RuleHit | None:
    """A share rule, for a pupil with nothing but marks, one a day, whose every school day in
    the window is known: `counted` are the school days in the window whose mark it counts,
    `window_days` the window's school days (all known). The same hit `evaluate_days` finds
    over the pupil's record, with the same numbers in the same order."""
    known = window_days
    if not known or known < rule.min_known_days:
        return None
    value = len(counted) / known
    if not rule.comparison.holds(value, rule.threshold):
        return None
    numbers: dict[str, float] = {
        "count": len(counted),
        "school_days": window_days,
        "known": known,
        "share": round(value, 4),
    }
    return RuleHit(school_key, pupil_id, rule.id, *span, numbers, tuple(sorted(counted)))


async def share_hits(
    uow: UnitOfWork,
    school: School,
    day: date,
    families: Mapping[tuple[date, date], Sequence[Rule]],
    pupils: Mapping[str, Collection[str]],
    counted: Mapping[tuple[date, Counted], Mapping[str, int]],
) -> ShareHits:
    """The hits of the share rules among these pupils (rule id → pupil ids, `fully_taken`).

    A pupil whose count over the window's school days does not hold is not hit: the count
    is never below the record's (a mark on a day without school, or a second of a day, counts
    one more), and the known days are the window's. The others' days are listed (one query
    for them all) and decide (`share_hit`), unless a school day of theirs in the window has
    two day-level marks: then the record decides, for that rule."""
    found = ShareHits()
    window_days = {span: school_days(school, *span) for span in families}
    chosen: dict[str, list[str]] = {}
    kinds: set[Counted] = set()
    for span, family in families.items():
        days = len(window_days[span])
        for rule in family:
            wanted = pupils.get(rule.id)
            if not wanted or not days or days < rule.min_known_days:
                continue
            counts = counted[(span[0], rule.counts)]
            # Decided once per count: ten thousand pupils share a few dozen.
            holding = {
                n
                for n in {counts.get(p, 0) for p in wanted}
                if rule.comparison.holds(n / days, rule.threshold)
            }
            chosen[rule.id] = sorted(p for p in wanted if counts.get(p, 0) in holding)
            if chosen[rule.id]:
                kinds.add(rule.counts)
    every = set().union(*chosen.values())
    if not every:
        return found
    first = min(span[0] for span, family in families.items() for r in family if r.id in chosen)
    listed = await uow.thresholds.list_days(school.key, first, day, sorted(kinds), every)
    doubled: dict[str, set[str]] = defaultdict(set)
    for span, family in families.items():
        days_in = frozenset(window_days[span])
        for rule in family:
            marked_days = listed.days.get(rule.counts, {})
            for pupil_id in chosen.get(rule.id, ()):
                # A school day of two marks: the record decides which is the day's.
                twice = listed.doubled.get(pupil_id)
                if twice and not twice.isdisjoint(days_in):
                    doubled[rule.id].add(pupil_id)
                    continue
                marked = [d for d in marked_days.get(pupil_id, ()) if d in days_in]
                hit = share_hit(school.key, rule, span, pupil_id, marked, len(days_in))
                if hit is not None:
                    found.hits.append(hit)
    return ShareHits(found.hits, dict(doubled))
