"""The nightly evaluation's hits of the rules that count marked days (`counts_marked_days`)
among the pupils with nothing but marks, decided without their record (`routine.evaluation`).

Such a pupil's count of a window never falls below the record's, and equals it where no day
of theirs has two day-level marks and none is marked on a day without school: there the count
decides. A hit that held on its window's last evaluation and holds on is decided from its count
and the days counted since (one read of those few days for the school); the other pupils' days
are listed (one query for them all) and decide as the record would (`count_hit`); a pupil with
a counted day of two marks is left to the record. Queries: never one per pupil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from routine.hit_windows import HeldWindow, ListedDays, Window, WindowScan, same_numbers
from routine.model import School
from routine.policy import Counted, Rule
from routine.ports import UnitOfWork
from routine.record import school_days
from routine.thresholds import RuleHit, count_hit


@dataclass(frozen=True)
class PlainHits:
    """The hits of the rules that count marked days among the pupils with nothing but marks,
    decided from their listed days (`hits`) or, where they held on their window's last
    evaluation, from their counts (`held_on`, carrying only the days counted since); and the
    pupils with a day of two marks among their counted days (left to the record)."""

    hits: list[RuleHit] = field(default_factory=list)
    doubled: set[str] = field(default_factory=set)
    held_on: list[RuleHit] = field(default_factory=list)
    # Hits that held on their window's last evaluation and hold on as they were (no mark
    # counted since, the same numbers): nothing to write (`night_writes`' continuing).
    unchanged: list[RuleHit] = field(default_factory=list)


async def marked_day_hits(
    uow: UnitOfWork,
    school: School,
    day: date,
    families: Mapping[tuple[date, date], Sequence[Rule]],
    pupils: Mapping[str, set[str]],
    scan: WindowScan,
    counted: Mapping[tuple[date, Counted], Mapping[str, int]],
    held: Mapping[Window, HeldWindow],
) -> PlainHits:
    """The hits of the rules that count marked days (`counts_marked_days`) among these pupils
    (rule id → pupil ids), who have nothing but marks.

    Where no day of the pupil's has two day-level marks (`scan.twice`) and none is marked
    on a day without school, the count decides: the rule holds where it holds over the count.
    A hit that held on its window's last evaluation and still holds needs only the days
    counted since (read for the school in one query of those few days), if its count grew
    by just those; every other pupil's days are listed (one query for them all) and decide
    as the record would (`count_hit`); a pupil with a counted day of two marks is left to
    the record, for every rule."""
    found = PlainHits()
    if not any(pupils.values()):
        return found
    key = school.key
    first = min(span[0] for span in families)
    kinds = sorted({rule.counts for family in families.values() for rule in family})
    # The marks on days without school: a count that holds them is above the record's.
    every_day = {first + timedelta(days=n) for n in range((day - first).days + 1)}
    off = every_day.difference(school_days(school, first, day))
    unusual = set(scan.twice) | (await uow.thresholds.marked_on(key, off) if off else set())
    listing: dict[str, set[str]] = defaultdict(set)
    # Per rule and window, the pupils whose stored hit held on the window's last evaluation
    # (on this day or before): (pupil id, count tonight, count stored), and that day.
    continuing: dict[tuple[Rule, tuple[date, date]], list[tuple[str, int, float]]] = {}
    through_of: dict[tuple[Rule, tuple[date, date]], date] = {}
    window_days = {span: school_days(school, *span) for span in families}
    nothing = HeldWindow()
    for span, family in families.items():
        days = len(window_days[span])
        for rule in family:
            counts = counted[(span[0], rule.counts)]
            window = held.get((rule.id, span[0]), nothing)
            stored_hits = (
                window.hits if window.through is not None and window.through <= day else {}
            )
            if window.through is not None:
                through_of[(rule, span)] = window.through
            # Decided once per count: a hundred thousand pupils share a few dozen.
            holding = {
                n
                for n in set(counts.values())
                if days and rule.comparison.holds(n, rule.threshold)
            }
            chosen = pupils.get(rule.id, set())
            odd = chosen & unusual
            if odd:
                listing[rule.id] |= odd
                chosen = chosen - odd
            # A comprehension each, not a loop of branches: tens of thousands of pupils.
            get_count, get_stored = counts.get, stored_hits.get
            hitting = [(p, n) for p in chosen if (n := get_count(p, 0)) in holding]
            stored_of = [(p, n, get_stored(p)) for p, n in hitting]
            continuing[(rule, span)] = [
                (p, n, stored)
                for p, n, stored in stored_of
                if stored is not None
                and stored.holding
                and stored.numbers.get("count") is not None
            ]
            listing[rule.id].update(
                p
                for p, _n, stored in stored_of
                if stored is None or not stored.holding or stored.numbers.get("count") is None
            )
    if any(continuing.values()):
        since = min(through_of[k] for k, found in continuing.items() if found)
        since += timedelta(days=1)
        # Evaluated again on the same day: nothing was counted since.
        recent = (
            await uow.thresholds.list_days(key, since, day, kinds)
            if since <= day
            else ListedDays()
        )
        # The few pupils with a mark since, read once: most hits that hold on have none.
        since_of = {
            counted: {pupil_id: days for pupil_id, days in listed.items() if days}
            for counted, listed in recent.days.items()
        }
        for (rule, span), pupils_on in continuing.items():
            through, days_of = through_of.get((rule, span)), frozenset(window_days[span])
            marked_since = since_of.get(rule.counts, {})
            # The numbers of a count: shared by the hits of the same (a few dozen).
            shared: dict[int, dict[str, float]] = {}
            window_size = len(days_of)

            # Most hold on as they were: no mark since, the same count (and numbers of the
            # same keys, decided once per stored numbers). Nothing to write for those.
            # A hit of each count to copy for the pupils of that count (`RuleHit.alike`).
            like: dict[int, RuleHit] = {}
            same: dict[int, bool] = {}
            for pupil_id, count, stored in pupils_on:
                if pupil_id not in marked_since and count == stored.numbers["count"]:
                    hit = like.get(count)
                    if hit is None:
                        numbers = {"count": count, "school_days": window_size}
                        hit = like[count] = RuleHit(key, pupil_id, rule.id, *span, numbers)
                    unchanged = same.get(id(stored))
                    if unchanged is None:
                        unchanged = same[id(stored)] = same_numbers(stored.numbers, hit.numbers)
                    if unchanged:
                        found.unchanged.append(hit.alike(pupil_id))
                        continue
                marked = marked_since.get(pupil_id)
                new_days = (
                    tuple(d for d in marked if through and d > through and d in days_of)
                    if marked
                    else ()
                )
                if count != stored.numbers["count"] + len(new_days):
                    # A mark of an earlier day came or went: the days are listed.
                    listing[rule.id].add(pupil_id)
                    continue
                numbers = shared.get(count) or shared.setdefault(
                    count, {"count": count, "school_days": window_size}
                )
                found.held_on.append(RuleHit(key, pupil_id, rule.id, *span, numbers, new_days))
    chosen = set().union(*listing.values())
    if not chosen:
        return found
    listed = await uow.thresholds.list_days(key, first, day, kinds, chosen)
    for span, family in families.items():
        days_in = frozenset(window_days[span])
        start, end = span
        for rule in family:
            marked_days = listed.days.get(rule.counts, {})
            for pupil_id in sorted(listing.get(rule.id, ())):
                days_of_mark = marked_days.get(pupil_id, ())
                # A counted day with another day-level mark: the record decides the day.
                twice = listed.doubled.get(pupil_id)
                if twice and any(start <= d <= end for d in twice.intersection(days_of_mark)):
                    found.doubled.add(pupil_id)
                    continue
                marked = [d for d in days_of_mark if d in days_in]
                hit = count_hit(key, rule, span, pupil_id, marked, len(days_in))
                if hit is not None:
                    found.hits.append(hit)
    # A pupil with a day of two marks is decided over the record for every rule (never one
    # whose hit held on: the scan found no day of two marks of theirs).
    kept = [h for h in found.hits if h.pupil_id not in found.doubled]
    return PlainHits(kept, found.doubled, found.held_on, found.unchanged)
