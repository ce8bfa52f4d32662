"""`conversations.open`, the start of every chat event, on the fakes, SQLite and PostgreSQL:
it gives what `conversations.get` and `accounts.get` give, and the lookups after it (which SQL
storage answers from what it read with the conversation) never answer with a copy older than
the unit of work's own writes."""

from __future__ import annotations

import dataclasses

import pytest

from routine.model import ChatAccount, Conversation, Guardian, Language, Pupil
from routine.ports import UnitOfWork, UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import EKBACKA, GUARDIANS, PUPILS, committed, save_schools_and_people

ACCOUNT = ChatAccount("telegram", "4711", EKBACKA.key, "guardian", "g1")
CHAT = "telegram||4711|4711"


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    async def setup(uow: UnitOfWork) -> None:
        await save_schools_and_people(uow)
        # A second child, so that the guardian's children are more than one row.
        await uow.guardians.save(dataclasses.replace(GUARDIANS[0], pupil_ids=("p1", "p2")))
        await uow.accounts.save(ACCOUNT)

    await committed(uow_factory, setup)
    return uow_factory


async def test_an_unknown_chat_opens_with_nothing(store: UnitOfWorkFactory) -> None:
    async with store() as uow:
        assert await uow.conversations.open("telegram||1|1", "telegram", "1") == (None, None)


async def test_a_linked_chat_opens_with_its_conversation_and_account(
    store: UnitOfWorkFactory,
) -> None:
    async with store() as uow:
        assert await uow.conversations.open(CHAT, "telegram", "4711") == (None, ACCOUNT)
        await uow.conversations.save(Conversation(CHAT, "report_absence", "reason", {"a": [1]}))
        await uow.commit()
    async with store() as uow:
        conversation, account = await uow.conversations.open(CHAT, "telegram", "4711")
    assert conversation == Conversation(CHAT, "report_absence", "reason", {"a": [1]}, version=1)
    assert account == ACCOUNT


async def test_the_lookups_after_opening_give_what_is_stored(store: UnitOfWorkFactory) -> None:
    async with store() as uow:
        await uow.conversations.open(CHAT, "telegram", "4711")
        assert await uow.schools.get(EKBACKA.key) == EKBACKA
        guardian = await uow.guardians.get(EKBACKA.key, "g1")
        assert guardian == dataclasses.replace(GUARDIANS[0], pupil_ids=("p1", "p2"))
        assert [await uow.pupils.get(EKBACKA.key, p) for p in ("p1", "p2")] == list(PUPILS[:2])
        assert await uow.accounts.get("telegram", "4711") == ACCOUNT


async def test_the_lookups_see_the_unit_of_works_own_writes(store: UnitOfWorkFactory) -> None:
    renamed = Guardian(EKBACKA.key, "g1", "Karin Lind-Ek", Language.NB, pupil_ids=("p2",))
    moved = Pupil(EKBACKA.key, "p1", "Åsa Lind", "8C")
    async with store() as uow:
        await uow.conversations.open(CHAT, "telegram", "4711")
        # A bulk write (any statement that writes), then a repository's save.
        await uow.pupils.save_many([moved])
        assert await uow.pupils.get(EKBACKA.key, "p1") == moved
        await uow.conversations.open(CHAT, "telegram", "4711")
        await uow.guardians.save(renamed)
        assert await uow.guardians.get(EKBACKA.key, "g1") == renamed
        await uow.schools.save(dataclasses.replace(EKBACKA, name="Nya Ekbacka"))
        assert (await uow.schools.get(EKBACKA.key)).name == "Nya Ekbacka"
        await uow.accounts.delete("telegram", "4711")
        assert await uow.accounts.get("telegram", "4711") is None


async def test_a_school_changed_between_events_opens_as_changed(
    store: UnitOfWorkFactory,
) -> None:
    """SQL storage maps a school read the same as before only once; a change in any column,
    the calendar's JSON too, is seen by the next event."""
    seen = []
    for change in (
        {},
        {},
        {"name": "Nya Ekbacka"},
        {"calendar": dataclasses.replace(EKBACKA.calendar, days_off=())},
        {},
    ):
        if change:
            school = dataclasses.replace(seen[-1], **change)
            await committed(store, lambda uow, school=school: uow.schools.save(school))
        async with store() as uow:
            await uow.conversations.open(CHAT, "telegram", "4711")
            seen.append(await uow.schools.get(EKBACKA.key))
    assert seen[0] == seen[1] == EKBACKA
    assert seen[2] == dataclasses.replace(EKBACKA, name="Nya Ekbacka")
    assert seen[3] == seen[4] == dataclasses.replace(seen[2], calendar=seen[3].calendar)
    assert seen[3].calendar.days_off == ()
