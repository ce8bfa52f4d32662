"""The nightly evaluation of the school's counting rules: aggregates in storage, the record
only where it can change the answer.

For each window the rules use (4 weeks, a month, a term, a quarter) and each kind of day they
count (absent, invalid, valid, late, illness), storage counts every pupil's marks in one GROUP
BY (`uow.thresholds`), and the classes' taken days in one more where a rule is a share. For a
pupil with nothing but marks in the window those counts are never below the record's, so a
rule that does not hold over them (`routine.thresholds.may_hold`) does not hold. So the full
record (`routine.record`, the same one `narvaro attendance show` reads) is built only for the
pupils a rule may hit, and for those whose window also has a report, granted leave, a
correction or a judgement; the hits are decided over that record.
New hits are stored with the days they used (`RecordUse`, used_by = the rule's id), so that a
later correction of such a day is flagged to the principal. Evaluating a day again stores
nothing new. Queries: a few per window and a few for the record, never one per pupil.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from routine.leave import LeaveStatus
from routine.model import Pupil, School
from routine.policy import Measure, Rule, rules_for
from routine.ports import UnitOfWork
from routine.record import RecordInputs, RecordUse, build_days, school_days
from routine.thresholds import (
    PupilDays,
    RuleHit,
    counting_rules,
    evaluate_days,
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
    # The hits stored for the first time: what may open a case (routine.case_opening).
    new_hits: tuple[RuleHit, ...] = ()

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
    recompute = _pupils_with(inputs)
    classes = await uow.thresholds.active_classes(key)
    for (window_start, window_end), family in _families(school, rules, day).items():
        days = school_days(school, window_start, window_end)
        shares = any(rule.measure is Measure.SHARE for rule in family)
        taken = await uow.thresholds.taken_per_class(key, days) if shares else {}
        for counted in sorted({rule.counts for rule in family}):
            same = [rule for rule in family if rule.counts is counted]
            counts = await uow.thresholds.count_days(key, window_start, window_end, counted)
            recompute.update(
                pupil_id
                for pupil_id, count in counts.items()
                if pupil_id in classes
                and any(
                    may_hold(rule, count, taken.get(classes[pupil_id], 0), len(days))
                    for rule in same
                )
            )
    pupils = len(classes)
    records = await _records(uow, school, start, day, recompute & set(classes), inputs)
    hits = evaluate_days(school, rules, day, records)
    new = await uow.rule_hits.add_new(hits, now)
    await uow.record_uses.add_many(_uses(new, now))
    return Evaluation(
        pupils,
        span,
        len(records),
        Counter(h.rule_id for h in hits),
        Counter(h.rule_id for h in new),
        tuple(new),
    )


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
    inputs: RecordInputs,
) -> dict[str, PupilDays]:
    """These (active) pupils' days as `routine.record` decides them: a record for each day
    something decides, the class's taken days for the rest."""
    if not pupil_ids:
        return {}
    key = school.key
    pupils: list[Pupil] = [p for p in await uow.school_day.pupils(key, pupil_ids) if p.active]
    wanted = {p.pupil_id for p in pupils}
    marks = await uow.thresholds.marks_of(key, start, end, wanted)
    taken = await uow.thresholds.taken_days(key, start, end, {p.class_name for p in pupils})
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
    decided = build_days(school, days, record_inputs, _decided_days(record_inputs, days))
    position = {day: index for index, day in enumerate(days)}
    taken_by_class: dict[str, set[date]] = defaultdict(set)
    for class_name, day in taken:
        taken_by_class[class_name].add(day)
    return {
        p.pupil_id: PupilDays(
            p.pupil_id,
            days,
            position,
            decided.get(p.pupil_id, {}),
            frozenset(taken_by_class.get(p.class_name, ())),
        )
        for p in pupils
    }


def _decided_days(inputs: RecordInputs, days: list[date]) -> dict[str, set[date]]:
    """Each pupil's school days that something other than the roll call may decide."""
    school_day = set(days)
    found: dict[str, set[date]] = defaultdict(set)
    for mark in inputs.marks:
        found[mark.pupil_id].add(mark.day)
    for correction in inputs.corrections:
        found[correction.pupil_id].add(correction.day)
    for pupil_id, day in inputs.judgements:
        found[pupil_id].add(day)
    for span in [*inputs.reports, *inputs.leave]:
        found[span.pupil_id].update(d for d in days if span.first_day <= d <= span.last_day)
    return {
        pupil: {d for d in found_days if d in school_day} for pupil, found_days in found.items()
    }


def _uses(hits: list[RuleHit], now: datetime) -> list[RecordUse]:
    return [RecordUse(h.school_key, h.pupil_id, d, h.rule_id, now) for h in hits for d in h.days]
