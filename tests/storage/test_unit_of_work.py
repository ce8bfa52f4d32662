"""The unit of work's promise, on the fakes and both databases: only what is committed stays."""

from __future__ import annotations

import pytest

from routine.model import Conversation
from routine.ports import UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import read


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


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
