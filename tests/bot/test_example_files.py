"""The docs' example files and the demo data: each reads cleanly, and they apply together."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.files import parse_roster_csv, parse_school_file
from routine.model import Country, Language, Role
from routine.ports import UnitOfWorkFactory
from routine.roster import import_roster
from routine.school_file import apply_school
from routine.setup import ChangeSummary, RosterRow, SchoolSpec
from tests.bot.file_samples import ROOT, write
from tests.fakes import FakeUnitOfWorkFactory

DEMO = ROOT / "bot" / "demo_data"
COUNTRIES = ("se", "no", "dk")


@pytest.fixture(params=["fake", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The demo data must apply cleanly on the fakes and on every real database."""
    return request.param


def fenced_block(markdown: Path, language: str) -> str:
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", markdown.read_text(), re.M | re.S)
    assert len(blocks) == 1
    return blocks[0]


# --- The docs' examples ----------------------------------------------------------------------


def test_the_example_in_the_school_file_docs_parses_cleanly(tmp_path: Path) -> None:
    example = fenced_block(ROOT / "docs" / "school-file.md", "toml")

    spec = parse_school_file(write(tmp_path, example))

    assert (spec.school.key, len(spec.classes), len(spec.staff)) == ("se-ekbacken", 3, 4)


def test_the_example_in_the_roster_docs_parses_cleanly(tmp_path: Path) -> None:
    example = fenced_block(ROOT / "docs" / "roster.md", "csv")

    rows = parse_roster_csv(write(tmp_path, example))

    assert len(rows) == 5


async def test_the_docs_examples_apply_together(tmp_path: Path) -> None:
    spec = parse_school_file(
        write(tmp_path, fenced_block(ROOT / "docs" / "school-file.md", "toml"))
    )
    rows = parse_roster_csv(write(tmp_path, fenced_block(ROOT / "docs" / "roster.md", "csv")))
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await apply_school(uow, spec)
    async with factory() as uow:
        summary = await import_roster(uow, spec.school.key, rows)

    assert (len(summary.created), summary.updated, summary.not_listed) == (8, [], [])


# --- The demo data ---------------------------------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_demo_school_files_describe_one_school_per_country(country: str) -> None:
    spec = parse_school_file(DEMO / f"{country}.toml")

    roles = sorted(role for member in spec.staff for role in member.roles)
    assert spec.school.country == Country(country.upper())
    assert (
        spec.school.timezone
        == {
            "se": "Europe/Stockholm",
            "no": "Europe/Oslo",
            "dk": "Europe/Copenhagen",
        }[country]
    )
    assert len(spec.classes) == 2
    assert roles == sorted(
        [Role.MENTOR, Role.MENTOR, Role.COORDINATOR, Role.PRINCIPAL, Role.PUPIL_HEALTH]
    )
    assert spec.school.calendar.terms[0].start >= date(2026, 8, 1)
    assert spec.school.calendar.terms[-1].end <= date(2027, 6, 30)


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_demo_rosters_have_siblings_and_two_guardian_pupils(country: str) -> None:
    rows = parse_roster_csv(DEMO / f"{country}.csv")

    guardians_per_pupil: dict[str, set[str]] = {}
    pupils_per_guardian: dict[str, set[str]] = {}
    for row in rows:
        guardians_per_pupil.setdefault(row.pupil_id, set()).add(row.guardian_id)
        pupils_per_guardian.setdefault(row.guardian_id, set()).add(row.pupil_id)
    assert len(guardians_per_pupil) == 16
    assert max(len(g) for g in guardians_per_pupil.values()) == 2
    assert max(len(p) for p in pupils_per_guardian.values()) == 2
    expected_language = {"se": Language.SV, "no": Language.NB, "dk": Language.DA}[country]
    assert {row.guardian_language for row in rows} == {expected_language}


@pytest.mark.parametrize("country", COUNTRIES)
async def test_the_demo_data_applies_cleanly_and_idempotently(
    country: str, uow_factory: UnitOfWorkFactory
) -> None:
    spec = parse_school_file(DEMO / f"{country}.toml")
    rows = parse_roster_csv(DEMO / f"{country}.csv")

    first = await apply_demo(uow_factory, spec, rows)
    again = await apply_demo(uow_factory, spec, rows)

    created_school, created_roster = first
    assert (len(created_school.created), len(created_roster.created)) == (14, 32)
    assert [s.not_listed for s in first] == [[], []]
    assert again == (ChangeSummary(unchanged=8), ChangeSummary(unchanged=32))


async def apply_demo(
    factory: UnitOfWorkFactory, spec: SchoolSpec, rows: list[RosterRow]
) -> tuple[ChangeSummary, ChangeSummary]:
    async with factory() as uow:
        school = await apply_school(uow, spec)
    async with factory() as uow:
        roster = await import_roster(uow, spec.school.key, rows)
    return school, roster
