"""After a compare-and-set that changed no row, a read of that row in the same unit of work goes
to the database (`storage.read_cache`), even while the session still holds the row it read
before the claim, on SQLite and PostgreSQL. One rule for every claim of an ORM row: shown here
for a contact request (taken by someone else) and an invite code (used by someone else)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import InviteCode
from routine.requests import RequestStatus
from storage.accounts import SqlInviteCodeRepository
from storage.db import make_engine, make_session_factory
from storage.orm import ContactRequestRow, InviteCodeRow
from storage.requests import SqlContactRequestRepository
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.contact_requests import attendance_call
from tests.storage.support import EKBACKA, save_schools_and_people

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


@pytest.fixture
async def sessions(migrated_database_url: str) -> AsyncIterator[Any]:
    engine = make_engine(migrated_database_url)
    factory = make_session_factory(engine)
    async with SqlAlchemyUnitOfWorkFactory(factory)() as uow:
        await save_schools_and_people(uow)
        await uow.commit()
    try:
        yield factory
    finally:
        await engine.dispose()


async def test_a_lost_take_then_reads_who_took_it(sessions: Any) -> None:
    async with sessions() as session:
        request = await SqlContactRequestRepository(session).add(
            attendance_call(EKBACKA.key, "p1", "g1", NOW)
        )
        await session.commit()
    assert request.id is not None
    loser: AsyncSession
    async with sessions() as loser:
        requests = SqlContactRequestRepository(loser)
        # The row as this unit of work read it, still held (by a caller, a relationship…).
        held = await loser.get(ContactRequestRow, request.id)
        assert held is not None and held.status == RequestStatus.OPEN.value
        async with sessions() as winner:
            assert await SqlContactRequestRepository(winner).take(request.id, "s2", NOW)
            await winner.commit()
        assert not await requests.take(request.id, "s1", NOW)
        after = await requests.get(request.id)
        assert after is not None
        assert (after.status, after.taken_by) == (RequestStatus.TAKEN, "s2")


async def test_a_lost_claim_of_an_invite_code_then_reads_it_used(sessions: Any) -> None:
    async with sessions() as session:
        invite = await SqlInviteCodeRepository(session).add(
            InviteCode(EKBACKA.key, "g1", "hash-1", NOW + timedelta(hours=1))
        )
        await session.commit()
    assert invite.id is not None
    used = NOW + timedelta(minutes=5)
    async with sessions() as loser:
        invites = SqlInviteCodeRepository(loser)
        held = await loser.get(InviteCodeRow, invite.id)
        assert held is not None and held.used_at is None
        async with sessions() as winner:
            assert await SqlInviteCodeRepository(winner).mark_used(invite.id, used)
            await winner.commit()
        assert not await invites.mark_used(invite.id, used)
        again = await invites.find_by_hash("hash-1")
        assert again is not None and again.used_at == used


async def test_a_claim_that_changed_its_row_keeps_what_the_session_holds(sessions: Any) -> None:
    """Only a claim that changed nothing sends the next read to the database: a won claim
    costs no extra statement and leaves the rows the session holds as they are."""
    async with sessions() as session:
        invite = await SqlInviteCodeRepository(session).add(
            InviteCode(EKBACKA.key, "g1", "hash-2", NOW + timedelta(hours=1))
        )
        await session.commit()
    assert invite.id is not None
    async with sessions() as session:
        held = await session.get(InviteCodeRow, invite.id)
        assert held is not None
        assert await SqlInviteCodeRepository(session).mark_used(invite.id, NOW)
        assert "used_at" in held.__dict__  # not expired: still loaded
