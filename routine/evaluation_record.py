"""The nightly evaluation's record (`routine.evaluation`): the school's rows other than marks,
read whole, and the days of the few pupils whose record is built, as `routine.record` decides
them, with a query per kind of row, never one per pupil.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import date

from routine.leave import LeaveStatus
from routine.model import Pupil, School
from routine.policy import Counted, Measure, Rule
from routine.ports import UnitOfWork
from routine.record import RecordInputs, build_decided_days, school_days
from routine.thresholds import PupilDays


def reads_taken_days(rule: Rule) -> bool:
    """Whether the rule reads the days without a mark (a share's known days, a single day's
    neighbours, a run): then a pupil's class's taken days are loaded with their record."""
    return rule.measure in (Measure.SHARE, Measure.IN_A_ROW) or rule.counts is Counted.SINGLE_DAYS


async def other_inputs(uow: UnitOfWork, school: School, start: date, end: date) -> RecordInputs:
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


def pupils_with(inputs: RecordInputs) -> set[str]:
    found = {r.pupil_id for r in inputs.reports}
    found.update(r.pupil_id for r in inputs.leave)
    found.update(c.pupil_id for c in inputs.corrections)
    found.update(pupil for pupil, _day in inputs.judgements)
    return found


async def pupil_records(
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
    that read the days without one (`reads_taken_days`)."""
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
