"""`evaluate-thresholds`: the school's rules over its record, on fakes and on both SQL
backends; what held is stored once per rule, pupil and window end, with the days it used."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from routine.model import (
    AttendanceMark,
    Country,
    Language,
    MarkKind,
    MarkSource,
    PolicyOverride,
    Pupil,
    School,
    SchoolClass,
)
from routine.ports import UnitOfWorkFactory
from routine.record import school_days
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext, after_end_of_day
from tests.fakes import FakeUnitOfWorkFactory

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
        await uow.marks.add_many(
            [
                AttendanceMark(
                    school.key,
                    pupil,
                    day,
                    MarkKind.ABSENT,
                    valid=False,
                    code="invalid",
                    source=MarkSource.IMPORT,
                )
                for pupil, day in absences
            ]
        )
        await uow.commit()
    return days


async def run(factory: UnitOfWorkFactory, day: date = END) -> str:
    result = await JOBS["evaluate-thresholds"].run(JobContext(factory, Clock()), "se", day)
    return result.summary


async def check_evaluation(factory: UnitOfWorkFactory) -> None:
    days = await set_up(factory)
    assert await run(factory) == "3 pupil(s) evaluated; hits: se.step2 1 (1 new)"
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
    assert await run(factory) == "3 pupil(s) evaluated; hits: se.step2 1 (0 new)"
    async with factory() as uow:
        assert len(await uow.rule_hits.list_between("se", END, END)) == 1
        assert len(await uow.record_uses.list_between("se", days[0], END)) == 3


async def test_the_evaluation_on_fakes() -> None:
    await check_evaluation(FakeUnitOfWorkFactory())


async def test_the_evaluation_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_evaluation(uow_factory)


async def test_a_school_policy_changes_what_holds() -> None:
    factory = FakeUnitOfWorkFactory()
    lower = PolicyOverride("se.step2", "school file", 40, threshold=0.05)
    school = School(
        "se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV, policy=(lower,)
    )
    await set_up(factory, school)
    assert await run(factory) == "3 pupil(s) evaluated; hits: se.step2 2 (2 new)"
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
