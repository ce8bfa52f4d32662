"""One contract for every repository, run on the fakes, SQLite and PostgreSQL.

Whatever passes here on the fakes behaves the same on the real databases, so tests elsewhere may
use the fakes with confidence. Every write is committed in one unit of work and read back in
another, so the databases are really asked, not the session's cache.

This file holds the people (schools, classes, pupils, guardians, staff); the other modules of
this folder hold the rest, one subject each, all on the store of conftest.py; a module that
needs more rows adds them in a `store` fixture of its own on top of that one (see world.py).
The outbox's writes are in outbox/, run through `add` and `add_many` both; its order, requeue
and `list_to` modules stand here, as they run once.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time

from routine.model import (
    CaseRules,
    Guardian,
    Language,
    PrivacySettings,
    Pupil,
    ReportingRules,
    Role,
    School,
    SchoolCalendar,
    SchoolClass,
    StaffMember,
)
from routine.ports import UnitOfWorkFactory
from tests.storage.support import (
    EKBACKA,
    FJELL,
    GUARDIANS,
    MENTOR,
    PRINCIPAL,
    committed,
    read,
)

# Schools


async def test_a_school_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.schools.get(EKBACKA.key)) == EKBACKA


async def test_an_unknown_school_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.schools.get("nowhere")) is None


async def test_saving_a_school_again_updates_it(store: UnitOfWorkFactory) -> None:
    changed = dataclasses.replace(
        EKBACKA,
        name="Nya Ekbackaskolan",
        times=dataclasses.replace(EKBACKA.times, report_cutoff=time(7, 30)),
        calendar=SchoolCalendar(days_off=(date(2026, 1, 5),)),
        privacy=PrivacySettings(),
        reporting=ReportingRules(max_span_days=10, latest_time=time(17, 30)),
        cases=CaseRules(remind_ahead_days=1, overdue_after_days=4, nothing_new_days=8),
    )
    await committed(store, lambda u: u.schools.save(changed))

    assert await read(store, lambda u: u.schools.get(EKBACKA.key)) == changed
    assert await read(store, lambda u: u.schools.list()) == [FJELL, changed]


async def test_schools_are_listed_by_key(store: UnitOfWorkFactory) -> None:
    first = School("a-school", "A", FJELL.country, FJELL.timezone, FJELL.language)
    await committed(store, lambda u: u.schools.save(first))

    assert await read(store, lambda u: u.schools.list()) == [first, FJELL, EKBACKA]


# Classes


async def test_classes_are_listed_per_school_by_name(store: UnitOfWorkFactory) -> None:
    async def save_classes(u):
        for school_key, name in [(EKBACKA.key, "7B"), (EKBACKA.key, "7A"), (FJELL.key, "8A")]:
            await u.classes.save(SchoolClass(school_key, name))

    await committed(store, save_classes)

    assert await read(store, lambda u: u.classes.list_for(EKBACKA.key)) == [
        SchoolClass(EKBACKA.key, "7A"),
        SchoolClass(EKBACKA.key, "7B"),
    ]


async def test_saving_a_class_twice_keeps_one(store: UnitOfWorkFactory) -> None:
    seven_a = SchoolClass(EKBACKA.key, "7A")
    await committed(store, lambda u: u.classes.save(seven_a))
    await committed(store, lambda u: u.classes.save(seven_a))

    assert await read(store, lambda u: u.classes.list_for(EKBACKA.key)) == [seven_a]


# Pupils


async def test_a_pupil_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p1")) == Pupil(
        EKBACKA.key, "p1", "Åsa Lind", "7A"
    )
    assert await read(store, lambda u: u.pupils.get(FJELL.key, "p1")) == Pupil(
        FJELL.key, "p1", "Ola Nordmann", "8A"
    )


async def test_an_unknown_pupil_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p404")) is None
    assert await read(store, lambda u: u.pupils.get(FJELL.key, "p2")) is None


async def test_saving_a_pupil_again_updates_it(store: UnitOfWorkFactory) -> None:
    moved = Pupil(EKBACKA.key, "p1", "Åsa Lind", "8C", active=False)
    await committed(store, lambda u: u.pupils.save(moved))

    assert await read(store, lambda u: u.pupils.get(EKBACKA.key, "p1")) == moved


async def test_pupils_are_listed_by_class_name_and_id_in_code_point_order(
    store: UnitOfWorkFactory,
) -> None:
    async def save_more(u):
        await u.pupils.save(Pupil(EKBACKA.key, "p5", "Ärla Sund", "7A"))
        await u.pupils.save(Pupil(EKBACKA.key, "p4", "Zlatan Berg", "7A"))

    await committed(store, save_more)

    listed = await read(store, lambda u: u.pupils.list_for_school(EKBACKA.key))
    assert [(p.class_name, p.name, p.pupil_id) for p in listed] == [
        ("7A", "Zlatan Berg", "p2"),
        ("7A", "Zlatan Berg", "p4"),
        ("7A", "Ärla Sund", "p5"),
        ("7A", "Åsa Lind", "p1"),
        ("7B", "Örjan Ek", "p3"),
    ]


async def test_pupils_are_listed_for_some_classes(store: UnitOfWorkFactory) -> None:
    listed = await read(store, lambda u: u.pupils.list_for_classes(EKBACKA.key, ["7B", "9Z"]))

    assert listed == [Pupil(EKBACKA.key, "p3", "Örjan Ek", "7B")]
    assert await read(store, lambda u: u.pupils.list_for_classes(EKBACKA.key, [])) == []


# Guardians


async def test_a_guardian_reads_back_with_linked_pupils_sorted(store: UnitOfWorkFactory) -> None:
    guardian = Guardian(
        EKBACKA.key, "g3", "Eva Berg", Language.DA, "+46 70 123", "eva@example.se", ("p2", "p1")
    )
    await committed(store, lambda u: u.guardians.save(guardian))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g3")) == dataclasses.replace(
        guardian, pupil_ids=("p1", "p2")
    )


async def test_an_unknown_guardian_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g404")) is None


async def test_saving_a_guardian_again_replaces_the_linked_pupils(
    store: UnitOfWorkFactory,
) -> None:
    relinked = dataclasses.replace(GUARDIANS[0], name="Karin Lind-Ek", pupil_ids=("p3", "p2"))
    await committed(store, lambda u: u.guardians.save(relinked))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g1")) == dataclasses.replace(
        relinked, pupil_ids=("p2", "p3")
    )


async def test_a_guardian_may_have_no_linked_pupils(store: UnitOfWorkFactory) -> None:
    unlinked = dataclasses.replace(GUARDIANS[0], pupil_ids=())
    await committed(store, lambda u: u.guardians.save(unlinked))

    assert await read(store, lambda u: u.guardians.get(EKBACKA.key, "g1")) == unlinked


async def test_guardians_are_listed_per_school_by_id(store: UnitOfWorkFactory) -> None:
    listed = await read(store, lambda u: u.guardians.list_for_school(EKBACKA.key))

    assert listed == [GUARDIANS[0], GUARDIANS[1]]


# Staff


async def save_staff(store: UnitOfWorkFactory, *members: StaffMember) -> None:
    async def save(u):
        for member in members:
            await u.staff.save(member)

    await committed(store, save)


async def test_a_staff_member_reads_back_as_saved(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR, PRINCIPAL)

    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s2")) == MENTOR
    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s1")) == PRINCIPAL
    assert await read(store, lambda u: u.staff.get(FJELL.key, "s1")) is None


async def test_saving_staff_again_updates_roles_and_class_order(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR)
    changed = dataclasses.replace(
        MENTOR, roles=frozenset({Role.MENTOR, Role.PUPIL_HEALTH}), classes=("7A", "9C", "7B")
    )
    await save_staff(store, changed)

    assert await read(store, lambda u: u.staff.get(EKBACKA.key, "s2")) == changed


async def test_staff_are_listed_per_school_by_id(store: UnitOfWorkFactory) -> None:
    elsewhere = StaffMember(FJELL.key, "s0", "Kari Lærer", frozenset({Role.MENTOR}))
    await save_staff(store, MENTOR, PRINCIPAL, elsewhere)

    assert await read(store, lambda u: u.staff.list_for_school(EKBACKA.key)) == [PRINCIPAL, MENTOR]


async def test_staff_are_found_by_slack_user(store: UnitOfWorkFactory) -> None:
    await save_staff(store, MENTOR, PRINCIPAL)

    assert await read(store, lambda u: u.staff.find_by_slack_user("U0LENA")) == MENTOR
    assert await read(store, lambda u: u.staff.find_by_slack_user("U0NOBODY")) is None
