"""The roster read twice instead of held: checked keeping a number per person and pair, then
written as read. Numbers that collide only make suspects, checked exactly on their lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from routine import roster_checks
from routine.roster_checks import RosterTally, roster_problems
from routine.setup import RosterRow
from tests.fakes import FakeUnitOfWorkFactory
from tests.routine.setup_samples import KEY, ROWS, apply, import_rows, problems_of, row

CONFLICTS = [
    *ROWS,
    row(6, "7A", "P-3", "G-3"),  # P-3 in another class, and the pair P-3 and G-3 again
    row(7, "7B", "P-4", "G-1", guardian_name="Somebody Else"),
    row(8, "7B", "P-5", "G-5", guardian_phone="070-1"),
    row(9, "7B", "P-6", "G-5", guardian_phone="070-2"),
]
EXPECTED = [
    "line 6: pupil P-3 has class '7A' here but '7B' on line 5",
    "line 6: pupil P-3 with guardian G-3 is already listed on line 5",
    "line 7: guardian G-1 has name 'Somebody Else' here but 'Guardian G-1' on line 2",
    "line 9: guardian G-5 has phone '070-2' here but '070-1' on line 8",
]


class Readings:
    """Rows that count how often they are read."""

    def __init__(self, rows: list[RosterRow]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[RosterRow]:
        self.count += 1
        return iter(self.rows)


@pytest.fixture
async def school() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    await apply(factory)
    return factory


def test_a_clean_roster_is_checked_in_one_reading() -> None:
    rows = Readings(ROWS)

    tally = RosterTally(rows, ["7A", "7B"])

    assert (tally.problems, rows.count, tally.rows) == ([], 1, len(ROWS))
    # G-1 is on lines 2 and 4 (positions 0 and 2): written at the last one.
    assert list(tally.ends.values()) == [2]


def test_a_suspect_makes_a_second_reading_and_every_message_names_both_lines() -> None:
    rows = Readings(CONFLICTS)

    problems = [str(p) for p in roster_problems(rows)]

    assert (problems, rows.count) == (EXPECTED, 2)


def test_contact_details_on_one_line_only_are_suspects_cleared_on_the_second_reading() -> None:
    rows = Readings([row(2, "7A", "P-1", "G-1"), row(3, "7B", "P-2", "G-1", guardian_phone="070")])

    assert (roster_problems(rows), rows.count) == ([], 2)


@pytest.fixture
def colliding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every id and pair gets the same number: the worst luck there can be. (What a person's
    lines say keeps its own: two different sayings with one number would hide a conflict, the
    chance of 1 in 2**64 the checks take.)"""
    number = roster_checks.key_number

    def colliding_number(value: object) -> int:
        is_key = isinstance(value, str) or all(isinstance(v, int) for v in value)  # type: ignore[attr-defined]
        return 7 if is_key else number(value)

    monkeypatch.setattr(roster_checks, "key_number", colliding_number)


@pytest.mark.usefixtures("colliding")
def test_numbers_that_collide_report_the_same_problems_and_no_others() -> None:
    assert [str(p) for p in roster_problems(CONFLICTS)] == EXPECTED
    assert roster_problems(ROWS) == []


@pytest.mark.usefixtures("colliding")
async def test_numbers_that_collide_write_the_same_pupils_and_guardians(
    school: FakeUnitOfWorkFactory,
) -> None:
    summary = await import_rows(school, ROWS)

    assert len(summary.created) == 6
    assert school.store.guardians[(KEY, "G-1")].pupil_ids == ("P-1", "P-2")
    assert school.store.guardians[(KEY, "G-2")].pupil_ids == ("P-1",)
    assert school.store.guardians[(KEY, "G-3")].pupil_ids == ("P-3",)


async def test_the_summary_lists_guardians_as_the_roster_first_does(
    school: FakeUnitOfWorkFactory,
) -> None:
    # G-1 is written on its last line, after G-2: the summary still lists it first.
    summary = await import_rows(school, ROWS)

    assert summary.created[3:] == ["guardian G-1", "guardian G-2", "guardian G-3"]


async def test_a_roster_with_suspects_writes_nothing(school: FakeUnitOfWorkFactory) -> None:
    assert await problems_of(import_rows(school, CONFLICTS)) == EXPECTED
    assert school.store.pupils == {}
