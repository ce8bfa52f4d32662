from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.engine import Engine
from dialogs.events import ConversationKey
from dialogs.flows import all_flows
from routine.model import (
    AbsenceCode,
    ChatAccount,
    Country,
    Guardian,
    Language,
    Pupil,
    Role,
    School,
    SchoolClass,
    StaffMember,
)
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory

# Monday 23 November 2026, 08:30 in Stockholm, Oslo and Copenhagen.
MONDAY_MORNING = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


SCHOOLS = {
    "se": School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV),
    "no": School("no", "Fjellvang skole", Country.NO, "Europe/Oslo", Language.NB),
    "dk": School("dk", "Skovbakke Skole", Country.DK, "Europe/Copenhagen", Language.DA),
}

PUPILS = [
    Pupil("se", "P1", "Elsa Berg", "7A"),
    Pupil("se", "P2", "Olle Berg", "7B"),
    Pupil("se", "P3", "Maja Lind", "7A"),
    Pupil("no", "P1", "Ola Nordmann", "8A"),
    Pupil("dk", "P1", "Emil Hansen", "6A"),
]

GUARDIANS = [
    Guardian("se", "G1", "Anna Berg", Language.SV, pupil_ids=("P1", "P2")),
    Guardian("se", "G2", "Per Lind", Language.SV, pupil_ids=("P3",)),
    Guardian("no", "G1", "Kari Nordmann", Language.NB, pupil_ids=("P1",)),
    Guardian("dk", "G1", "Mette Hansen", Language.DA, pupil_ids=("P1",)),
]

STAFF = [
    StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",)),
    StaffMember("se", "S2", "Jonas Ahl", frozenset({Role.MENTOR}), ("7B",)),
    StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL})),
    StaffMember("se", "S4", "Nils Holm", frozenset({Role.COORDINATOR})),
    StaffMember("no", "S1", "Lise Berg", frozenset({Role.MENTOR}), ("8A",)),
    StaffMember("dk", "S1", "Søren Madsen", frozenset({Role.MENTOR}), ("6A",)),
]


async def seed(factory: FakeUnitOfWorkFactory) -> None:
    async with factory() as uow:
        for school in SCHOOLS.values():
            await uow.schools.save(school)
        for pupil in PUPILS:
            await uow.classes.save(SchoolClass(pupil.school_key, pupil.class_name))
            await uow.pupils.save(pupil)
        for guardian in GUARDIANS:
            await uow.guardians.save(guardian)
            account_id = f"{guardian.school_key}-{guardian.guardian_id}"
            await uow.accounts.save(
                ChatAccount(
                    "test", account_id, guardian.school_key, "guardian", guardian.guardian_id
                )
            )
        for member in STAFF:
            await uow.staff.save(member)
            account_id = f"{member.school_key}-{member.staff_id}"
            await uow.accounts.save(
                ChatAccount("test", account_id, member.school_key, "staff", member.staff_id)
            )
        await uow.commit()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY_MORNING)


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    await seed(factory)
    return factory


@pytest.fixture
def engine(world: FakeUnitOfWorkFactory, clock: FixedClock) -> Engine:
    return Engine(uow_factory=world, flows=all_flows(), clock=clock)


@pytest.fixture
def chat_as(engine: Engine):
    """A chat for the person whose account is `school-personid`, e.g. `se-G1`."""

    def make(account_id: str, *, locale: str | None = None) -> Chat:
        key = ConversationKey(platform="test", chat=account_id, user=account_id)
        return Chat(engine, key, locale)

    return make


@pytest.fixture
async def absence_codes(world: FakeUnitOfWorkFactory) -> FakeUnitOfWorkFactory:
    """Swedish absence codes, for the forms that offer them."""
    async with world() as uow:
        await uow.codes.save(AbsenceCode("se", "illness", "Sjukdom", valid=True))
        await uow.codes.save(AbsenceCode("se", "invalid", "Ogiltig frånvaro", valid=False))
        await uow.codes.save(
            AbsenceCode("se", "late", "Sen ankomst", counts_as_absence=False, late=True)
        )
        await uow.commit()
    return world
