"""What "Send report" sends through `storage.direct` (the report, the class's roll call, the
pupil's follow-up) behaves as the ORM statements it replaced did, on SQLite and PostgreSQL; a
unit of work's statements share its one connection until its transaction ends; and a unit of
work let go after its commit holds nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from routine.follow_up import FollowUp
from routine.model import AbsenceReport, Conversation, ReasonCategory, SchoolClass
from routine.roll_call import RollCall, RollCallStatus
from storage import direct
from storage.chat import DIRECT
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.storage.support import EKBACKA, save_schools_and_people

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
CHAT = {"key": "k", "platform": "telegram", "account_id": "1"}


class Checkouts:
    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "checkout", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


@pytest.fixture
async def engine(migrated_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(migrated_database_url)
    factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    async with factory() as uow:
        await save_schools_and_people(uow)
        await uow.classes.save(SchoolClass(EKBACKA.key, "7A"))
        await uow.commit()
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def factory(engine: AsyncEngine) -> SqlAlchemyUnitOfWorkFactory:
    return SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))


async def test_statements_share_the_connection_until_the_transaction_ends(
    engine: AsyncEngine,
) -> None:
    checkouts = Checkouts(engine)
    async with make_session_factory(engine)() as session:
        first = await direct.connection_of(session)
        await direct.run(session, DIRECT, CHAT)
        await direct.run(session, DIRECT, CHAT)
        assert await direct.connection_of(session) is first
        assert checkouts.count == 1
        await session.commit()
        # The committed transaction gave its connection back: the next one is checked out.
        assert (await direct.run(session, DIRECT, CHAT)).rows
        second = await direct.connection_of(session)
        assert second is not first and not second.closed
        assert checkouts.count == 2
        await session.rollback()
        assert (await direct.run(session, DIRECT, CHAT)).rows
        assert await direct.connection_of(session) is not second
        assert checkouts.count == 3


async def test_a_unit_of_work_let_go_after_its_commit_holds_no_connection(
    engine: AsyncEngine, factory: SqlAlchemyUnitOfWorkFactory
) -> None:
    async with factory() as uow:
        await uow.save_and_commit(Conversation("k"))
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    # A read after the commit begins another transaction: leaving rolls it back, gives its
    # connection back and keeps nothing written in it.
    async with factory() as uow:
        await uow.save_and_commit(Conversation("other"))
        assert await uow.conversations.get("k") == Conversation("k", version=1)
        await uow.conversations.save(Conversation("dropped"))
    assert engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with factory() as uow:
        assert await uow.conversations.get("dropped") is None
        assert await uow.conversations.get("other") == Conversation("other", version=1)


async def test_a_report_reads_back_as_added_and_goes_with_its_unit_of_work(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    stockholm = timezone(timedelta(hours=1))
    draft = AbsenceReport(
        EKBACKA.key,
        "p1",
        "g1",
        ReasonCategory.ILLNESS,
        DAY,
        DAY,
        note="Feber",
        reported_at=datetime(2026, 11, 23, 8, 0, tzinfo=stockholm),
    )
    async with factory() as uow:
        added = await uow.reports.add(draft)
        await uow.commit()
    assert added.id is not None
    assert added.reported_at == NOW and added.reported_at.tzinfo == UTC
    assert added == dataclasses.replace(draft, reported_at=NOW, id=added.id)
    async with factory() as uow:
        assert await uow.reports.get(added.id) == added
        # Not committed: the insert was in the unit of work's transaction, and goes with it.
        dropped = await uow.reports.add(dataclasses.replace(draft, pupil_id="p2"))
    async with factory() as uow:
        assert dropped.id is not None and dropped.id != added.id
        assert await uow.reports.get(dropped.id) is None


async def test_a_find_sees_a_change_not_yet_flushed(factory: SqlAlchemyUnitOfWorkFactory) -> None:
    async with factory() as uow:
        opened = await uow.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW))
        await uow.commit()
    submitted = dataclasses.replace(
        opened, status=RollCallStatus.SUBMITTED, submitted_by="s1", submitted_at=NOW
    )
    async with factory() as uow:
        await uow.roll_calls.update(submitted)  # the row is changed in the session only
        assert await uow.roll_calls.find(EKBACKA.key, "7A", DAY) == submitted
        assert await uow.roll_calls.find(EKBACKA.key, "7B", DAY) is None


async def test_a_follow_up_is_found_by_its_pupil_and_day(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    async with factory() as uow:
        added = await uow.follow_ups.add(FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=False))
        assert await uow.follow_ups.find(EKBACKA.key, "p1", DAY) == added
        assert await uow.follow_ups.find(EKBACKA.key, "p2", DAY) is None
        assert await uow.follow_ups.find(EKBACKA.key, "p1", DAY + timedelta(days=1)) is None
    assert added.id is not None and added.opened_at == NOW and added.reachable is False


async def test_a_report_the_database_refuses_fails_as_sqlalchemy_fails_it(
    factory: SqlAlchemyUnitOfWorkFactory,
) -> None:
    """No such pupil: the foreign key refuses the row, raised as SQLAlchemy's IntegrityError
    with the statement but not its parameters (people's data, bound for the operator's log)."""
    draft = AbsenceReport(
        EKBACKA.key, "no-such-pupil", "g1", ReasonCategory.ILLNESS, DAY, DAY, note="Hemligt"
    )
    with pytest.raises(IntegrityError) as raised:
        async with factory() as uow:
            await uow.reports.add(draft)
    assert "absence_reports" in str(raised.value)
    assert "no-such-pupil" not in str(raised.value) and "Hemligt" not in str(raised.value)
    async with factory() as uow:
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY) == []
