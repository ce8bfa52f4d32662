"""A school spec and a roster for the tests of applying them, and the helpers they share."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable

import pytest

from routine.absence_codes import DEFAULT_ABSENCE_CODES
from routine.model import Country, Language, Role, School, StaffMember
from routine.roster import import_roster
from routine.school_file import apply_school
from routine.setup import ChangeSummary, InvalidInput, RosterRow, SchoolSpec
from tests.fakes import FakeUnitOfWorkFactory

KEY = "se-test"
SCHOOL = School(KEY, "Testskolan", Country.SE, "Europe/Stockholm", Language.SV)
ANNA = StaffMember(KEY, "S-1", "Anna", frozenset({Role.MENTOR}), ("7A",), None, "U0001")
JOHAN = StaffMember(KEY, "S-2", "Johan", frozenset({Role.PRINCIPAL}), (), None, "U0002")
SPEC = SchoolSpec(SCHOOL, ("7A", "7B"), (ANNA, JOHAN))
CODES = [f"absence code {code.code}" for code in DEFAULT_ABSENCE_CODES[Country.SE]]


def row(line: int, class_name: str, pupil: str, guardian: str, **changes: object) -> RosterRow:
    base = RosterRow(
        line=line,
        class_name=class_name,
        pupil_id=pupil,
        pupil_name=f"Pupil {pupil}",
        guardian_id=guardian,
        guardian_name=f"Guardian {guardian}",
        guardian_language=Language.SV,
    )
    return dataclasses.replace(base, **changes)


# Alva (P-1) has two guardians; Karin (G-1) has two children, in different classes.
ROWS = [
    row(2, "7A", "P-1", "G-1"),
    row(3, "7A", "P-1", "G-2"),
    row(4, "7B", "P-2", "G-1"),
    row(5, "7B", "P-3", "G-3"),
]


async def apply(factory: FakeUnitOfWorkFactory, spec: SchoolSpec = SPEC) -> ChangeSummary:
    async with factory() as uow:
        return await apply_school(uow, spec)


async def import_rows(
    factory: FakeUnitOfWorkFactory, rows: list[RosterRow], school_key: str = KEY
) -> ChangeSummary:
    async with factory() as uow:
        return await import_roster(uow, school_key, rows)


async def problems_of(action: Awaitable[object]) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        await action
    return [str(problem) for problem in raised.value.problems]
