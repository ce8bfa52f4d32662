"""Importing a roster: idempotent, reporting what changed and what is not listed, all or
nothing."""

from __future__ import annotations

import dataclasses

import pytest

from routine.model import Guardian, Language, Pupil
from routine.roster_checks import roster_problems
from routine.setup import ChangeSummary
from tests.fakes import FakeUnitOfWorkFactory
from tests.routine.setup_samples import KEY, ROWS, apply, import_rows, problems_of, row


@pytest.fixture
def factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory()


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
