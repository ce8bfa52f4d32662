"""Shared setup of the tests of rule hits stored per window (test_hits_per_window*.py): a
Norwegian school over two terms, Ola, Kari and Per in 9A, and a night's evaluation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from routine.evaluation import Evaluation, evaluate_thresholds
from routine.model import (
    AttendanceMark,
    Country,
    DateSpan,
    Language,
    MarkKind,
    MarkSource,
    Pupil,
    School,
    SchoolCalendar,
    SchoolClass,
)
from routine.ports import UnitOfWorkFactory
from routine.record import school_days
from routine.roster import default_absence_codes

AUTUMN = DateSpan(date(2026, 8, 17), date(2026, 12, 18), "autumn")
SPRING = DateSpan(date(2027, 1, 11), date(2027, 6, 11), "spring")
SCHOOL = School(
    "no",
    "Fjellet skole",
    Country.NO,
    "Europe/Oslo",
    Language.NB,
    calendar=SchoolCalendar(terms=(AUTUMN, SPRING)),
)
FIRST_NIGHT = date(2026, 11, 5)
NEXT_NIGHT = date(2026, 11, 6)
SPRING_NIGHT = date(2027, 1, 20)
NOW = datetime(2026, 11, 5, 16, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 6, 16, 0, tzinfo=UTC)


class Clock:
    def now(self) -> datetime:
        return NOW


async def set_up(factory: UnitOfWorkFactory) -> list[date]:
    """Registers of 9A every school day of both terms; Ola absent without leave on three days
    in a row in each term ("ugyldig fravær mer enn 1 gang", 002: 651, holds each term); Kari on
    one day before the first night and one on the next night, so that the rule holds for her
    from the next night on."""
    days = school_days(SCHOOL, AUTUMN.start, SPRING_NIGHT)
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.classes.save(SchoolClass(SCHOOL.key, "9A"))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil_id in ("OLA", "KARI", "PER"):
            await uow.pupils.save(Pupil(SCHOOL.key, pupil_id, pupil_id, "9A"))
        await uow.roll_calls.add_imported(SCHOOL.key, [("9A", d) for d in days], NOW)
        absent = [("OLA", d) for d in (days[10], days[11], days[12])]
        absent += [("OLA", d) for d in (days[-3], days[-2], days[-1])]
        absent += [("KARI", days[20]), ("KARI", NEXT_NIGHT)]
        await uow.marks.add_many(imported_absences(SCHOOL.key, absent))
        await uow.commit()
    return days


def imported_absences(school_key: str, absent: Iterable[tuple[str, date]]) -> list[AttendanceMark]:
    """Each (pupil, day) absent as a register import writes it: not valid, code "invalid".
    The threshold jobs' tests (here, test_evaluate_thresholds, test_case_notice_job) share it."""
    return [
        AttendanceMark(
            school_key,
            pupil,
            day,
            MarkKind.ABSENT,
            valid=False,
            code="invalid",
            source=MarkSource.IMPORT,
        )
        for pupil, day in absent
    ]


async def night(factory: UnitOfWorkFactory, day: date, now: datetime = NOW) -> Evaluation:
    async with factory() as uow:
        found = await evaluate_thresholds(uow, SCHOOL, day, now)
        await uow.commit()
    return found


def held(found: Evaluation) -> list[tuple[str, str, date, date]]:
    return [(h.pupil_id, h.rule_id, h.window_start, h.window_end) for h in found.hits]
