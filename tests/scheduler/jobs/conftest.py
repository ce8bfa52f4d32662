"""The daily jobs' tests on the fakes share one school: two classes, four pupils, three
guardians, two mentors and a principal, and Monday's marks and one report."""

from __future__ import annotations

import pytest

from routine.model import (
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Language,
    MarkKind,
    Pupil,
    ReasonCategory,
    Role,
    SchoolClass,
    StaffMember,
)
from routine.roster import default_absence_codes
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.jobs.support import MONDAY, SCHOOL


@pytest.fixture
async def factory() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for name in ("7A", "7B"):
            await uow.classes.save(SchoolClass("se", name))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil in (
            Pupil("se", "P1", "Elsa Berg", "7A"),
            Pupil("se", "P2", "Maja Lind", "7A"),
            Pupil("se", "P3", "Olle Berg", "7B"),
            Pupil("se", "P4", "Ali Khan", "7B"),
        ):
            await uow.pupils.save(pupil)
        await uow.guardians.save(
            Guardian("se", "G1", "Anna Berg", Language.SV, pupil_ids=("P1", "P3"))
        )
        await uow.guardians.save(Guardian("se", "G2", "Per Lind", Language.NB, pupil_ids=("P2",)))
        await uow.guardians.save(Guardian("se", "G3", "Sara Lind", Language.DA, pupil_ids=("P2",)))
        await uow.accounts.save(ChatAccount("telegram", "1001", "se", "guardian", "G1"))
        await uow.accounts.save(ChatAccount("console", "se/guardian/G1", "se", "guardian", "G1"))
        await uow.accounts.save(ChatAccount("telegram", "1003", "se", "guardian", "G3"))
        await uow.staff.save(
            StaffMember(
                "se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U1"
            )
        )
        await uow.staff.save(
            StaffMember(
                "se", "S2", "Jonas Ahl", frozenset({Role.MENTOR}), ("7B",), Language.DA, "U2"
            )
        )
        await uow.staff.save(
            StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL}), slack_user_id="U3")
        )
        for pupil_id, kind, lesson in (
            ("P1", MarkKind.ABSENT, None),
            ("P2", MarkKind.ABSENT, "Matematik"),
            ("P2", MarkKind.ABSENT, "Engelska"),
            ("P3", MarkKind.ABSENT, None),
            ("P4", MarkKind.LATE, None),
        ):
            await uow.marks.add(AttendanceMark("se", pupil_id, MONDAY, kind, lesson=lesson))
        await uow.reports.add(
            AbsenceReport("se", "P3", "G1", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await uow.commit()
    return factory
