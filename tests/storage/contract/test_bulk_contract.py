"""The bulk writes and reads of imports, on the fakes, SQLite and PostgreSQL: `save_many` must
store exactly what `save` of each would, and the outbox's counts what its list holds."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from routine.model import Guardian, Language, Pupil, Role, SchoolClass, StaffMember
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.storage.support import (
    EKBACKA,
    FJELL,
    GUARDIANS,
    MENTOR,
    PRINCIPAL,
    PUPILS,
    committed,
    read,
)


async def test_pupils_saved_in_bulk_are_created_and_updated(store: UnitOfWorkFactory) -> None:
    moved = Pupil(EKBACKA.key, "p1", "Åsa Lind", "8C", active=False)
    new = [Pupil(EKBACKA.key, f"n{i:04}", f"Elev {i}", "7A") for i in range(2500)]
    await committed(store, lambda u: u.pupils.save_many([moved, *new]))

    listed = await read(store, lambda u: u.pupils.list_for_school(EKBACKA.key))
    assert len(listed) == 3 + 2500
    assert moved in listed and new[0] in listed and new[-1] in listed
    # Another school's pupil with the same id is untouched.
    assert await read(store, lambda u: u.pupils.get(FJELL.key, "p1")) == PUPILS[3]


async def test_guardians_saved_in_bulk_keep_exactly_their_links(store: UnitOfWorkFactory) -> None:
    relinked = dataclasses.replace(GUARDIANS[0], phone="+46 70 1", pupil_ids=("p2", "p3"))
    unlinked = dataclasses.replace(GUARDIANS[1], pupil_ids=())
    new = Guardian(EKBACKA.key, "g9", "Eva Berg", Language.DA, pupil_ids=("p1", "p2"))
    await committed(store, lambda u: u.guardians.save_many([relinked, unlinked, new]))

    assert await read(store, lambda u: u.guardians.list_for_school(EKBACKA.key)) == [
        relinked,
        unlinked,
        new,
    ]
    assert await read(store, lambda u: u.guardians.get(FJELL.key, "g1")) == GUARDIANS[2]


async def test_a_get_after_a_bulk_write_in_the_same_unit_of_work_sees_it(
    store: UnitOfWorkFactory,
) -> None:
    async def load_write_get(u):
        await u.guardians.get(EKBACKA.key, "g1")  # loaded before the write
        changed = dataclasses.replace(GUARDIANS[0], name="Karin Ek", pupil_ids=("p2",))
        await u.guardians.save_many([changed])
        return await u.guardians.get(EKBACKA.key, "g1")

    got = await committed(store, load_write_get)

    assert got is not None and got.name == "Karin Ek" and got.pupil_ids == ("p2",)


async def test_staff_saved_in_bulk_get_their_roles_and_classes_in_order(
    store: UnitOfWorkFactory,
) -> None:
    await committed(store, lambda u: u.staff.save_many([MENTOR, PRINCIPAL]))
    changed = dataclasses.replace(
        MENTOR, roles=frozenset({Role.MENTOR}), classes=("7A", "9C", "7B"), slack_user_id=""
    )
    await committed(store, lambda u: u.staff.save_many([changed]))

    assert await read(store, lambda u: u.staff.list_for_school(EKBACKA.key)) == [
        PRINCIPAL,
        changed,
    ]


async def test_staff_are_found_by_many_slack_ids_across_schools(store: UnitOfWorkFactory) -> None:
    elsewhere = StaffMember(FJELL.key, "s0", "Kari Lærer", frozenset(), slack_user_id="U0LENA")
    other = StaffMember(FJELL.key, "s9", "Ola", frozenset(), slack_user_id="U0OLA")
    await committed(store, lambda u: u.staff.save_many([MENTOR, PRINCIPAL, elsewhere, other]))

    found = await read(store, lambda u: u.staff.list_by_slack_users({"U0LENA", "U0NOBODY"}))

    assert found == [elsewhere, MENTOR]
    assert await read(store, lambda u: u.staff.list_by_slack_users(set())) == []


async def test_classes_saved_in_bulk_are_there_once(store: UnitOfWorkFactory) -> None:
    classes = [SchoolClass(EKBACKA.key, name) for name in ("7A", "7B")]
    await committed(store, lambda u: u.classes.save_many(classes))
    await committed(store, lambda u: u.classes.save_many(classes))

    assert await read(store, lambda u: u.classes.list_for(EKBACKA.key)) == classes


async def test_the_outbox_is_counted_by_status_and_platform(store: UnitOfWorkFactory) -> None:
    def message(key: str, platform: str) -> OutboxMessage:
        return OutboxMessage(
            key=key,
            platform=platform,
            recipient=f"to-{key}",
            text="Hej",
            kind="unreported",
            school_key=EKBACKA.key,
            created_at=datetime(2025, 11, 10, 7, 0, tzinfo=UTC),
        )

    async def add(u):
        for key, platform in (("a", "telegram"), ("b", "telegram"), ("c", "slack")):
            await u.outbox.add(message(key, platform))

    await committed(store, add)

    assert await read(store, lambda u: u.outbox.counts()) == {
        (DeliveryStatus.PENDING, "telegram"): 2,
        (DeliveryStatus.PENDING, "slack"): 1,
    }


async def test_new_guardians_are_added_in_bulk_with_their_links(store: UnitOfWorkFactory) -> None:
    new = [
        Guardian(EKBACKA.key, f"n{i:04}", f"Förälder {i}", Language.SV, pupil_ids=("p2", "p1"))
        for i in range(2100)
    ]
    await committed(store, lambda u: u.guardians.add_many(new))

    listed = await read(store, lambda u: u.guardians.list_for_school(EKBACKA.key))
    assert listed[-1] == dataclasses.replace(new[-1], pupil_ids=("p1", "p2"))
    assert len(listed) == 2 + 2100
