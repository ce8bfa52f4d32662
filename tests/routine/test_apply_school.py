"""Applying a school spec: idempotent, reporting what changed, refusing what cannot be."""

from __future__ import annotations

import dataclasses

import pytest

from routine.absence_codes import default_absence_codes
from routine.model import AbsenceCode, Language, Role, SchoolClass, StaffMember
from routine.setup import ChangeSummary, SchoolSpec
from tests.fakes import FakeUnitOfWorkFactory
from tests.routine.setup_samples import ANNA, CODES, JOHAN, KEY, SCHOOL, apply, problems_of


@pytest.fixture
def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory()


async def test_a_new_school_is_created_with_classes_staff_and_codes(
    factory: FakeUnitOfWorkFactory,
) -> None:
    summary = await apply(factory)

    expected = ["school se-test", "class 7A", "class 7B", "staff S-1", "staff S-2", *CODES]
    assert summary == ChangeSummary(created=expected)
    assert factory.store.schools == {KEY: SCHOOL}
    assert factory.store.classes == {
        (KEY, "7A"): SchoolClass(KEY, "7A"),
        (KEY, "7B"): SchoolClass(KEY, "7B"),
    }
    assert factory.store.staff == {(KEY, "S-1"): ANNA, (KEY, "S-2"): JOHAN}
    assert sorted(factory.store.codes.values(), key=lambda c: c.code) == sorted(
        default_absence_codes(SCHOOL), key=lambda c: c.code
    )


async def test_applying_the_same_spec_again_changes_nothing(
    factory: FakeUnitOfWorkFactory,
) -> None:
    await apply(factory)
    before = factory.store.snapshot()

    summary = await apply(factory)

    assert summary == ChangeSummary(unchanged=5)
    assert summary.changed is False
    assert factory.store.snapshot() == before


async def test_a_language_chosen_in_the_chat_outlives_the_file_applied_again(
    factory: FakeUnitOfWorkFactory,
) -> None:
    await apply(factory)
    chosen = dataclasses.replace(ANNA, chosen_language=Language.DA, platform_language=Language.NB)
    factory.store.staff[(KEY, "S-1")] = chosen
    moved = dataclasses.replace(ANNA, classes=("7B",))

    again = await apply(factory)
    changed = await apply(factory, SchoolSpec(SCHOOL, ("7A", "7B"), (moved, JOHAN)))

    assert again == ChangeSummary(unchanged=5)
    assert changed.updated == ["staff S-1"]
    kept = factory.store.staff[(KEY, "S-1")]
    assert (kept.classes, kept.chosen_language, kept.platform_language) == (
        ("7B",),
        Language.DA,
        Language.NB,
    )
    assert kept.speaks(SCHOOL) is Language.DA


async def test_changes_are_reported_as_updates(factory: FakeUnitOfWorkFactory) -> None:
    await apply(factory)
    renamed = dataclasses.replace(SCHOOL, name="Nya Testskolan")
    moved = dataclasses.replace(ANNA, classes=("7B",))
    spec = SchoolSpec(renamed, ("7A", "7B"), (moved, JOHAN))

    summary = await apply(factory, spec)

    assert summary == ChangeSummary(updated=["school se-test", "staff S-1"], unchanged=3)
    assert factory.store.schools[KEY].name == "Nya Testskolan"
    assert factory.store.staff[(KEY, "S-1")].classes == ("7B",)


async def test_the_order_of_a_staff_members_classes_is_not_a_change(
    factory: FakeUnitOfWorkFactory,
) -> None:
    both = dataclasses.replace(ANNA, classes=("7B", "7A"))
    await apply(factory, SchoolSpec(SCHOOL, ("7A", "7B"), (both, JOHAN)))

    summary = await apply(factory, SchoolSpec(SCHOOL, ("7A", "7B"), (both, JOHAN)))

    assert summary == ChangeSummary(unchanged=5)


async def test_classes_and_staff_no_longer_listed_are_reported_and_kept(
    factory: FakeUnitOfWorkFactory,
) -> None:
    await apply(factory)

    summary = await apply(factory, SchoolSpec(SCHOOL, ("7A",), (ANNA,)))

    assert summary == ChangeSummary(unchanged=3, not_listed=["class 7B", "staff S-2 (Johan)"])
    assert (KEY, "7B") in factory.store.classes
    assert factory.store.staff[(KEY, "S-2")] == JOHAN


async def test_a_schools_own_absence_codes_are_not_overwritten(
    factory: FakeUnitOfWorkFactory,
) -> None:
    own = AbsenceCode(KEY, "S", "Sjuk", valid=True)
    async with factory() as uow:
        await uow.codes.save(own)
        await uow.commit()

    summary = await apply(factory)

    assert not [name for name in summary.created if name.startswith("absence code")]
    assert list(factory.store.codes.values()) == [own]


async def test_a_staff_class_outside_the_schools_classes_is_refused(
    factory: FakeUnitOfWorkFactory,
) -> None:
    stray = dataclasses.replace(ANNA, classes=("9C",))

    problems = await problems_of(apply(factory, SchoolSpec(SCHOOL, ("7A",), (stray,))))

    assert problems == ["staff S-1: class '9C' is not a class of the school"]
    assert factory.store.schools == {}


async def test_a_slack_user_of_another_school_is_refused_and_nothing_is_written(
    factory: FakeUnitOfWorkFactory,
) -> None:
    other = StaffMember("no-test", "X-9", "Kari", frozenset({Role.MENTOR}), slack_user_id="U0002")
    async with factory() as uow:
        await uow.staff.save(other)
        await uow.commit()

    problems = await problems_of(apply(factory))

    assert problems == [
        "staff S-2: Slack user U0002 already belongs to staff X-9 of school no-test"
    ]
    assert factory.store.schools == {}
    assert list(factory.store.staff.values()) == [other]
