"""Evaluating the counting rules (`routine.policy`) over a school's record, in memory.

Storage loads the record of the whole school over the longest window once (a few queries per
school, `routine.history`); this counts, per rule and pupil, what the rule needs, and returns a
hit with the numbers behind it and the days it used. Unknown days are left out of every share
and every count; a share needs `min_known_days` known days to mean anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from routine.model import ReasonCategory, School
from routine.policy import Counted, Measure, Rule
from routine.record import DayRecord, DayStatus

ILLNESS_CODE = ReasonCategory.ILLNESS.value


@dataclass(frozen=True)
class RuleHit:
    """A rule held for a pupil over a window: idempotent per school, pupil, rule and window end."""

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


def counting_rules(rules: Iterable[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.enabled and rule.measure is not Measure.EVENT]


def record_span(school: School, rules: Iterable[Rule], day: date) -> tuple[date, date] | None:
    """The days to load so that every counting rule's window on `day` is covered."""
    starts = [span[0] for rule in counting_rules(rules) if (span := rule.window.span(school, day))]
    return (min(starts), day) if starts else None


def evaluate(
    school: School,
    rules: Iterable[Rule],
    day: date,
    records: Mapping[str, Sequence[DayRecord]],
) -> list[RuleHit]:
    """Every hit of every enabled counting rule on `day`, pupil by pupil in id order."""
    hits = []
    for rule in counting_rules(rules):
        span = rule.window.span(school, day)
        if span is None:
            continue
        for pupil_id in sorted(records):
            hit = _evaluate_one(school.key, rule, span, records[pupil_id])
            if hit is not None:
                hits.append(hit)
    return hits


def _evaluate_one(
    school_key: str, rule: Rule, span: tuple[date, date], record: Sequence[DayRecord]
) -> RuleHit | None:
    start, end = span
    inside = [r for r in record if start <= r.day <= end]
    if not inside:
        return None
    known = [r for r in inside if r.status is not DayStatus.UNKNOWN]
    counted = _counted(rule, record, inside)
    numbers: dict[str, float] = {
        "count": len(counted),
        "known": len(known),
        "school_days": len(inside),
    }
    value: float = len(counted)
    if rule.measure is Measure.SHARE:
        if not known or len(known) < rule.min_known_days:
            return None
        value = len(counted) / len(known)
        numbers["share"] = round(value, 4)
    if not rule.comparison.holds(value, rule.threshold):
        return None
    return RuleHit(
        school_key,
        inside[0].pupil_id,
        rule.id,
        start,
        end,
        numbers,
        tuple(r.day for r in counted),
    )


def _counted(rule: Rule, record: Sequence[DayRecord], inside: list[DayRecord]) -> list[DayRecord]:
    if rule.counts is Counted.SINGLE_DAYS:
        return _single_days(record, {r.day for r in inside})
    if rule.measure is Measure.IN_A_ROW:
        return _run_up_to_end(rule.counts, inside)
    return [r for r in inside if _counts(rule.counts, r)]


def _counts(counted: Counted, record: DayRecord) -> bool:
    if counted is Counted.LATE:
        return record.status is DayStatus.LATE
    if not record.is_absent:
        return False
    return {
        Counted.ABSENCE: True,
        Counted.INVALID: record.valid is False,
        Counted.VALID: record.valid is True,
        Counted.ILLNESS: record.code == ILLNESS_CODE,
    }.get(counted, False)


def _single_days(record: Sequence[DayRecord], window: set[date]) -> list[DayRecord]:
    # A single day: absent, with the school days before and after known and not absent. The
    # neighbours may lie outside the window; a day whose neighbour is unknown is left out.
    found = []
    for index, day in enumerate(record):
        if day.day not in window or not day.is_absent:
            continue
        if index == 0 or index == len(record) - 1:
            continue
        before, after = record[index - 1], record[index + 1]
        if all(n.status not in (DayStatus.ABSENT, DayStatus.UNKNOWN) for n in (before, after)):
            found.append(day)
    return found


def _run_up_to_end(counted: Counted, inside: list[DayRecord]) -> list[DayRecord]:
    # Back from the last day: unknown days neither count nor break the run.
    run = []
    for day in reversed(inside):
        if day.status is DayStatus.UNKNOWN:
            continue
        if not _counts(counted, day):
            break
        run.append(day)
    return run[::-1]
