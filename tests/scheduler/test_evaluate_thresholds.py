"""`evaluate-thresholds`: the school's rules over its record, on fakes and on both SQL
backends; what held is stored once per rule, pupil and window end, with the days it used."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from routine.evaluation import evaluate_thresholds
from routine.history import record_of
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    Country,
    DateSpan,
    Language,
    MarkKind,
    MarkSource,
    PolicyOverride,
    Pupil,
    ReasonCategory,
    School,
    SchoolCalendar,
    SchoolClass,
)
from routine.policy import DEFAULTS, Measure, rules_for
from routine.ports import UnitOfWorkFactory
from routine.record import Correction, DayStatus, school_days
from routine.roster import default_absence_codes
from routine.thresholds import evaluate, record_span
from scheduler.jobs import JOBS, JobContext, after_end_of_day
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.hits_support import imported_absences

END = date(2026, 12, 4)
NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
SCHOOL = School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)


class Clock:
    def now(self) -> datetime:
        return NOW


async def set_up(factory: UnitOfWorkFactory, school: School = SCHOOL) -> list[date]:
    """Four weeks of imported registers for 7A: Alva absent 3 of 20 days (over 10 %), Bo 2
    (at 10 %), Cia absent 3 days but with only 9 known days (too few to mean anything)."""
    days = school_days(school, date(2026, 10, 1), END)[-20:]
    async with factory() as uow:
        await uow.schools.save(school)
        await uow.classes.save(SchoolClass(school.key, "7A"))
        await uow.classes.save(SchoolClass(school.key, "7B"))
        for code in default_absence_codes(school):
            await uow.codes.save(code)
        for pupil_id, class_name in (("P1", "7A"), ("P2", "7A"), ("P3", "7B")):
            await uow.pupils.save(Pupil(school.key, pupil_id, pupil_id, class_name))
        await uow.roll_calls.add_imported(
            school.key, [("7A", d) for d in days] + [("7B", d) for d in days[-9:]], NOW
        )
        absences = [("P1", d) for d in days[:3]] + [("P2", d) for d in days[:2]]
        absences += [("P3", d) for d in days[-3:]]
        await uow.marks.add_many(imported_absences(school.key, absences))
        await uow.commit()
    return days


async def run(factory: UnitOfWorkFactory, day: date = END) -> str:
    result = await JOBS["evaluate-thresholds"].run(JobContext(factory, Clock()), "se", day)
    return result.summary


async def check_evaluation(factory: UnitOfWorkFactory) -> None:
    days = await set_up(factory)
    assert await run(factory) == (
        "3 pupil(s) evaluated; hits: se.step2 1 (1 new); "
        "cases: 1 opened, 0 logged on open cases, 0 unchanged"
    )
    async with factory() as uow:
        [hit] = await uow.rule_hits.list_between("se", END, END)
        uses = await uow.record_uses.list_between("se", days[0], END)
    assert (hit.pupil_id, hit.rule_id, hit.window_start, hit.window_end) == (
        "P1",
        "se.step2",
        days[0],
        END,
    )
    assert hit.numbers == {"count": 3, "known": 20, "school_days": 20, "share": 0.15}
    assert [(u.pupil_id, u.day, u.used_by) for u in uses] == [
        ("P1", d, "se.step2") for d in days[:3]
    ]
    # Again: nothing new is stored, and the summary says so.
    assert await run(factory) == (
        "3 pupil(s) evaluated; hits: se.step2 1 (0 new); "
        "cases: 0 opened, 0 logged on open cases, 0 unchanged"
    )
    async with factory() as uow:
        assert len(await uow.rule_hits.list_between("se", END, END)) == 1
        assert len(await uow.record_uses.list_between("se", days[0], END)) == 3


async def test_the_evaluation_on_fakes() -> None:
    await check_evaluation(FakeUnitOfWorkFactory())


async def test_the_evaluation_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_evaluation(uow_factory)


async def check_a_case_opens_once(factory: UnitOfWorkFactory) -> None:
    await set_up(factory)
    await run(factory)
    # The next school day the rolling window still holds: a new hit, the same case.
    monday = date(2026, 12, 7)
    assert await run(factory, monday) == (
        "3 pupil(s) evaluated; hits: se.step2 1 (1 new); "
        "cases: 0 opened, 0 logged on open cases, 1 unchanged"
    )
    async with factory() as uow:
        [case] = await uow.cases.open_cases("se")
        log = (await uow.cases.events_of([case.id]))[case.id]
    assert (case.pupil_id, case.stage, case.opened_by) == ("P1", "se.step2", "rule:se.step2")
    [opened] = log
    assert opened.detail["numbers"] == {"count": 3, "known": 20, "school_days": 20, "share": 0.15}
    assert opened.actor == "rule:se.step2"


async def test_a_case_opens_once_on_fakes() -> None:
    await check_a_case_opens_once(FakeUnitOfWorkFactory())


async def test_a_case_opens_once_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_a_case_opens_once(uow_factory)


async def check_two_nights(factory: UnitOfWorkFactory) -> None:
    """The window ends a day later each night, so the hit is new again; the days it used were
    used the night before and are not stored twice. The night before, the window also holds a
    day without a roll call, so Bo's 2 days are over 10 % of the 19 known."""
    days = await set_up(factory)
    before = school_days(SCHOOL, days[0] - timedelta(days=7), END)[-2]
    async with factory() as uow:
        first = await evaluate_thresholds(uow, SCHOOL, before, NOW)
        await uow.commit()
    async with factory() as uow:
        second = await evaluate_thresholds(uow, SCHOOL, END, NOW)
        await uow.commit()
    async with factory() as uow:
        again = await evaluate_thresholds(uow, SCHOOL, END, NOW)
        await uow.commit()
        uses = await uow.record_uses.list_between("se", days[0] - timedelta(days=7), END)
    assert [(h.pupil_id, h.window_end) for h in first.hits] == [("P1", before), ("P2", before)]
    assert [replace(h, found_at=None, id=None) for h in first.new_hits] == list(first.hits)
    assert all(h.found_at == NOW and h.id is not None for h in first.new_hits)
    assert first.uses == 5
    assert [(h.pupil_id, h.window_end, h.days) for h in second.hits] == [
        ("P1", END, tuple(days[:3]))
    ]
    [new] = second.new_hits
    assert (new.pupil_id, new.window_end, new.found_at) == ("P1", END, NOW)
    assert new.id is not None and new.id not in {h.id for h in first.new_hits}
    assert second.uses == 0
    assert (again.hits, again.new_hits, again.uses) == (second.hits, (), 0)
    assert sorted((u.pupil_id, u.day, u.used_by) for u in uses) == [
        ("P1", d, "se.step2") for d in days[:3]
    ] + [("P2", d, "se.step2") for d in days[:2]]


async def test_two_nights_on_fakes() -> None:
    await check_two_nights(FakeUnitOfWorkFactory())


async def test_two_nights_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_two_nights(uow_factory)


async def test_a_school_policy_changes_what_holds() -> None:
    factory = FakeUnitOfWorkFactory()
    lower = PolicyOverride("se.step2", "school file", 40, threshold=0.05)
    school = School(
        "se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV, policy=(lower,)
    )
    await set_up(factory, school)
    assert await run(factory) == (
        "3 pupil(s) evaluated; hits: se.step2 2 (2 new); "
        "cases: 2 opened, 0 logged on open cases, 0 unchanged"
    )
    off = PolicyOverride("se.step2", "school file", 40, enabled=False)
    async with factory() as uow:
        await uow.schools.save(
            School("se", "E", Country.SE, "Europe/Stockholm", Language.SV, policy=(off,))
        )
        await uow.commit()
    assert await run(factory) == (
        "no counting rule applies today (all off, or outside their windows)"
    )


@pytest.mark.parametrize(("end_of_day", "expected"), [((16, 0), (16, 30)), ((23, 45), (23, 59))])
def test_it_runs_half_an_hour_after_the_end_of_day_on_school_days(
    end_of_day: tuple[int, int], expected: tuple[int, int]
) -> None:
    school = replace(SCHOOL, times=replace(SCHOOL.times, end_of_day=time(*end_of_day)))
    assert after_end_of_day(school) == time(*expected)
    assert JOBS["evaluate-thresholds"].school_days_only


# The aggregates only choose whose record to build: the hits must be exactly those the full
# record of every pupil gives, whatever the record is made of.

TERM = DateSpan(date(2026, 8, 17), date(2026, 12, 18), "autumn")
EVALUATED = date(2026, 10, 2)


def mixed_school(country: Country) -> School:
    # Lower thresholds than the defaults, so that a small school has hits of every rule.
    lower = tuple(
        PolicyOverride(rule.id, "school file", 1, enabled=True, threshold=threshold)
        for rule in DEFAULTS[country]
        if rule.measure is not Measure.EVENT
        for threshold in [0.1 if rule.measure is Measure.SHARE else 2]
    )
    return School(
        country.value.lower(),
        "Skolen",
        country,
        "Europe/Oslo",
        Language.NB,
        calendar=SchoolCalendar(terms=(TERM,)),
        policy=lower,
    )


async def mixed_record(factory: UnitOfWorkFactory, school: School, seed: int) -> None:
    """Forty pupils over six weeks: roll calls mostly taken, marks from roll calls and
    imports (some on the same day), lesson marks, reports, granted and refused leave,
    corrections; chosen at random, the same every run."""
    chance = random.Random(seed)
    key = school.key
    days = school_days(school, date(2026, 8, 17), EVALUATED)
    async with factory() as uow:
        await uow.schools.save(school)
        for name in ("8A", "8B"):
            await uow.classes.save(SchoolClass(key, name))
        for code in default_absence_codes(school):
            await uow.codes.save(code)
        pupils = [Pupil(key, f"P{n:02d}", f"P{n}", "8A" if n % 2 else "8B") for n in range(40)]
        for pupil in pupils:
            await uow.pupils.save(pupil)
        await uow.roll_calls.add_imported(
            key, [(c, d) for c in ("8A", "8B") for d in days if chance.random() < 0.9], NOW
        )
        marks, corrections = [], []
        for pupil in pupils:
            for day in days:
                roll = chance.random()
                if roll < 0.12:
                    kind = MarkKind.ABSENT if roll < 0.09 else MarkKind.LATE
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil.pupil_id,
                            day,
                            kind,
                            valid=chance.choice([True, False, None]),
                            code=chance.choice(["illness", "invalid", None]),
                            source=chance.choice(list(MarkSource)),
                        )
                    )
                elif roll < 0.14:
                    marks.append(
                        AttendanceMark(key, pupil.pupil_id, day, MarkKind.ABSENT, lesson="2")
                    )
                if chance.random() < 0.03:
                    # A second day-level mark of the same day (the record keeps one), or one
                    # on the Saturday after (the record has no such day): the counts exceed
                    # the record's, never fall short of it.
                    other = day + timedelta(days=(5 - day.weekday()) % 7 if roll < 0.5 else 0)
                    marks.append(
                        AttendanceMark(
                            key,
                            pupil.pupil_id,
                            other,
                            chance.choice([MarkKind.ABSENT, MarkKind.LATE]),
                            valid=chance.choice([True, False]),
                            code=chance.choice(["illness", "invalid"]),
                            source=chance.choice(list(MarkSource)),
                        )
                    )
                if chance.random() < 0.02:
                    await uow.reports.add(
                        AbsenceReport(
                            key,
                            pupil.pupil_id,
                            "G",
                            chance.choice(list(ReasonCategory)),
                            day,
                            day + timedelta(days=chance.choice([0, 1, 3])),
                        )
                    )
                if chance.random() < 0.01:
                    status = chance.choice([LeaveStatus.GRANTED, LeaveStatus.REFUSED])
                    await uow.leave_requests.add(
                        LeaveRequest(key, pupil.pupil_id, "G", day, day, "x", NOW, status)
                    )
                if chance.random() < 0.02:
                    corrections.append(
                        Correction(
                            key,
                            pupil.pupil_id,
                            day,
                            chance.choice([DayStatus.ABSENT, DayStatus.PRESENT]),
                            "invalid",
                            False,
                            "why",
                            "S1",
                            NOW,
                        )
                    )
        await uow.marks.add_many(marks)
        for correction in corrections:
            await uow.corrections.add(correction)
        await uow.commit()


async def check_same_as_the_full_record(
    factory: UnitOfWorkFactory, country: Country, seed: int, evaluated: date = EVALUATED
) -> None:
    school = mixed_school(country)
    await mixed_record(factory, school, seed=seed)
    await JOBS["evaluate-thresholds"].run(JobContext(factory, Clock()), school.key, evaluated)
    async with factory() as uow:
        stored = await uow.rule_hits.list_between(school.key, evaluated, evaluated)
        pupils = await uow.pupils.list_for_school(school.key)
        start, end = record_span(school, rules_for(school), evaluated) or (evaluated, evaluated)
        full = await record_of(
            uow, school, start - timedelta(days=7), end, pupils, whole_school=True
        )
    expected = evaluate(school, rules_for(school), evaluated, full)
    assert expected, "the data must give hits"
    assert sorted((h.pupil_id, h.rule_id, dict(h.numbers)) for h in stored) == sorted(
        (h.pupil_id, h.rule_id, dict(h.numbers)) for h in expected
    )


# Property-style: many random schools on the fakes, a few on each SQL backend, evaluated on
# the last day of a month (a quarter just begun for Denmark) and two days later.
@pytest.mark.parametrize("evaluated", [date(2026, 9, 30), EVALUATED])
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("country", list(Country))
async def test_the_same_hits_as_the_full_record_on_fakes(
    country: Country, seed: int, evaluated: date
) -> None:
    await check_same_as_the_full_record(
        FakeUnitOfWorkFactory(), country, seed * 31 + ord(country.value[0]), evaluated
    )


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("country", list(Country))
async def test_the_same_hits_as_the_full_record_on_sql(
    uow_factory: UnitOfWorkFactory, country: Country, seed: int
) -> None:
    await check_same_as_the_full_record(uow_factory, country, seed * 31 + ord(country.value[0]))
