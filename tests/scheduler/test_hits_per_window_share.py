"""The share rules' hits of the pupils with nothing but marks whose class's roll call was taken
on every school day of the window, decided from their listed marks (`share_hits`), are the
full record's: numbers, days and order, beside the pupils the record still decides."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from routine import evaluation
from routine.evaluation import evaluate_thresholds
from routine.evaluation_share import ShareHits, fully_taken
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
from routine.policy import SE_STEP2, Counted, Measure, rules_for
from routine.ports import UnitOfWorkFactory
from routine.record import school_days
from routine.roster import default_absence_codes
from routine.thresholds import RuleHit, evaluate, record_span
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.hits_support import NOW
from tests.scheduler.test_evaluate_thresholds import TERM, mixed_school

# Sweden's 20 school days to date; Denmark's quarter to date (its last day, a quarter of
# 33 school days of the term), beside its rules that count marked days.
EVALUATED = {Country.SE: date(2026, 10, 2), Country.NO: date(2026, 10, 2)}
EVALUATED[Country.DK] = date(2026, 9, 30)
# 8A and 8B: every roll call taken; 8C: one missed in the last 20 school days; 8D: one
# missed in the term's first week (before Sweden's window, inside Denmark's quarter).
CLASSES = ("8A", "8B", "8C", "8D")


def absent(key: str, pupil_id: str, day: date, **more) -> AttendanceMark:
    fields = {"valid": False, "code": "invalid", "source": MarkSource.IMPORT} | more
    return AttendanceMark(key, pupil_id, day, MarkKind.ABSENT, **fields)


async def marks_and_roll_calls(
    factory: UnitOfWorkFactory, school: School, evaluated: date, seed: int
) -> None:
    """Forty pupils at random (absent one day in thirty to one in four, some lates, lesson
    marks, a second mark of a day, a mark on a Saturday, a report now and then), and in 8A
    eight set by hand over the last 20 school days: absent 1, 2 (at 10 %) and 3 days (over);
    2 and one more on a Saturday; 3 with one of them also marked late by the roll call (the
    record's day is late); 4 with a day of two marks; 3 and lesson marks; 3 and a report;
    and one absent 6 days in 8B, one in 8C."""
    chance = random.Random(seed)
    key = school.key
    term = school_days(school, TERM.start, evaluated)
    window = term[-20:]
    async with factory() as uow:
        await uow.schools.save(school)
        for name in CLASSES:
            await uow.classes.save(SchoolClass(key, name))
        for code in default_absence_codes(school):
            await uow.codes.save(code)
        missed = {("8C", window[7]), ("8D", term[2])}
        await uow.roll_calls.add_imported(
            key, [(c, d) for c in CLASSES for d in term if (c, d) not in missed], NOW
        )
        marks: list[AttendanceMark] = []
        for n in range(40):
            pupil_id = f"P{n:02d}"
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, CLASSES[n % 4]))
            often = chance.choice([0.03, 0.08, 0.15, 0.25])
            for day in term:
                roll = chance.random()
                if roll < often:
                    kind = chance.choice([MarkKind.ABSENT] * 4 + [MarkKind.LATE])
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil_id,
                            day,
                            kind,
                            valid=chance.choice([True, False, None]),
                            code=chance.choice(["illness", "invalid", None]),
                            source=chance.choice(list(MarkSource)),
                        )
                    )
                    if chance.random() < 0.05:
                        marks.append(absent(key, pupil_id, day, source=MarkSource.ROLL_CALL))
                elif roll < often + 0.03:
                    marks.append(absent(key, pupil_id, day, lesson="3"))
                if chance.random() < 0.005:
                    marks.append(absent(key, pupil_id, day + timedelta(days=5 - day.weekday())))
                if chance.random() < 0.004:
                    await uow.reports.add(
                        AbsenceReport(key, pupil_id, "G", ReasonCategory.ILLNESS, day, day)
                    )
        by_hand = {
            "A1": window[3:4],
            "A2": window[3:5],
            "A3": window[3:6],
            "A4": window[3:5],
            "A5": window[3:6],
            "A6": window[3:7],
            "A7": window[3:6],
            "A8": window[3:6],
        }
        for pupil_id, days in by_hand.items():
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, "8A"))
            marks.extend(absent(key, pupil_id, d) for d in days)
        for pupil_id, class_name in (("B1", "8B"), ("C1", "8C")):
            await uow.pupils.save(Pupil(key, pupil_id, pupil_id, class_name))
            marks.extend(absent(key, pupil_id, d) for d in window[2:8])
        saturday = window[-1] - timedelta(days=(window[-1].weekday() - 5) % 7)
        marks.append(absent(key, "A4", saturday))
        marks.append(AttendanceMark(key, "A5", window[3], MarkKind.LATE))
        marks.append(absent(key, "A6", window[4], valid=True, code="illness"))
        marks.extend(absent(key, "A7", d, lesson="2") for d in window[10:14])
        await uow.marks.add_many(marks)
        await uow.reports.add(
            AbsenceReport(key, "A8", "G", ReasonCategory.ILLNESS, window[12], window[12])
        )
        await uow.commit()


def as_compared(hits: list[RuleHit] | tuple[RuleHit, ...]) -> list[tuple[object, ...]]:
    return [
        (h.rule_id, h.pupil_id, h.window_start, h.window_end, list(h.numbers.items()), h.days)
        for h in hits
    ]


async def check_shares(factory: UnitOfWorkFactory, country: Country, seed: int) -> None:
    school = mixed_school(country)
    evaluated = EVALUATED[country]
    await marks_and_roll_calls(factory, school, evaluated, seed)
    seen: list[tuple[dict[str, set[str]], ShareHits]] = []
    share_hits = evaluation.share_hits

    async def spy(uow, school, day, families, pupils, counted):
        found = await share_hits(uow, school, day, families, pupils, counted)
        seen.append(({r: set(p) for r, p in pupils.items()}, found))
        return found

    evaluation.share_hits = spy
    try:
        async with factory() as uow:
            found = await evaluate_thresholds(uow, school, evaluated, NOW)
            await uow.commit()
    finally:
        evaluation.share_hits = share_hits
    async with factory() as uow:
        pupils = await uow.pupils.list_for_school(school.key)
        start, end = record_span(school, rules_for(school), evaluated) or (evaluated, evaluated)
        full = await record_of(
            uow, school, start - timedelta(days=7), end, pupils, whole_school=True
        )
    expected = evaluate(school, rules_for(school), evaluated, full)
    # Every hit the same, numbers (keys in order), days and order alike.
    assert as_compared(found.hits) == as_compared(expected)
    shares = {r.id for r in rules_for(school) if r.measure is Measure.SHARE and r.enabled}
    share_hits_found = [h for h in expected if h.rule_id in shares]
    [(decided_by_counts, shared)] = seen
    classes = {p.pupil_id: p.class_name for p in pupils}
    # Every way was taken: hits from the listed marks, pupils with a school day of two marks
    # left to the record, and hits over the record of a class with a roll call missed (or
    # of a pupil with a report).
    assert "B1" in {h.pupil_id for h in shared.hits} and shared.doubled, shared
    by_counts = set().union(*decided_by_counts.values())
    assert "C1" in {h.pupil_id for h in share_hits_found} and "C1" not in by_counts
    # Only pupils of classes whose every roll call of the window was taken.
    fully = ("8A", "8B", "8D") if country is Country.SE else ("8A", "8B")
    assert {classes[p] for p in by_counts} <= set(fully), by_counts
    if country is Country.SE:
        hits = {h.pupil_id for h in share_hits_found}
        assert {"A1", "A2", "A4", "A5"}.isdisjoint(hits) and {"A3", "A6", "A7", "A8"} <= hits
        assert {"A3", "A7"} <= {h.pupil_id for h in shared.hits}
        assert "A6" in shared.doubled["se.step2"]
        assert "A8" not in decided_by_counts["se.step2"]
        assert not any(classes[p] == "8C" for p in decided_by_counts["se.step2"])


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("country", [Country.SE, Country.DK])
async def test_shares_decide_as_the_full_record_on_fakes(country: Country, seed: int) -> None:
    await check_shares(FakeUnitOfWorkFactory(), country, seed * 13 + 1)


@pytest.mark.parametrize("country", [Country.SE, Country.DK])
async def test_shares_decide_as_the_full_record_on_sql(
    uow_factory: UnitOfWorkFactory, country: Country
) -> None:
    await check_shares(uow_factory, country, 7)


def test_only_a_share_of_marked_days_in_classes_fully_taken_is_decided_from_marks() -> None:
    """The candidates with nothing but marks of a class whose every roll call of the window
    was taken; never for a share of single days (the record decides their neighbours) or a
    rule that is no share."""
    classes = {"P1": "8A", "P2": "8A", "P3": "8B", "P4": "8C"}
    taken = {"8A": 20, "8B": 19}
    candidates = {"P1", "P2", "P3", "P4", "P5"}
    assert fully_taken(SE_STEP2, candidates, {"P2"}, classes, taken, 20) == {"P1"}
    assert fully_taken(SE_STEP2, candidates, set(), classes, taken, 19) == {"P3"}
    single = replace(SE_STEP2, counts=Counted.SINGLE_DAYS)
    assert fully_taken(single, candidates, set(), classes, taken, 20) == set()
    days = replace(SE_STEP2, measure=Measure.DAYS)
    assert fully_taken(days, candidates, set(), classes, taken, 20) == set()
