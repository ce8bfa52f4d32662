"""The unit of work's promise, on the fakes and both databases: only what is committed stays."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from routine.model import Conversation, Pupil
from routine.ports import ConversationMoved, UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import read


class Boom(Exception):
    pass


def stored(uow_factory: UnitOfWorkFactory, key: str):
    return read(uow_factory, lambda uow: uow.conversations.get(key))


async def test_without_commit_nothing_is_kept(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.conversations.save(Conversation("k"))

    assert await stored(uow_factory, "k") is None


async def test_committed_work_is_kept(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.conversations.save(Conversation("k"))
        await uow.commit()

    assert await stored(uow_factory, "k") == Conversation("k")


async def test_an_exception_rolls_back_and_propagates(uow_factory: UnitOfWorkFactory) -> None:
    with pytest.raises(Boom):
        async with uow_factory() as uow:
            await uow.conversations.save(Conversation("k"))
            raise Boom

    assert await stored(uow_factory, "k") is None


async def test_rollback_drops_only_what_came_after_the_last_commit(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.conversations.save(Conversation("kept"))
        await uow.commit()
        await uow.conversations.save(Conversation("dropped"))
        await uow.rollback()
        assert await uow.conversations.get("dropped") is None

    assert await stored(uow_factory, "kept") == Conversation("kept")
    assert await stored(uow_factory, "dropped") is None


async def test_work_after_a_commit_needs_another_commit(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.conversations.save(Conversation("first"))
        await uow.commit()
        await uow.conversations.save(Conversation("second"))

    assert await stored(uow_factory, "first") == Conversation("first")
    assert await stored(uow_factory, "second") is None


async def test_a_unit_of_work_sees_its_own_uncommitted_writes(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.conversations.save(Conversation("k", state="draft"))

        assert await uow.conversations.get("k") == Conversation("k", state="draft")


async def test_save_and_commit_keeps_the_conversation(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        await uow.save_and_commit(Conversation("k", state="first"))
    async with uow_factory() as uow:
        conversation = await uow.conversations.get("k")
        assert conversation is not None
        conversation.state = "second"
        await uow.save_and_commit(conversation)

    assert await stored(uow_factory, "k") == Conversation("k", state="second", version=2)


async def test_save_and_commit_of_a_conversation_that_moved_keeps_nothing(
    uow_factory: UnitOfWorkFactory,
) -> None:
    async with uow_factory() as uow:
        await uow.save_and_commit(Conversation("k", state="first"))
    with pytest.raises(ConversationMoved):
        async with uow_factory() as uow:
            await uow.conversations.save(Conversation("other"))
            await uow.save_and_commit(Conversation("k", state="stale", version=0))

    assert await stored(uow_factory, "k") == Conversation("k", state="first", version=1)
    assert await stored(uow_factory, "other") is None


@pytest.mark.parametrize("backend", BACKENDS)
async def test_save_and_commit_writes_what_waits_first_and_fails_with_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """A change waiting in the session is written before the save, not by the commit after it:
    a save that commits itself (PostgreSQL) must not be kept when that change fails."""
    with pytest.raises(IntegrityError):
        async with uow_factory() as uow:
            await uow.pupils.save(Pupil("no-such-school", "p1", "Åsa Lind", "7A"))
            await uow.save_and_commit(Conversation("k"))

    assert await stored(uow_factory, "k") is None


async def test_sql_repositories_are_made_on_first_use_with_the_open_session(
    sqlite_uow_factory: UnitOfWorkFactory,
) -> None:
    """Made lazily, a repository still belongs to the session of the opening that uses it:
    a unit of work opened again gets new ones, and none is had outside `async with`."""
    uow = sqlite_uow_factory()
    with pytest.raises(RuntimeError):
        uow.conversations  # noqa: B018
    async with uow:
        first = uow.conversations
        assert uow.conversations is first
        assert first.session is uow._session
    async with uow:
        again = uow.conversations
        assert again is not first and again.session is uow._session
        await again.save(Conversation("k"))
        await uow.commit()
    assert await stored(sqlite_uow_factory, "k") == Conversation("k")
