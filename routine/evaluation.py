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
with nothing but marks, one a day, and none on a day without school: the same scan
(`uow.thresholds.scan_windows`) says which pupils have a day of two marks (left to the record),
and returns only the pupils whose count may reach a rule's (`least_possible`). Nor does a
share for a pupil with nothing but marks whose class's roll call was taken on every school
day of the window: its known days are the window's, its counted days the marks listed
(`routine.evaluation_share`, one query for them all), unless a school day has two marks.
A hit is stored once per rule, pupil and window start, and each window's last evaluated day
once (`uow.rule_hits`): a stored hit that held on it ends there. So a hit that goes on
holding as it was (a term to date, night after night) is not written: an ordinary night
writes one row per window, the hits that start, change their numbers, hold again or stop
holding, and the days newly used. Such a hit is decided from its count alone, with the days
counted since the window's last evaluation (one read of those few days for the school); the
days of the other plain pupils a rule hits are listed (`uow.thresholds.list_days`, one query
for them all) and decide as the record would (`routine.thresholds.count_hit`). Hits are
stored with the days they used (`RecordUse`, used_by = the rule's id), so that a later
correction of such a day is flagged to the principal; a day already used by the rule is not
stored again, and a hit that held on only adds the days counted since. Evaluating a day
again writes nothing. Queries: a few per window and a few for the record, never one per
pupil (bench/nightly.py, docs/performance.md). The hits decided from marked days and counts
are in `routine.evaluation_marked`, the record's reads and building in
`routine.evaluation_record`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import attrgetter

from routine.cases import rule_actor
from routine.evaluation_marked import marked_day_hits
from routine.evaluation_record import other_inputs, pupil_records, pupils_with, reads_taken_days
from routine.evaluation_share import fully_taken, share_hits
from routine.hit_windows import HeldWindow, Window, night_writes
from routine.model import School
from routine.policy import Measure, Rule, rules_for
from routine.ports import UnitOfWork
from routine.record import school_days
from routine.thresholds import (
    RuleHit,
    counting_rules,
    counts_marked_days,
    evaluate_days,
    least_possible,
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
    # pupil: what cases are opened from. A hit that held on its window's last evaluation and
    # holds on from the counted marks alone carries only the days counted since.
    hits: tuple[RuleHit, ...] = ()
    new_hits: tuple[RuleHit, ...] = ()
    # Days newly recorded as used by a rule (`RecordUse`); a day used before is not again.
    uses: int = 0
    # Hits stored before over the same window start whose numbers changed, or that hold
    # again: updated in place.
    updated_hits: tuple[RuleHit, ...] = ()
    # Hits that held on their window's last evaluation and hold on as they were: not written
    # (their window's evaluated day moves), with that day by (rule id, window start).
    continuing: tuple[RuleHit, ...] = ()
    since: Mapping[Window, date] = field(default_factory=dict)

    @property
    def written(self) -> tuple[RuleHit, ...]:
        """The hits stored or updated tonight: what a case, a notice or a task is told of. A
        hit that goes on holding as it was is not (`continuing`)."""
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
    inputs = await other_inputs(uow, school, start, day)
    others = pupils_with(inputs)
    classes = await uow.thresholds.active_classes(key)
    # Per rule, the pupils it may hit: those the counts allow, and all with more than marks.
    candidates: dict[str, set[str]] = {rule.id: set(others) for rule in rules}
    families = _families(school, rules, day)
    # Every window ends on the day evaluated: one read of the marks counts them all, and
    # where a rule counts marked days, finds the pupils with a day of two marks.
    wanted = sorted(
        {(first, rule.counts) for (first, _), same in families.items() for rule in same}
    )
    marked = any(counts_marked_days(rule) for family in families.values() for rule in family)
    # A share's known days are at least the class's taken days (`may_hold`): read first, so
    # that the scan leaves out the pupils whose count cannot reach a share in any class.
    window_days = {span: school_days(school, *span) for span in families}
    taken_of: dict[tuple[date, date], dict[str, int]] = {}
    for span, family in families.items():
        if any(rule.measure is Measure.SHARE for rule in family):
            taken_of[span] = await uow.thresholds.taken_per_class(key, window_days[span])
    names = set(classes.values())
    fewest = {
        span: min((taken.get(name, 0) for name in names), default=0)
        for span, taken in taken_of.items()
    }
    # Only the pupils whose count of some window and kind may reach a rule's are returned.
    least = [
        min(
            least_possible(rule, fewest.get(span, 0))
            for span, same in families.items()
            for rule in same
            if (span[0], rule.counts) == window
        )
        for window in wanted
    ]
    scan = await uow.thresholds.scan_windows(key, day, wanted, marked, least)
    counted = dict(zip(wanted, scan.counts, strict=True))
    windows: dict[Window, int] = {}
    # Per share rule, its candidates with nothing but marks whose class's roll call was taken
    # on every school day of the window: decided from their listed marks (`share_hits`).
    full: dict[str, set[str]] = {}
    for span, family in families.items():
        window_start, days = span[0], window_days[span]
        taken = taken_of.get(span, {})
        for rule in family:
            windows[(rule.id, window_start)] = len(days)
            counts = counted[(window_start, rule.counts)]
            candidates[rule.id].update(_may_hit(rule, counts, classes, taken, len(days)))
            if rule.measure is Measure.SHARE:
                full[rule.id] = fully_taken(
                    rule, candidates[rule.id], others, classes, taken, len(days)
                )
    shared = await share_hits(uow, school, day, families, full, counted)
    # A share rule's pupils left to the record: the others, and those with a school day of
    # two marks in the window.
    by_record = {
        rule.id: (candidates[rule.id] - full.get(rule.id, set()))
        | shared.doubled.get(rule.id, set())
        for rule in rules
    }
    # The class's taken days matter to a pupil with only marks where a rule reads the days
    # without a mark (a share's known days, a single day's neighbours, a run).
    reads_taken = set(others).union(
        *(by_record[rule.id] for rule in rules if reads_taken_days(rule)), ()
    )
    pupils = len(classes)
    # The full record is built for the pupils with more than marks, and for those a rule
    # that reads more than their counted marks may hit (a share's, unless decided from the
    # listed marks); a rule that counts marked days is decided from those marks alone for
    # the others (`marked_day_hits`), unless a day of theirs has two marks (which the record
    # decides between).
    recompute = set(others).union(
        *(by_record[rule.id] for rule in rules if not counts_marked_days(rule)), ()
    )
    plain = {
        rule.id: candidates[rule.id] - recompute for rule in rules if counts_marked_days(rule)
    }
    held = await uow.rule_hits.held(key, windows)
    found = await marked_day_hits(uow, school, day, families, plain, scan, counted, held)
    recompute |= found.doubled
    only = {
        rule.id: by_record[rule.id] if rule.id not in plain else candidates[rule.id] & recompute
        for rule in rules
    }
    records = await pupil_records(uow, school, start, day, recompute, reads_taken, classes, inputs)
    decided = [*evaluate_days(school, rules, day, records, only), *found.hits, *shared.hits]
    compared = [*decided, *found.held_on]
    night = night_writes(key, day, compared, held, windows, found.unchanged)
    per_rule = by_rule_and_pupil(rules, [*compared, *found.unchanged])
    hits = [hit for same in per_rule.values() for hit in same]
    written = await uow.rule_hits.store_night(key, day, night, now)
    # The days used: all of a hit's where they were listed or recorded (a new hit, one
    # decided over the record), only those counted since the window's last evaluation where
    # the hit held on it (`marked_day_hits`): two reads of few pupils' or few days' uses.
    everything = [(h.pupil_id, h.rule_id, h.days) for h in decided]
    since = [(h.pupil_id, h.rule_id, h.days) for h in found.held_on if h.days]
    uses = await uow.record_uses.add_missing_days(key, everything, now)
    uses += await uow.record_uses.add_missing_days(key, since, now)
    nothing = HeldWindow()
    return Evaluation(
        pupils,
        span,
        len(records),
        Counter({rule_id: len(same) for rule_id, same in per_rule.items() if same}),
        Counter(h.rule_id for h in written.new),
        tuple(hits),
        tuple(written.new),
        uses,
        tuple(written.updated),
        tuple(night.continuing),
        {
            window: through
            for window in windows
            if (through := held.get(window, nothing).through) is not None
        },
    )


async def to_tell(uow: UnitOfWork, school_key: str, found: Evaluation) -> tuple[RuleHit, ...]:
    """The hits cases, notices and tasks are told of: those written tonight, and those that
    go on holding unchanged (not written) where that may still change something, as it
    did when every such hit was written each night: a pupil with no open case (a case closed
    meanwhile is weighed by `routine.cases`), or whose open case was opened since the hit's
    window was last evaluated, by another reason (the rule's may not be logged on it). The
    others' case was opened by the rule, or told of it on an earlier night (when the hit was
    new, changed, or told so). One query (open cases)."""
    if not found.continuing:
        return found.written
    cases = {c.pupil_id: c for c in await uow.cases.open_cases(school_key)}
    # The evaluated day is the school's; a case's opening is in UTC, up to a day earlier
    # than the school's date: a day's margin tells a few more rather than miss one.
    since = {window: day - timedelta(days=1) for window, day in found.since.items()}
    told = [
        hit
        for hit in found.continuing
        if (case := cases.get(hit.pupil_id)) is None
        or (
            case.opened_by != rule_actor(hit.rule_id)
            and case.opened_at.date() >= since.get((hit.rule_id, hit.window_start), date.max)
        )
    ]
    return (*found.written, *told)


def by_rule_and_pupil(rules: Sequence[Rule], hits: Sequence[RuleHit]) -> dict[str, list[RuleHit]]:
    """The hits by rule id in the order of the rules, each rule's by pupil id: sorted a rule
    at a time by one attribute (tens of thousands of hits)."""
    found: dict[str, list[RuleHit]] = {rule.id: [] for rule in rules}
    for hit in hits:
        found[hit.rule_id].append(hit)
    pupil = attrgetter("pupil_id")
    for same in found.values():
        same.sort(key=pupil)
    return found


def _may_hit(
    rule: Rule,
    counts: Mapping[str, int],
    classes: Mapping[str, str],
    taken: Mapping[str, int],
    days: int,
) -> set[str]:
    """The active pupils the rule may hit by their counts (`may_hold`), decided once for each
    count and number of taken days: a hundred thousand pupils share a few dozen of them."""
    if rule.measure is not Measure.SHARE:
        # The class's taken days do not matter: decided once per count.
        holding = {n for n in set(counts.values()) if may_hold(rule, n, 0, days)}
        return {p for p, n in counts.items() if n in holding and p in classes}
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


def _families(
    school: School, rules: Sequence[Rule], day: date
) -> dict[tuple[date, date], list[Rule]]:
    families: dict[tuple[date, date], list[Rule]] = defaultdict(list)
    for rule in rules:
        span = rule.window.span(school, day)
        if span is not None:
            families[span].append(rule)
    return families
