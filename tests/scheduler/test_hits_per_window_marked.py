"""Rule hits stored per window: the hits of the rules that count marked days, decided from the
counted marks alone, are the full record's over two nights."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from routine import evaluation
from routine.evaluation import evaluate_thresholds
from routine.history import record_of
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    Country,
    MarkKind,
    MarkSource,
    Pupil,
    ReasonCategory,
    School,
    SchoolClass,
)
from routine.policy import DEFAULTS, rules_for
from routine.ports import UnitOfWorkFactory
from routine.record import school_days
from routine.roster import default_absence_codes
from routine.thresholds import counts_marked_days, evaluate, record_span
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.hits_support import NOW
from tests.scheduler.test_evaluate_thresholds import EVALUATED, mixed_school

# The rules that count marked days are decided from the counted marks alone for pupils with
# nothing but marks (and over the record for those with a day of two marks): the hits must be
# exactly those of the full record. The other rules are off, so that no pupil is recomputed
# for another rule's sake.


def counting_only(country: Country) -> School:
    school = mixed_school(country)
    policy = tuple(
        replace(o, enabled=False) if not counts_marked_days(rule) else o
        for o in school.policy
        for rule in DEFAULTS[country]
        if rule.id == o.rule_id
    )
    return replace(school, policy=policy)


async def marks_mostly(factory: UnitOfWorkFactory, school: School, seed: int) -> None:
    """Forty pupils over six weeks with nothing but marks (absent one day in twenty, five or
    two and a half), from roll calls and imports, some days with two (either may be the
    day's), some lesson marks; and five with a report each. Five more absent one school
    day in three or so, one mark a day, into the week after."""
    chance = random.Random(seed)
    key = school.key
    days = school_days(school, date(2026, 8, 17), EVALUATED)
    async with factory() as uow:
        await uow.schools.save(school)
        await uow.classes.save(SchoolClass(key, "8A"))
        for code in default_absence_codes(school):
            await uow.codes.save(code)
        pupils = [f"P{n:02d}" for n in range(40)]
        for pupil_id in pupils:
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, "8A"))
        await uow.roll_calls.add_imported(key, [("8A", d) for d in days], NOW)
        marks = []
        for pupil_id in pupils:
            often = chance.choice([0.05, 0.2, 0.4])
            for day in days:
                if chance.random() > often:
                    continue
                # One day in five of theirs has a second mark; a few are on a Saturday.
                for _ in range(2 if chance.random() < 0.2 else 1):
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil_id,
                            day + timedelta(days=5 if chance.random() < 0.02 else 0),
                            chance.choice([MarkKind.ABSENT] * 3 + list(MarkKind)),
                            lesson=chance.choice([None] * 9 + ["2"]),
                            valid=chance.choice([True, False, None]),
                            code=chance.choice(["illness", "invalid", None]),
                            source=chance.choice(list(MarkSource)),
                        )
                    )
        # Five more with one day-level absence a day at most, on school days alone, also on
        # the next week's days: their hits hold on from night to night, and their counts grow
        # (or, where tonight's mark is not of the kind a rule counts, hold on unchanged).
        later = school_days(school, date(2026, 8, 17), EVALUATED + timedelta(days=9))
        for pupil_id in [f"Q{n}" for n in range(5)]:
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, "8A"))
            for day in later:
                # Every one of them marked on the next school day: a count that grows.
                if chance.random() < 0.3 or day == later[later.index(EVALUATED) + 1]:
                    valid = chance.random() < 0.5
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil_id,
                            day,
                            MarkKind.ABSENT,
                            valid=valid,
                            code="illness" if valid else "invalid",
                            source=MarkSource.IMPORT,
                        )
                    )
        await uow.marks.add_many(marks)
        for pupil_id in pupils[:5]:
            first = chance.choice(days)
            await uow.reports.add(
                AbsenceReport(key, pupil_id, "G", ReasonCategory.ILLNESS, first, first)
            )
        await uow.commit()


async def check_marked_days(factory: UnitOfWorkFactory, country: Country, seed: int) -> None:
    """Two nights: the first decides every hit from listed days (all are new); on the next,
    a hit that held and holds on is decided from its count and the days counted since (a
    mark of an earlier day arriving sends it back to its listed days). Both nights' hits
    are the full record's, and a hit's days over both nights are the record's."""
    school = counting_only(country)
    await marks_mostly(factory, school, seed)
    seen: list[tuple[int, int, int, int]] = []
    marked_day_hits = evaluation.marked_day_hits

    async def spy(*args):
        found = await marked_day_hits(*args)
        seen.append(
            (len(found.hits), len(found.doubled), len(found.held_on), len(found.unchanged))
        )
        return found

    following = school_days(school, EVALUATED + timedelta(days=1), EVALUATED + timedelta(days=9))
    used: dict[tuple[str, str, date], set[date]] = {}
    evaluation.marked_day_hits = spy
    try:
        for night in (EVALUATED, following[0]):
            async with factory() as uow:
                found = await evaluate_thresholds(uow, school, night, NOW)
                await uow.commit()
            async with factory() as uow:
                pupils = await uow.pupils.list_for_school(school.key)
                start, end = record_span(school, rules_for(school), night) or (night, night)
                full = await record_of(
                    uow, school, start - timedelta(days=7), end, pupils, whole_school=True
                )
            expected = evaluate(school, rules_for(school), night, full)
            assert sorted((h.pupil_id, h.rule_id, dict(h.numbers)) for h in found.hits) == sorted(
                (h.pupil_id, h.rule_id, dict(h.numbers)) for h in expected
            )
            for h in found.hits:
                used.setdefault((h.pupil_id, h.rule_id, h.window_start), set()).update(h.days)
            assert {
                (h.pupil_id, h.rule_id): used[(h.pupil_id, h.rule_id, h.window_start)]
                for h in found.hits
            } == {(h.pupil_id, h.rule_id): set(h.days) for h in expected}
    finally:
        evaluation.marked_day_hits = marked_day_hits
    # Every way was taken: hits from listed days, pupils with a day of two marks, and hits
    # that held on from their counts, with a mark since and without.
    [(plain, doubled, none, nor), (_, _, recent, unchanged)] = seen
    assert plain > 0 and doubled > 0 and none == nor == 0 and recent > 0 and unchanged > 0, seen


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("country", [Country.NO, Country.DK])
async def test_marked_days_decide_as_the_full_record_on_fakes(country: Country, seed: int) -> None:
    await check_marked_days(FakeUnitOfWorkFactory(), country, seed * 17 + 3)


@pytest.mark.parametrize("country", [Country.NO, Country.DK])
async def test_marked_days_decide_as_the_full_record_on_sql(
    uow_factory: UnitOfWorkFactory, country: Country
) -> None:
    await check_marked_days(uow_factory, country, 5)
