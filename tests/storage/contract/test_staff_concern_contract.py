"""The contract of staff concerns (`routine.concerns`), on the fakes, SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from routine.concerns import StaffConcern, StaffConcernKind
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, FJELL, committed, read

NOW = datetime(2025, 11, 10, 7, 50, tzinfo=UTC)


def concern(pupil_id: str = "p1", minutes: int = 0, **changes: object) -> StaffConcern:
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "staff_id": "s1",
        "kind": StaffConcernKind.LEAVES_LESSONS,
        "note": "",
        "created_at": NOW + timedelta(minutes=minutes),
    } | changes
    return StaffConcern(**values)


async def add(store: UnitOfWorkFactory, *concerns: StaffConcern) -> list[StaffConcern]:
    async def adding(u):
        return [await u.staff_concerns.add(c) for c in concerns]

    return await committed(store, adding)


async def test_a_concern_gets_an_id_and_reads_back_as_added(store: UnitOfWorkFactory) -> None:
    raised = concern(
        "p3",
        kind=StaffConcernKind.PRESENT_NOT_IN_CLASS,
        note="Seen in the library during maths, twice.",
        created_at=datetime(2025, 11, 10, 8, 1, 2, 3, tzinfo=ZoneInfo("Europe/Stockholm")),
    )
    [later, added] = await add(store, concern("p3", minutes=60), raised)
    assert added == dataclasses.replace(raised, id=added.id)
    assert None not in (added.id, later.id) and added.id != later.id
    # Oldest first; another pupil's are not listed.
    listed = await read(store, lambda u: u.staff_concerns.list_for_pupil(EKBACKA.key, "p3"))
    assert listed == [added, later]
    assert await read(store, lambda u: u.staff_concerns.list_for_pupil(EKBACKA.key, "p1")) == []


async def test_old_concerns_of_the_school_are_deleted(store: UnitOfWorkFactory) -> None:
    _old, new = await add(store, concern(minutes=-1), concern())
    [other_school] = await add(store, concern(school_key=FJELL.key, minutes=-1))
    deleted = await committed(
        store, lambda u: u.staff_concerns.delete_created_before(EKBACKA.key, NOW)
    )
    assert deleted == 1
    assert await read(store, lambda u: u.staff_concerns.list_for_pupil(EKBACKA.key, "p1")) == [new]
    assert await read(store, lambda u: u.staff_concerns.list_for_pupil(FJELL.key, "p1")) == [
        other_school
    ]
