"""Evaluating the counting rules (`routine.policy`) over a school's record, in memory.

Storage loads the record of the whole school over the longest window once (a few queries per
school, `routine.history`); this counts, per rule and pupil, what the rule needs, and returns a
hit with the numbers behind it and the days it used. Unknown days are left out of every share
and every count; a share needs `min_known_days` known days to mean anything.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from routine.model import ReasonCategory, School
from routine.policy import Comparison, Counted, Measure, Rule
from routine.record import DayRecord, DayStatus

ILLNESS_CODE = ReasonCategory.ILLNESS.value


@dataclass(frozen=True)
class RuleHit:
    """A rule held for a pupil over a window: stored once per school, pupil, rule and window
    start. While it holds night after night over the same window (a term, a month, a quarter
    to date), its stored window end and numbers are the last night's."""

    school_key: str
    pupil_id: str
    rule_id: str
    window_start: date
    window_end: date
    # What the rule counted: count, known, school_days, and share for shares.
    numbers: Mapping[str, float]
    # The days the count is made of, recorded as uses of the record (`RecordUse`).
    days: tuple[date, ...] = ()
    found_at: datetime | None = None
    id: int | None = None

    def alike(self, pupil_id: str) -> RuleHit:
        """The same hit for another pupil. Its fields are copied, not passed to the frozen
        dataclass's `__init__`, which sets each through `object.__setattr__`: three times
        the cost, for the tens of thousands of hits a night that hold on as they were."""
        hit = object.__new__(RuleHit)
        hit.__dict__.update(self.__dict__, pupil_id=pupil_id)
        return hit


def may_hold(rule: Rule, count: int, taken_days: int, school_days: int) -> bool:
    """Whether the rule may hold for a pupil with only marks and roll calls in the window,
    given storage's count of the pupil's day-level marks of the kind the rule counts (never
    below the record's count: a day with two marks may count twice); never False where it
    holds. The known days are at least the class's taken days, at least the days counted, and
    at most the school days; a share that holds has at least `min_known_days` of them. Single
    days and days in a row are at most the days counted."""
    value: float = count
    if rule.measure is Measure.SHARE:
        if school_days < rule.min_known_days:
            return False
        value /= max(taken_days, count, rule.min_known_days, 1)
    return rule.comparison.holds(value, rule.threshold)


def least_possible(rule: Rule, taken_days: int = 0) -> int:
    """A count below which `may_hold` is False whatever the school days, where every class
    has at least `taken_days` taken days in the window: the threshold on the count, or for a
    share the least count whose share over its least known days holds (a share is the count
    over at least `min_known_days`, at least the class's taken days, and at least 1). The
    scan leaves out the pupils below it in every window (`scan_windows`)."""
    bound = rule.threshold
    if rule.measure is Measure.SHARE:
        # `may_hold`'s own division: the share grows with the count up to the least known
        # days, then stays 1 (a threshold none reaches leaves out every pupil).
        known = max(rule.min_known_days, taken_days, 1)
        holding = (n for n in range(known + 1) if rule.comparison.holds(n / max(n, known), bound))
        return next(holding, known + 1)
    if rule.comparison is Comparison.OVER:
        return max(math.floor(bound) + 1, 0)
    return max(math.ceil(bound), 0)


def counts_marked_days(rule: Rule) -> bool:
    """Whether the rule counts marked days (not a share, a run or single days): for a pupil
    with nothing but marks, one a day, the marks it counts decide it alone (`count_hit`)."""
    return rule.measure in (Measure.DAYS, Measure.OCCURRENCES) and rule.counts not in (
        Counted.SINGLE_DAYS,
        Counted.NOTHING,
    )


def count_hit(
    school_key: str,
    rule: Rule,
    span: tuple[date, date],
    pupil_id: str,
    counted: Sequence[date],
    window_days: int,
) -> RuleHit | None:
    """A rule that `counts_marked_days`, for a pupil with nothing but marks and one a day:
    `counted` are the school days in the window whose mark it counts; `window_days` the
    window's school days. The same hit `evaluate_days` finds over the pupil's record."""
    if not window_days or not rule.comparison.holds(len(counted), rule.threshold):
        return None
    numbers: dict[str, float] = {"count": len(counted), "school_days": window_days}
    return RuleHit(school_key, pupil_id, rule.id, *span, numbers, tuple(sorted(counted)))


def counting_rules(rules: Iterable[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.enabled and rule.measure is not Measure.EVENT]


def record_span(school: School, rules: Iterable[Rule], day: date) -> tuple[date, date] | None:
    """The days to load so that every counting rule's window on `day` is covered."""
    starts = [span[0] for rule in counting_rules(rules) if (span := rule.window.span(school, day))]
    return (min(starts), day) if starts else None


@dataclass(frozen=True)
class PupilDays:
    """One pupil's school days, sparse: the records of the days something decided (a mark, a
    report, leave, a correction), and the days the class's roll call was taken, which are
    present unless a record says otherwise; every other day is unknown. A large school's
    nightly evaluation builds records only where there is something to decide."""

    pupil_id: str
    # Every school day loaded, in order, and its position.
    days: Sequence[date]
    position: Mapping[date, int]
    records: Mapping[date, DayRecord]
    taken: frozenset[date] = frozenset()

    @classmethod
    def from_records(cls, pupil_id: str, records: Sequence[DayRecord]) -> PupilDays:
        days = [r.day for r in records]
        position = {day: index for index, day in enumerate(days)}
        return cls(pupil_id, days, position, {r.day: r for r in records})

    def status(self, day: date) -> DayStatus:
        record = self.records.get(day)
        if record is not None:
            return record.status
        return DayStatus.PRESENT if day in self.taken else DayStatus.UNKNOWN

    def window(self, start: date, end: date) -> Sequence[date]:
        return self.days[
            bisect.bisect_left(self.days, start) : bisect.bisect_right(self.days, end)
        ]


def evaluate(
    school: School,
    rules: Iterable[Rule],
    day: date,
    records: Mapping[str, Sequence[DayRecord]],
) -> list[RuleHit]:
    """Every hit of every enabled counting rule on `day`, over full records by pupil id."""
    pupils = {pid: PupilDays.from_records(pid, days) for pid, days in records.items()}
    return evaluate_days(school, rules, day, pupils)


def evaluate_days(
    school: School,
    rules: Iterable[Rule],
    day: date,
    pupils: Mapping[str, PupilDays],
    only: Mapping[str, Collection[str]] | None = None,
) -> list[RuleHit]:
    """Every hit of every enabled counting rule on `day`, pupil by pupil in id order; with
    `only` (rule id → pupil ids), each rule only for those of its pupils (the others are known
    not to hit)."""
    hits = []
    ordered = sorted(pupils)
    for rule in counting_rules(rules):
        span = rule.window.span(school, day)
        if span is None:
            continue
        chosen = only.get(rule.id, ()) if only is not None else None
        for pupil_id in ordered if chosen is None else sorted(set(chosen) & pupils.keys()):
            hit = _evaluate_one(school.key, rule, span, pupils[pupil_id])
            if hit is not None:
                hits.append(hit)
    return hits


def _evaluate_one(
    school_key: str, rule: Rule, span: tuple[date, date], pupil: PupilDays
) -> RuleHit | None:
    start, end = span
    inside = pupil.window(start, end)
    if not inside:
        return None
    counted = _counted(rule, pupil, inside)
    numbers: dict[str, float] = {"count": len(counted), "school_days": len(inside)}
    value: float = len(counted)
    if rule.measure is Measure.SHARE:
        known = _known(pupil, start, end, inside)
        numbers["known"] = known
        if not known or known < rule.min_known_days:
            return None
        value = len(counted) / known
        numbers["share"] = round(value, 4)
    if not rule.comparison.holds(value, rule.threshold):
        return None
    return RuleHit(school_key, pupil.pupil_id, rule.id, start, end, numbers, tuple(counted))


def _known(pupil: PupilDays, start: date, end: date, inside: Sequence[date]) -> int:
    # The taken days, corrected by what the records say of their own days.
    known = sum(1 for day in pupil.taken if start <= day <= end and day in pupil.position)
    for day, record in pupil.records.items():
        if start <= day <= end:
            was = day in pupil.taken
            now = record.status is not DayStatus.UNKNOWN
            known += now - was
    return known


def _counted(rule: Rule, pupil: PupilDays, inside: Sequence[date]) -> list[date]:
    start, end = inside[0], inside[-1]
    if rule.counts is Counted.SINGLE_DAYS:
        return _single_days(pupil, start, end)
    if rule.measure is Measure.IN_A_ROW:
        return _run_up_to_end(rule.counts, pupil, inside)
    return sorted(
        day
        for day, record in pupil.records.items()
        if start <= day <= end and _counts(rule.counts, record)
    )


def _counts(counted: Counted, record: DayRecord) -> bool:
    if counted is Counted.LATE:
        return record.status is DayStatus.LATE
    if record.status is not DayStatus.ABSENT:
        return False
    if counted is Counted.ABSENCE:
        return True
    if counted is Counted.INVALID:
        return record.valid is False
    if counted is Counted.VALID:
        return record.valid is True
    if counted is Counted.ILLNESS:
        return record.code == ILLNESS_CODE
    return False


def _single_days(pupil: PupilDays, start: date, end: date) -> list[date]:
    # A single day: absent, with the school days before and after known and not absent. The
    # neighbours may lie outside the window; a day whose neighbour is unknown is left out.
    found = []
    for day, record in pupil.records.items():
        if not (start <= day <= end and record.is_absent):
            continue
        index = pupil.position[day]
        if index == 0 or index == len(pupil.days) - 1:
            continue
        neighbours = (pupil.days[index - 1], pupil.days[index + 1])
        if all(pupil.status(n) not in (DayStatus.ABSENT, DayStatus.UNKNOWN) for n in neighbours):
            found.append(day)
    return sorted(found)


def _run_up_to_end(counted: Counted, pupil: PupilDays, inside: Sequence[date]) -> list[date]:
    # Back from the last day: unknown days neither count nor break the run.
    run = []
    for day in reversed(inside):
        record = pupil.records.get(day)
        if record is None:
            if day in pupil.taken:
                break
            continue
        if record.status is DayStatus.UNKNOWN:
            continue
        if not _counts(counted, record):
            break
        run.append(day)
    return run[::-1]
