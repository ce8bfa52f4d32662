"""A school's staff, codes and the day's marks, reports and roll calls are read once per unit
of work (`storage.read_cache`), on SQLite and PostgreSQL: a second read costs no statement,
and no read answers with a list older than the unit of work's own writes (flushed or not), or
than another unit of work's committed ones."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event, text

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    MarkKind,
    ReasonCategory,
    Role,
    SchoolClass,
    StaffMember,
)
from routine.requests import AbsencePrompt
from routine.roll_call import RollCall, RollCallStatus
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.storage.support import EKBACKA, FJELL, PUPILS, save_schools_and_people

MENTOR = StaffMember(
    EKBACKA.key, "s2", "Lena Lärare", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U2"
)
PRINCIPAL = StaffMember(EKBACKA.key, "s1", "Rektor Rask", frozenset({Role.PRINCIPAL}))
DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


class Counted:
    def __init__(self, factory: SqlAlchemyUnitOfWorkFactory, engine: Any) -> None:
        self.factory, self.statements = factory, 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.statements += 1


@pytest.fixture
async def store(migrated_database_url: str) -> AsyncIterator[Counted]:
    engine = make_engine(migrated_database_url)
    counted = Counted(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), engine)
    async with counted.factory() as uow:
        await save_schools_and_people(uow)
        await uow.staff.save_many([PRINCIPAL, MENTOR])
        await uow.commit()
    try:
        yield counted
    finally:
        await engine.dispose()


async def test_a_second_read_costs_no_statement(store: Counted) -> None:
    async with store.factory() as uow:
        first = await uow.staff.list_for_school(EKBACKA.key)
        before = store.statements
        again = await uow.staff.list_for_school(EKBACKA.key)
        assert store.statements == before
        assert again == first == [PRINCIPAL, MENTOR]
        assert await uow.staff.list_for_school(FJELL.key) == []
        assert store.statements > before  # another school is its own read


async def test_a_school_and_its_staff_are_one_statement(store: Counted) -> None:
    async with store.factory() as uow:
        before = store.statements
        school = await uow.schools.get_with_staff(EKBACKA.key)
        assert store.statements == before + 1
        assert await uow.staff.list_for_school(EKBACKA.key) == [PRINCIPAL, MENTOR]
        assert store.statements == before + 1
        assert school == await uow.schools.get(EKBACKA.key) == EKBACKA
        # A school without staff, and a key no school has.
        assert await uow.schools.get_with_staff(FJELL.key) == FJELL
        assert await uow.staff.list_for_school(FJELL.key) == []
        assert await uow.schools.get_with_staff("no-such-school") is None


async def test_a_read_after_a_save_sees_it(store: Counted) -> None:
    renamed = dataclasses.replace(MENTOR, name="Lena Lind", classes=("7A", "8B"))
    async with store.factory() as uow:
        await uow.staff.list_for_school(EKBACKA.key)
        await uow.staff.save(renamed)
        assert await uow.staff.list_for_school(EKBACKA.key) == [PRINCIPAL, renamed]


async def test_a_read_after_a_bulk_save_or_a_delete_sees_it(store: Counted) -> None:
    coordinator = StaffMember(EKBACKA.key, "s3", "Kim Koordinator", frozenset({Role.COORDINATOR}))
    async with store.factory() as uow:
        await uow.staff.list_for_school(EKBACKA.key)
        await uow.staff.save_many([coordinator])
        assert await uow.staff.list_for_school(EKBACKA.key) == [PRINCIPAL, MENTOR, coordinator]
        await uow.staff.delete(EKBACKA.key, "s2")
        assert await uow.staff.list_for_school(EKBACKA.key) == [PRINCIPAL, coordinator]


async def test_a_read_after_raw_sql_sees_it(store: Counted) -> None:
    async with store.factory() as uow:
        await uow.staff.list_for_school(EKBACKA.key)
        await uow._open_session().execute(
            text("UPDATE staff SET name = 'Ny' WHERE staff_id = 's1'")
        )
        assert (await uow.staff.list_for_school(EKBACKA.key))[0].name == "Ny"


async def test_a_new_transaction_sees_what_another_committed(store: Counted) -> None:
    async with store.factory() as uow:
        assert await uow.staff.list_for_school(EKBACKA.key) == [PRINCIPAL, MENTOR]
        await uow.commit()
        async with store.factory() as other:
            await other.staff.delete(EKBACKA.key, "s1")
            await other.commit()
        assert await uow.staff.list_for_school(EKBACKA.key) == [MENTOR]


async def test_the_days_lists_are_read_once_and_follow_the_writes(store: Counted) -> None:
    async with store.factory() as uow:
        assert await uow.marks.list_for_day(EKBACKA.key, DAY) == []
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY) == []
        assert await uow.codes.list_for(EKBACKA.key) == []
        assert await uow.roll_calls.list_for_day(EKBACKA.key, DAY) == []
        before = store.statements
        assert await uow.marks.list_for_day(EKBACKA.key, DAY) == []
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY, ["p1"]) == []
        assert await uow.codes.list_for(EKBACKA.key) == []
        assert await uow.roll_calls.list_for_day(EKBACKA.key, DAY) == []
        assert store.statements == before

        mark = await uow.marks.add(AttendanceMark(EKBACKA.key, "p1", DAY, MarkKind.ABSENT))
        assert await uow.marks.list_for_day(EKBACKA.key, DAY) == [mark]
        report = await uow.reports.add(
            AbsenceReport(EKBACKA.key, "p1", "g1", ReasonCategory.ILLNESS, DAY, DAY)
        )
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY) == [report]
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY, ["p1"]) == [report]
        assert await uow.reports.list_overlapping(EKBACKA.key, DAY, DAY, ["p2"]) == []
        await uow.classes.save(SchoolClass(EKBACKA.key, "7A"))
        roll_call = await uow.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW))
        assert await uow.roll_calls.list_for_day(EKBACKA.key, DAY) == [roll_call]
        await uow.morning.close_open_roll_calls([EKBACKA.key], DAY)
        (closed,) = await uow.roll_calls.list_for_day(EKBACKA.key, DAY)
        assert closed.status is RollCallStatus.NOT_ANSWERED


async def test_a_change_not_yet_flushed_is_seen(store: Counted) -> None:
    sick = AbsenceCode(EKBACKA.key, "S", "Sjuk", valid=True)
    async with store.factory() as uow:
        assert await uow.codes.list_for(EKBACKA.key) == []
        await uow.codes.save(sick)  # added to the session, written at the next flush
        assert await uow.codes.list_for(EKBACKA.key) == [sick]
        mark = await uow.marks.add(AttendanceMark(EKBACKA.key, "p1", DAY, MarkKind.ABSENT))
        assert await uow.marks.list_for_day(EKBACKA.key, DAY) == [mark]
        explained = dataclasses.replace(mark, explained=True, valid=True, code="S")
        await uow.marks.update(explained)  # the row is changed in the session only
        assert await uow.marks.list_for_day(EKBACKA.key, DAY) == [explained]


async def test_pupils_read_before_are_not_read_again(store: Counted) -> None:
    lind, berg = PUPILS[0], PUPILS[1]
    async with store.factory() as uow:
        assert await uow.school_day.pupils(EKBACKA.key, ["p1", "nobody"]) == [lind]
        before = store.statements
        assert await uow.school_day.pupils(EKBACKA.key, ["nobody", "p1"]) == [lind]
        assert store.statements == before
        assert await uow.school_day.pupils(EKBACKA.key, ["p1", "p2"]) == [lind, berg]
        assert store.statements == before + 1  # only p2 was read
        moved = dataclasses.replace(lind, class_name="7B")
        await uow.pupils.save(moved)
        assert await uow.school_day.pupils(EKBACKA.key, ["p1", "p2"]) == [moved, berg]
        assert await uow.school_day.pupils(FJELL.key, ["p1"]) == [PUPILS[3]]


async def test_the_days_prompts_follow_the_writes(store: Counted) -> None:
    async with store.factory() as uow:
        assert await uow.school_day.prompts(EKBACKA.key, DAY) == []
        await uow.school_day.add_prompts([AbsencePrompt("t1", EKBACKA.key, "p1", "g1", DAY, NOW)])
        (prompt,) = await uow.school_day.prompts(EKBACKA.key, DAY)
        assert (prompt.token, prompt.pupil_id) == ("t1", "p1")
        before = store.statements
        assert await uow.school_day.prompts(EKBACKA.key, DAY) == [prompt]
        assert store.statements == before


async def test_staff_come_with_all_their_roles_and_their_classes_in_order(
    store: Counted,
) -> None:
    head = StaffMember(
        EKBACKA.key,
        "s0",
        "Mia Mentor",
        frozenset({Role.MENTOR, Role.COORDINATOR, Role.PRINCIPAL}),
        ("9C", "7A", "8B"),
        slack_user_id="U0",
    )
    namesake = StaffMember(FJELL.key, "s0", "Ola Lærer", frozenset({Role.MENTOR}), ("8A",))
    bare = StaffMember(EKBACKA.key, "s9", "Nils Ny", frozenset())
    async with store.factory() as uow:
        await uow.staff.save_many([head, namesake, bare])
        await uow.commit()
    async with store.factory() as uow:
        staff = await uow.staff.list_for_school(EKBACKA.key)
        assert staff == [head, PRINCIPAL, MENTOR, bare]
        assert staff[0].classes == ("9C", "7A", "8B")
        assert await uow.staff.list_for_school(FJELL.key) == [namesake]
