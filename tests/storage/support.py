"""Helpers for storage tests: run one step in its own unit of work, and sample data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import TypeVar

from routine.model import (
    Country,
    DateSpan,
    Guardian,
    Language,
    PrivacySettings,
    Pupil,
    Role,
    School,
    SchoolCalendar,
    SchoolTimes,
    StaffMember,
)
from routine.ports import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")


async def committed(
    uow_factory: UnitOfWorkFactory, step: Callable[[UnitOfWork], Awaitable[T]]
) -> T:
    """Run the step in a unit of work of its own and commit it."""
    async with uow_factory() as uow:
        result = await step(uow)
        await uow.commit()
    return result


async def read(uow_factory: UnitOfWorkFactory, step: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Run the step in a fresh unit of work, so it reads what was stored, not what was cached."""
    async with uow_factory() as uow:
        return await step(uow)


EKBACKA = School(
    key="se-ekbacka",
    name="Ekbackaskolan",
    country=Country.SE,
    timezone="Europe/Stockholm",
    language=Language.SV,
    times=SchoolTimes(
        roll_call=time(8, 10),
        report_cutoff=time(7, 45),
        unreported_prompt=time(8, 50),
        end_of_day=time(15, 30),
    ),
    calendar=SchoolCalendar(
        terms=(
            DateSpan(date(2025, 8, 18), date(2025, 12, 19), "Hösttermin"),
            DateSpan(date(2026, 1, 8), date(2026, 6, 12), "Vårtermin"),
        ),
        breaks=(DateSpan(date(2025, 10, 27), date(2025, 10, 31), "Höstlov"),),
        days_off=(date(2025, 11, 7), date(2026, 5, 15)),
    ),
    privacy=PrivacySettings(mentor_sees_reason=True, mentor_sees_note=False, retention_days=200),
)

FJELL = School(
    key="no-fjell",
    name="Fjell skole",
    country=Country.NO,
    timezone="Europe/Oslo",
    language=Language.NB,
)

PUPILS = (
    Pupil(EKBACKA.key, "p1", "Åsa Lind", "7A"),
    Pupil(EKBACKA.key, "p2", "Zlatan Berg", "7A"),
    Pupil(EKBACKA.key, "p3", "Örjan Ek", "7B"),
    # The same pupil id at another school is another pupil.
    Pupil(FJELL.key, "p1", "Ola Nordmann", "8A"),
)

GUARDIANS = (
    Guardian(EKBACKA.key, "g1", "Karin Lind", Language.SV, pupil_ids=("p1",)),
    Guardian(EKBACKA.key, "g2", "Per Ek", Language.SV, pupil_ids=("p3",)),
    Guardian(FJELL.key, "g1", "Kari Nordmann", Language.NB, pupil_ids=("p1",)),
)


# Staff of Ekbackaskolan, not saved by save_schools_and_people: the staff tests save them.
MENTOR = StaffMember(
    EKBACKA.key,
    "s2",
    "Lena Mentor",
    frozenset({Role.MENTOR, Role.COORDINATOR}),
    classes=("7B", "7A"),
    language=Language.SV,
    slack_user_id="U0LENA",
)
PRINCIPAL = StaffMember(EKBACKA.key, "s1", "Rektor Rask", frozenset({Role.PRINCIPAL}))


async def save_schools_and_people(uow: UnitOfWork) -> None:
    for school in (EKBACKA, FJELL):
        await uow.schools.save(school)
    for pupil in PUPILS:
        await uow.pupils.save(pupil)
    for guardian in GUARDIANS:
        await uow.guardians.save(guardian)
