"""A register import is set-based: a long file takes seconds, and the number of SQL statements
grows with the batches, not with the rows (SQLite in a file, as an operator would run it)."""

from __future__ import annotations

import itertools
import math
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from bot.files.register_csv import parse_register_csv
from routine.calendar import is_school_day
from routine.model import Pupil, SchoolClass
from routine.register_import import import_register, register_check
from routine.roster import default_absence_codes
from storage.bulk import BATCH
from storage.db import make_engine, make_session_factory
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.storage.support import EKBACKA

TODAY = date(2025, 11, 20)
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
CLASSES = [f"C{n:02}" for n in range(1, 21)]
PUPILS = [Pupil(EKBACKA.key, f"P{n:04}", f"Pupil {n}", CLASSES[n % 20]) for n in range(500)]
DAYS = [
    day
    for day in (date(2025, 8, 18) + timedelta(n) for n in range(92))
    if is_school_day(EKBACKA, day)
]
KINDS = ("absent", "late", "left_early")
CODES = ("", "illness", "invalid", "other")


def register(path: Path, rows: int) -> Path:
    # Lessons keep every row distinct; whole days would make absent-and-late contradictions.
    combos = itertools.product(DAYS, PUPILS, range(1, 5))
    lines = [
        f"{day},{pupil.pupil_id},{KINDS[n % 3]},{CODES[n % 4]},{lesson},{n % 600 + 1}"
        for n, (day, pupil, lesson) in zip(range(rows), combos, strict=False)
    ]
    path.write_text("date,pupil_id,kind,code,lesson,minutes\n" + "\n".join(lines), "utf-8")
    return path


async def timed_import(url: str, path: Path) -> tuple[float, int, int]:
    """Seconds and SQL statements of one import into a fresh school; marks added."""
    engine = make_engine(url)
    uow_factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    try:
        async with uow_factory() as uow:
            await uow.schools.save(EKBACKA)
            for name in CLASSES:
                await uow.classes.save(SchoolClass(EKBACKA.key, name))
            for pupil in PUPILS:
                await uow.pupils.save(pupil)
            for code in default_absence_codes(EKBACKA):
                await uow.codes.save(code)
            await uow.commit()
        statements = itertools.count()

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def count(*_: object) -> None:
            next(statements)

        started = time.perf_counter()
        async with uow_factory() as uow:
            check = await register_check(uow, EKBACKA, TODAY)
            rows = parse_register_csv(path, check)
            summary = await import_register(uow, EKBACKA.key, rows, today=TODAY, now=NOW)
        seconds = time.perf_counter() - started
        return seconds, next(statements), summary.added
    finally:
        await engine.dispose()


async def test_statements_grow_with_batches_not_rows(tmp_path: Path) -> None:
    counts = {}
    for rows in (1_000, 10_000):
        url = f"sqlite+aiosqlite:///{tmp_path / f'{rows}.db'}"
        await upgrade(url)
        # Both files cover the same days, so the roll calls recorded are the same.
        path = register(tmp_path / f"{rows}.csv", rows)
        _, counts[rows], added = await timed_import(url, path)
        assert added == rows

    extra_batches = math.ceil(10_000 / BATCH) - math.ceil(1_000 / BATCH)
    assert counts[10_000] - counts[1_000] <= extra_batches, counts


async def test_a_hundred_thousand_rows_take_seconds(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    path = register(tmp_path / "register.csv", 100_000)

    seconds, _, added = await timed_import(migrated_sqlite_url, path)

    print(f"{added} rows imported in {seconds:.1f} s ({added / seconds:,.0f} rows/s)")
    assert (added, seconds < 60) == (100_000, True)
