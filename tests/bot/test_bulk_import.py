"""Rosters at municipal scale: a few statements per batch, not per line; time near the floor;
progress shown for big files. Built with the benchmark's deterministic data (bench/data.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench import data
from bench.imports import prepared, sqlite_floor
from bot import operator
from bot.files import parse_roster_csv
from bot.settings import Settings
from routine.ports import UnitOfWorkFactory
from routine.roster import WRITE_BATCH, import_roster
from tests.bot.test_cli import narvaro
from tests.conftest import sqlite_url


async def statements_to_import(uow_factory: UnitOfWorkFactory, roster: Path) -> int:
    """How many statements reach the database while the roster is imported."""
    async with uow_factory() as uow:
        classes = [c.name for c in await uow.classes.list_for(data.SCHOOL_KEY)]
    rows = parse_roster_csv(roster, classes)
    count = 0

    def counted(*_args: object) -> None:
        nonlocal count
        count += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        async with uow_factory() as uow:
            await import_roster(uow, data.SCHOOL_KEY, rows)
    finally:
        event.remove(Engine, "before_cursor_execute", counted)
    return count


async def test_the_statements_grow_with_batches_not_with_lines(
    database_url: str, tmp_path: Path
) -> None:
    await prepared(database_url, tmp_path, 10_000)
    app = await operator.bootstrap.build(Settings(database_url=database_url))
    try:
        small = data.roster_file(tmp_path / "small.csv", 1_000)
        big = data.roster_file(tmp_path / "big.csv", 10_000)  # the small one's lines, and more
        small_count = await statements_to_import(app.uow_factory, small)
        big_count = await statements_to_import(app.uow_factory, big)
    finally:
        await app.close()

    # 1,000 lines are one batch of each kind; 9,000 more lines are 4,500 pupils and 9,000
    # guardians, in a few batches of WRITE_BATCH, each a statement or two.
    assert small_count < 20
    more_batches = 4_500 // WRITE_BATCH + 1 + 9_000 // WRITE_BATCH + 1
    assert big_count <= small_count + 2 * more_batches


async def test_a_big_roster_imports_within_ten_times_the_floor(tmp_path: Path) -> None:
    # 100,000 lines take over 20 s on a busy 2-core machine; 20,000 show the same ratio.
    lines = 20_000
    real, floor = tmp_path / "real.db", tmp_path / "floor.db"
    for path in (real, floor):
        await prepared(sqlite_url(path), tmp_path, lines)
    roster = data.roster_file(tmp_path / "roster.csv", lines)

    start = time.perf_counter()
    summary = await operator.import_roster_file(
        Settings(database_url=sqlite_url(real)), data.SCHOOL_KEY, roster
    )
    seconds = time.perf_counter() - start
    floor_seconds = sqlite_floor(floor, data.roster_rows(lines))

    assert (len(summary.created), summary.unchanged) == (lines // 2 + lines, 0)
    assert seconds < 20
    assert seconds <= 10 * floor_seconds, (seconds, floor_seconds)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_a_big_roster_shows_its_progress_and_imports_again_unchanged(
    database_url: str, tmp_path: Path
) -> None:
    await prepared(database_url, tmp_path, 10_001)
    roster = data.roster_file(tmp_path / "roster.csv", 10_001)

    first = narvaro(
        "roster", "import", "--school", data.SCHOOL_KEY, str(roster),
        database_url=database_url, cwd=tmp_path,
    )  # fmt: skip
    again = narvaro(
        "roster", "import", "--school", data.SCHOOL_KEY, str(roster),
        database_url=database_url, cwd=tmp_path,
    )  # fmt: skip

    assert first.returncode == 0, first.stderr
    assert "lines read and checked: 10001 of 10001" in first.stderr
    assert "new guardians: 10001 of 10001" in first.stderr
    assert "15002 created, 0 updated, 0 unchanged." in first.stdout
    assert "nothing changed (15002 record(s) already up to date)." in again.stdout
    assert "changed guardians" not in again.stderr


async def test_a_school_with_2000_classes_and_mentors_is_applied_in_a_few_statements(
    database_url: str, tmp_path: Path
) -> None:
    await operator.schema.upgrade(database_url)
    school = data.school_file(tmp_path / "school.toml", 50_000, mentors=True)
    settings = Settings(database_url=database_url)
    shown: list[tuple[str, int, int]] = []
    count = 0

    def counted(*_args: object) -> None:
        nonlocal count
        count += 1

    event.listen(Engine, "before_cursor_execute", counted)
    try:
        _key, first = await operator.apply_school_file(
            settings, school, progress=lambda *told: shown.append(told)
        )
        first_count, count = count, 0
        _key, again = await operator.apply_school_file(settings, school)
    finally:
        event.remove(Engine, "before_cursor_execute", counted)

    # 2,000 classes, 5 + 1,998 staff, 6 absence codes: 1 + 2,000 + 2,003 + 6 records.
    assert (len(first.created), first.updated, first.unchanged) == (4_010, [], 0)
    assert (again.created, again.updated, again.unchanged) == ([], [], 4_004)
    # The file has over 10,000 lines: its progress is shown.
    assert shown[-2:] == [("staff", 2000, 2003), ("staff", 2003, 2003)]
    # Row by row would be thousands; these include opening the database and checking its schema.
    assert (first_count < 100, count < 100) == (True, True), (first_count, count)
