"""The nightly evaluation of the school's counting rules: aggregates in storage, the record
only where it can change the answer.

For every window the rules use (4 weeks, a month, a term, a quarter; all end on the day) and
each kind of day they count (absent, invalid, valid, late, illness), storage counts every
pupil's marks in one scan (`uow.thresholds.count_windows`), and the classes' taken days in one
more query where a rule is a share. For a pupil with nothing but marks in the window those
counts are never below the record's, so a rule that does not hold over them
(`routine.thresholds.may_hold`) does not hold. So the record (`routine.record`, the same one
`narvaro attendance show` reads) is built only for the pupils a rule may hit, and for those
whose window also has a report, granted leave, a correction or a judgement; each rule is
decided over that record for those of its own pupils (bench/nightly.py, docs/performance.md).
A rule that counts marked days (not a share, a run or single days) needs no record for a pupil
with nothing but marks, one a day: the same scan (`uow.thresholds.scan_windows`) lists the marks
of the pupils whose count reaches such a rule's least, and their days decide it
(`routine.thresholds.count_hit`); a pupil with a day of two marks is left to the record.
A hit is stored once per rule, pupil and window start; while it holds night after night over
the same window (a term to date), its window end and numbers are updated in place, so an
ordinary night writes only what changed. New and updated hits are stored with the days they
used (`RecordUse`, used_by = the rule's id), so that a later correction of such a day is
flagged to the principal; a day already used by the rule is not stored again. Evaluating a
day again writes nothing. Queries: a few per window and a few for the record, never one
per pupil.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from routine.leave import LeaveStatus
from routine.model import Pupil, School
from routine.policy import Counted, Measure, Rule, rules_for
from routine.ports import UnitOfWork
from routine.record import RecordInputs, build_decided_days, school_days
from routine.thresholds import (
    PupilDays,
    RuleHit,
    WindowScan,
    count_hit,
    counting_rules,
    counts_marked_days,
    evaluate_days,
    least_count,
    may_hold,
    record_span,
)

# The record is loaded from a week before the earliest window, so that a single day on a
# window's first school day can be told from one that follows an absent day.
NEIGHBOURS = timedelta(days=7)


@dataclass(frozen=True)
class Evaluation:
    pupils: int = 0
    span: tuple[date, date] | None = None
    # Pupils whose full record was built: those a rule may hit, and those with more than marks.
    recomputed: int = 0
    # Hits per rule id: all that held, and those stored for the first time.
    held: Counter[str] = field(default_factory=Counter)
    new: Counter[str] = field(default_factory=Counter)
    # Every hit that held, and those stored for the first time (with `found_at`), by rule and
    # pupil: what cases are opened from.
    hits: tuple[RuleHit, ...] = ()
    new_hits: tuple[RuleHit, ...] = ()
    # Days newly recorded as used by a rule (`RecordUse`); a day used before is not again.
    uses: int = 0
    # Hits stored before over the same window start whose window end or numbers changed:
    # updated in place (a term's hit that holds another night).
    updated_hits: tuple[RuleHit, ...] = ()

    @property
    def written(self) -> tuple[RuleHit, ...]:
        """The hits stored or updated tonight: what a case, a notice or a task is told of. A
        hit evaluated again as it was stored is not."""
        return (*self.new_hits, *self.updated_hits)

    def summary(self) -> str:
        if self.span is None:
            return "no counting rule applies today (all off, or outside their windows)"
        found = ", ".join(
            f"{rule} {count} ({self.new[rule]} new)" for rule, count in sorted(self.held.items())
        )
        return f"{self.pupils} pupil(s) evaluated; hits: {found or 'none'}"


async def evaluate_thresholds(
    uow: UnitOfWork, school: School, day: date, now: datetime
) -> Evaluation:
    rules = counting_rules(rules_for(school))
    span = record_span(school, rules, day)
    if span is None:
        return Evaluation()
    start, key = span[0] - NEIGHBOURS, school.key
    inputs = await _other_inputs(uow, school, start, day)
    others = _pupils_with(inputs)
    classes = await uow.thresholds.active_classes(key)
    # Per rule, the pupils it may hit: those the counts allow, and all with more than marks.
    candidates: dict[str, set[str]] = {rule.id: set(others) for rule in rules}
    families = _families(school, rules, day)
    # Every window ends on the day evaluated: one read of the marks counts them all.
    wanted = sorted(
        {(first, rule.counts) for (first, _), same in families.items() for rule in same}
    )
    # The same read lists the days of the kinds the rules that count marked days count.
    # (The days of the pupils whose count of a window and kind reaches such a rule's least.)
    listed = {
        (start, rule.counts, least_count(rule))
        for (start, _), family in families.items()
        for rule in family
        if counts_marked_days(rule)
    }
    scan = await uow.thresholds.scan_windows(key, day, wanted, listed)
    counted = dict(zip(wanted, scan.counts, strict=True))
    for (window_start, window_end), family in families.items():
        days = school_days(school, window_start, window_end)
        shares = any(rule.measure is Measure.SHARE for rule in family)
        taken = await uow.thresholds.taken_per_class(key, days) if shares else {}
        for rule in family:
            counts = counted[(window_start, rule.counts)]
            candidates[rule.id].update(_may_hit(rule, counts, classes, taken, len(days)))
    # The class's taken days matter to a pupil with only marks where a rule reads the days
    # without a mark (a share's known days, a single day's neighbours, a run).
    reads_taken = set(others).union(
        *(candidates[rule.id] for rule in rules if _reads_taken(rule)), ()
    )
    pupils = len(classes)
    # The full record is built for the pupils with more than marks, and for those a rule
    # that reads more than their counted marks may hit; a rule that counts marked days is
    # decided from those days alone for the others (`_marked_day_hits`), unless a day of
    # theirs has two marks (which the record decides between).
    recompute = set(others).union(
        *(candidates[rule.id] for rule in rules if not counts_marked_days(rule)), ()
    )
    plain = {
        rule.id: candidates[rule.id] - recompute for rule in rules if counts_marked_days(rule)
    }
    plain_hits, doubled = await _marked_day_hits(school, families, plain, scan)
    recompute |= doubled
    only = {
        rule.id: candidates[rule.id] if rule.id not in plain else candidates[rule.id] & recompute
        for rule in rules
    }
    records = await _records(uow, school, start, day, recompute, reads_taken, classes, inputs)
    order = {rule.id: index for index, rule in enumerate(rules)}
    hits = sorted(
        [*evaluate_days(school, rules, day, records, only), *plain_hits],
        key=lambda h: (order[h.rule_id], h.pupil_id),
    )
    written = await uow.rule_hits.add_or_update(hits, now)
    used = [(h.pupil_id, h.rule_id, h.days) for h in [*written.new, *written.updated]]
    uses = await uow.record_uses.add_missing_days(key, used, now)
    return Evaluation(
        pupils,
        span,
        len(records),
        Counter(h.rule_id for h in hits),
        Counter(h.rule_id for h in written.new),
        tuple(hits),
        tuple(written.new),
        uses,
        tuple(written.updated),
    )


async def _marked_day_hits(
    school: School,
    families: Mapping[tuple[date, date], Sequence[Rule]],
    pupils: Mapping[str, set[str]],
    scan: WindowScan,
) -> tuple[list[RuleHit], set[str]]:
    """The hits of the rules that count marked days (`counts_marked_days`) among these pupils
    (rule id → pupil ids), who have nothing but marks: decided from the days of the marks
    counted, which the scan listed; and the pupils with a day of two marks, left to their
    record. No query: the scan read them."""
    hits: list[RuleHit] = []
    doubled: set[str] = set()
    for span, family in families.items():
        days = set(school_days(school, *span))
        first, last = span
        for rule in family:
            listed = scan.days.get(rule.counts, {})
            for pupil_id in sorted(pupils.get(rule.id, ())):
                found = listed.get(pupil_id, ())
                # A counted day with another day-level mark: the record decides the day.
                twice = scan.doubled.get(pupil_id)
                if twice and any(first <= d <= last for d in twice.intersection(found)):
                    doubled.add(pupil_id)
                    continue
                marked = [d for d in found if d in days]
                hit = count_hit(school.key, rule, span, pupil_id, marked, len(days))
                if hit is not None:
                    hits.append(hit)
    # A pupil with a day of two marks is decided over the record for every rule.
    return [h for h in hits if h.pupil_id not in doubled], doubled


def _may_hit(
    rule: Rule,
    counts: Mapping[str, int],
    classes: Mapping[str, str],
    taken: Mapping[str, int],
    days: int,
) -> set[str]:
    """The active pupils the rule may hit by their counts (`may_hold`), decided once for each
    count and number of taken days: a hundred thousand pupils share a few dozen of them."""
    decided: dict[tuple[int, int], bool] = {}
    found = set()
    for pupil_id, count in counts.items():
        class_name = classes.get(pupil_id)
        if class_name is None:
            continue
        key = (count, taken.get(class_name, 0))
        holds = decided.get(key)
        if holds is None:
            holds = decided[key] = may_hold(rule, count, key[1], days)
        if holds:
            found.add(pupil_id)
    return found


def _reads_taken(rule: Rule) -> bool:
    return rule.measure in (Measure.SHARE, Measure.IN_A_ROW) or rule.counts is Counted.SINGLE_DAYS


def _families(
    school: School, rules: Sequence[Rule], day: date
) -> dict[tuple[date, date], list[Rule]]:
    families: dict[tuple[date, date], list[Rule]] = defaultdict(list)
    for rule in rules:
        span = rule.window.span(school, day)
        if span is not None:
            families[span].append(rule)
    return families


async def _other_inputs(uow: UnitOfWork, school: School, start: date, end: date) -> RecordInputs:
    """The school's rows other than marks and roll calls over the days: few, read whole."""
    key = school.key
    return RecordInputs(
        pupils=[],
        marks=[],
        reports=await uow.reports.list_overlapping(key, start, end, None),
        taken={},
        leave=await uow.leave_requests.list_between(
            key, start, end, statuses=[LeaveStatus.GRANTED]
        ),
        corrections=await uow.corrections.list_between(key, start, end, None),
        codes=await uow.codes.list_for(key),
        judgements=await uow.guardian_contacts.judgements_between(key, start, end, None),
    )


def _pupils_with(inputs: RecordInputs) -> set[str]:
    found = {r.pupil_id for r in inputs.reports}
    found.update(r.pupil_id for r in inputs.leave)
    found.update(c.pupil_id for c in inputs.corrections)
    found.update(pupil for pupil, _day in inputs.judgements)
    return found


async def _records(
    uow: UnitOfWork,
    school: School,
    start: date,
    end: date,
    pupil_ids: Collection[str],
    reads_taken: Collection[str],
    classes: Mapping[str, str],
    inputs: RecordInputs,
) -> dict[str, PupilDays]:
    """These pupils' days, of those active (`classes`: pupil id → class), as `routine.record`
    decides them: a record for each day something decides, the class's taken days for the
    rest. The taken days are loaded only for the classes of `reads_taken`: a pupil with
    nothing but marks, whose every record a mark decides, needs them only for the rules
    that read the days without one (`_reads_taken`)."""
    # Only the pupil id and class decide a day: the name is not read.
    pupils = [Pupil(school.key, p, "", classes[p]) for p in sorted(pupil_ids) if p in classes]
    if not pupils:
        return {}
    key = school.key
    wanted = {p.pupil_id for p in pupils}
    marks = await uow.thresholds.marks_of(key, start, end, wanted)
    reading = {classes[p] for p in reads_taken if p in classes}
    taken = await uow.thresholds.taken_days(key, start, end, reading) if reading else {}
    record_inputs = RecordInputs(
        pupils=pupils,
        marks=marks,
        reports=[r for r in inputs.reports if r.pupil_id in wanted],
        taken=taken,
        leave=[r for r in inputs.leave if r.pupil_id in wanted],
        corrections=[c for c in inputs.corrections if c.pupil_id in wanted],
        codes=inputs.codes,
        judgements={k: v for k, v in inputs.judgements.items() if k[0] in wanted},
    )
    days = school_days(school, start, end)
    decided = build_decided_days(school, days, record_inputs)
    position = {day: index for index, day in enumerate(days)}
    taken_by_class: dict[str, set[date]] = defaultdict(set)
    for class_name, day in taken:
        taken_by_class[class_name].add(day)
    # One set per class, shared by its pupils.
    taken_sets = {name: frozenset(found) for name, found in taken_by_class.items()}
    nothing: frozenset[date] = frozenset()
    return {
        p.pupil_id: PupilDays(
            p.pupil_id,
            days,
            position,
            decided.get(p.pupil_id, {}),
            taken_sets.get(p.class_name, nothing),
        )
        for p in pupils
    }
