"""Applying a school spec and importing a roster: idempotent, reporting, all or nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable

import pytest

from routine.model import (
    AbsenceCode,
    Country,
    Guardian,
    Language,
    Pupil,
    Role,
    School,
    SchoolClass,
    StaffMember,
)
from routine.roster import (
    DEFAULT_ABSENCE_CODES,
    apply_school,
    default_absence_codes,
    import_roster,
    roster_problems,
)
from routine.setup import ChangeSummary, InvalidInput, RosterRow, SchoolSpec
from tests.fakes import FakeUnitOfWorkFactory

KEY = "se-test"
SCHOOL = School(KEY, "Testskolan", Country.SE, "Europe/Stockholm", Language.SV)
ANNA = StaffMember(KEY, "S-1", "Anna", frozenset({Role.MENTOR}), ("7A",), None, "U0001")
JOHAN = StaffMember(KEY, "S-2", "Johan", frozenset({Role.PRINCIPAL}), (), None, "U0002")
SPEC = SchoolSpec(SCHOOL, ("7A", "7B"), (ANNA, JOHAN))
CODES = [f"absence code {code.code}" for code in DEFAULT_ABSENCE_CODES[Country.SE]]


def row(line: int, class_name: str, pupil: str, guardian: str, **changes: object) -> RosterRow:
    base = RosterRow(
        line=line,
        class_name=class_name,
        pupil_id=pupil,
        pupil_name=f"Pupil {pupil}",
        guardian_id=guardian,
        guardian_name=f"Guardian {guardian}",
        guardian_language=Language.SV,
    )
    return dataclasses.replace(base, **changes)


# Alva (P-1) has two guardians; Karin (G-1) has two children, in different classes.
ROWS = [
    row(2, "7A", "P-1", "G-1"),
    row(3, "7A", "P-1", "G-2"),
    row(4, "7B", "P-2", "G-1"),
    row(5, "7B", "P-3", "G-3"),
]


@pytest.fixture
def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory()


async def apply(factory: FakeUnitOfWorkFactory, spec: SchoolSpec = SPEC) -> ChangeSummary:
    async with factory() as uow:
        return await apply_school(uow, spec)


async def import_rows(
    factory: FakeUnitOfWorkFactory, rows: list[RosterRow], school_key: str = KEY
) -> ChangeSummary:
    async with factory() as uow:
        return await import_roster(uow, school_key, rows)


async def problems_of(action: Awaitable[object]) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        await action
    return [str(problem) for problem in raised.value.problems]


# --- apply_school ----------------------------------------------------------------------------


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


@pytest.mark.parametrize("country", list(Country))
def test_every_country_has_the_same_default_codes(country: Country) -> None:
    codes = {code.code: code for code in DEFAULT_ABSENCE_CODES[country]}

    assert sorted(codes) == ["appointment", "illness", "invalid", "late", "leave", "other"]
    assert [codes[c].valid for c in ("illness", "appointment", "leave", "invalid", "late")] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert (codes["late"].late, codes["late"].counts_as_absence) == (True, False)
    assert all(code.counts_as_absence for code in codes.values() if not code.late)


def test_the_codes_use_each_countrys_words_for_invalid_absence() -> None:
    labels = {
        country: {code.code: code.label for code in DEFAULT_ABSENCE_CODES[country]}
        for country in Country
    }

    assert [labels[country]["invalid"] for country in Country] == [
        "Ogiltig frånvaro",
        "Ugyldig fravær",
        "Ulovligt fravær",
    ]


def test_only_danish_law_counts_other_reasons_as_unlawful() -> None:
    other = {
        country: next(c for c in DEFAULT_ABSENCE_CODES[country] if c.code == "other")
        for country in Country
    }

    assert {country: code.valid for country, code in other.items()} == {
        Country.SE: True,
        Country.NO: True,
        Country.DK: False,
    }


# --- import_roster ---------------------------------------------------------------------------


@pytest.fixture
async def school(factory: FakeUnitOfWorkFactory) -> FakeUnitOfWorkFactory:
    await apply(factory)
    return factory


async def test_a_roster_creates_pupils_and_guardians(school: FakeUnitOfWorkFactory) -> None:
    summary = await import_rows(school, ROWS)

    assert summary == ChangeSummary(
        created=[
            "pupil P-1",
            "pupil P-2",
            "pupil P-3",
            "guardian G-1",
            "guardian G-2",
            "guardian G-3",
        ]
    )
    assert sorted(school.store.pupils.values(), key=lambda p: p.pupil_id) == [
        Pupil(KEY, "P-1", "Pupil P-1", "7A"),
        Pupil(KEY, "P-2", "Pupil P-2", "7B"),
        Pupil(KEY, "P-3", "Pupil P-3", "7B"),
    ]
    links = {g.guardian_id: g.pupil_ids for g in school.store.guardians.values()}
    assert links == {"G-1": ("P-1", "P-2"), "G-2": ("P-1",), "G-3": ("P-3",)}


async def test_importing_the_same_roster_again_changes_nothing(
    school: FakeUnitOfWorkFactory,
) -> None:
    await import_rows(school, ROWS)
    before = school.store.snapshot()

    summary = await import_rows(school, ROWS)

    assert summary == ChangeSummary(unchanged=6)
    assert school.store.snapshot() == before


async def test_a_guardian_s_chosen_language_outlives_the_roster_imported_again(
    school: FakeUnitOfWorkFactory,
) -> None:
    await import_rows(school, ROWS)
    karin = school.store.guardians[(KEY, "G-1")]
    school.store.guardians[(KEY, "G-1")] = dataclasses.replace(karin, chosen_language=Language.NB)
    new_phone = [row(2, "7A", "P-1", "G-1", guardian_phone="070-1740605"), *ROWS[1:]]

    summary = await import_rows(school, new_phone)

    assert summary.updated == ["guardian G-1"]
    kept = school.store.guardians[(KEY, "G-1")]
    assert (kept.phone, kept.language, kept.speaks) == ("070-1740605", Language.SV, Language.NB)


async def test_changed_rows_update_pupils_and_guardians(school: FakeUnitOfWorkFactory) -> None:
    await import_rows(school, ROWS)
    changed = [
        row(2, "7A", "P-1", "G-1", guardian_phone="070-1740605"),
        row(3, "7A", "P-1", "G-2"),
        row(4, "7A", "P-2", "G-1"),  # P-2 moved to 7A
        row(5, "7B", "P-3", "G-1"),  # G-1 now also P-3's guardian, G-3 no longer
    ]

    summary = await import_rows(school, changed)

    assert summary == ChangeSummary(
        updated=["pupil P-2", "guardian G-1"],
        unchanged=3,
        not_listed=["guardian G-3 (Guardian G-3)"],
    )
    assert school.store.pupils[(KEY, "P-2")].class_name == "7A"
    assert school.store.guardians[(KEY, "G-1")] == Guardian(
        KEY,
        "G-1",
        "Guardian G-1",
        Language.SV,
        phone="070-1740605",
        pupil_ids=("P-1", "P-2", "P-3"),
    )


async def test_pupils_no_longer_listed_are_reported_and_left_unchanged(
    school: FakeUnitOfWorkFactory,
) -> None:
    await import_rows(school, ROWS)
    before = school.store.pupils[(KEY, "P-3")]

    summary = await import_rows(school, ROWS[:3])

    assert summary.not_listed == [
        "pupil P-3 (Pupil P-3, 7B)",
        "guardian G-3 (Guardian G-3)",
    ]
    assert school.store.pupils[(KEY, "P-3")] == before
    assert school.store.guardians[(KEY, "G-3")].pupil_ids == ("P-3",)


async def test_pupils_who_have_left_are_not_reported_again(
    school: FakeUnitOfWorkFactory,
) -> None:
    async with school() as uow:
        await uow.pupils.save(Pupil(KEY, "P-0", "Left Already", "7A", active=False))
        await uow.commit()

    summary = await import_rows(school, ROWS)

    assert summary.not_listed == []


async def test_a_listed_pupil_who_had_left_is_active_again(school: FakeUnitOfWorkFactory) -> None:
    async with school() as uow:
        await uow.pupils.save(Pupil(KEY, "P-3", "Pupil P-3", "7B", active=False))
        await uow.commit()

    summary = await import_rows(school, ROWS)

    assert "pupil P-3" in summary.updated
    assert school.store.pupils[(KEY, "P-3")].active is True


async def test_an_unknown_school_is_refused(factory: FakeUnitOfWorkFactory) -> None:
    problems = await problems_of(import_rows(factory, ROWS, school_key="xx-none"))

    assert problems == ["there is no school 'xx-none'; apply its school file first"]


async def test_unknown_classes_are_reported_with_their_lines_and_nothing_is_written(
    school: FakeUnitOfWorkFactory,
) -> None:
    rows = [*ROWS, row(6, "7a", "P-4", "G-4"), row(7, "9C", "P-5", "G-5")]

    problems = await problems_of(import_rows(school, rows))

    assert problems == [
        "line 6: class '7a' is not a class of the school; did you mean '7A'?",
        "line 7: class '9C' is not a class of the school; the school's classes are: 7A, 7B",
    ]
    assert school.store.pupils == {}
    assert school.store.guardians == {}


async def test_contradicting_rows_are_refused_and_nothing_is_written(
    school: FakeUnitOfWorkFactory,
) -> None:
    rows = [*ROWS, row(6, "7A", "P-3", "G-3")]

    problems = await problems_of(import_rows(school, rows))

    assert problems == [
        "line 6: pupil P-3 has class '7A' here but '7B' on line 5",
        "line 6: pupil P-3 with guardian G-3 is already listed on line 5",
    ]
    assert school.store.pupils == {}


async def test_an_empty_roster_is_refused(school: FakeUnitOfWorkFactory) -> None:
    problems = await problems_of(import_rows(school, []))

    assert problems == ["the roster lists no pupils"]


def test_guardian_contact_details_may_be_given_on_one_line_only() -> None:
    rows = [
        row(2, "7A", "P-1", "G-1", guardian_email="karin@example.org"),
        row(3, "7B", "P-2", "G-1"),
        row(4, "7B", "P-3", "G-1", guardian_email="other@example.org"),
    ]

    problems = [str(problem) for problem in roster_problems(rows)]

    assert problems == [
        "line 4: guardian G-1 has email 'other@example.org' here but 'karin@example.org' on line 2"
    ]


def test_a_guardians_language_must_agree_across_lines() -> None:
    rows = [row(2, "7A", "P-1", "G-1"), row(3, "7B", "P-2", "G-1", guardian_language=Language.NB)]

    problems = [str(problem) for problem in roster_problems(rows)]

    assert problems == ["line 3: guardian G-1 has language 'nb' here but 'sv' on line 2"]
