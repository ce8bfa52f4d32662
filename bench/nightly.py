"""Benchmark 4: the nightly evaluation of the rules. Prints one JSON line per country and night.

Builds, deterministically, one school of 100,000 pupils (25 a class) with a school year of
imported registers: every class's register for every school day up to the evaluated day, and
about 1,000,000 absence marks (one pupil in ten is absent one day in five, the others one day
in twenty-five; a third of the absences invalid). Norway's rules hit many of them (54,663 hits:
"invalid absence more than once" in the term holds for almost every other pupil), Sweden's
10,000 and Denmark's none. Then runs what the
`evaluate-thresholds` job runs (a unit of work, `routine.evaluation.evaluate_thresholds`, the
commit) for two nights in a row: the day before the last ("first": the first evaluation of a
school with a term of history, every hit and every day it used is new) and the last day
("next": an ordinary night: a hit of a term, month or quarter window that held the night
before and holds on as it was is not written, only its window's evaluated day moves; one
whose numbers changed is updated in place; a rolling window's hit is new, its window starting
a day later; the days they use were mostly used the night before). Each
is timed beside its floor: one aggregate query over the marks table, `SELECT school_key,
pupil_id, count(*) ... GROUP BY`, the best of three runs. Target (issue "The morning at
municipal scale", benchmark 4): at most 30 s and at most 3 times the floor. Reported: seconds
and CPU seconds (the machine is shared), SQL statements, hits and those new, record uses
stored, hits updated in place and those that held on unwritten, the peak memory of the
process and what it was before the evaluation.

    .venv/bin/python -m bench.nightly [--pupils 100000] [--country SE NO DK] [--backend sqlite]

`--scale 0.01` shrinks the school (CI's smoke test). PostgreSQL: `--backend postgresql` uses
NARVARO_BENCH_POSTGRES_URL (default: the local `test` database, in a schema of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import resource
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.morning import POSTGRES_URL, StatementCounter, _postgres_schema
from routine.evaluation import Evaluation, evaluate_thresholds
from routine.model import Country, DateSpan, Language, School, SchoolCalendar
from routine.record import school_days
from routine.roster import DEFAULT_ABSENCE_CODES
from scheduler.gc_pause import cyclic_gc_paused
from scheduler.jobs import JobContext
from storage import mapping
from storage.db import make_engine, make_session_factory
from storage.orm import (
    AbsenceCodeRow,
    AttendanceMarkRow,
    ClassRow,
    PupilRow,
    RollCallRow,
    SchoolRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
)
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory

TERMS = (
    DateSpan(date(2026, 8, 17), date(2026, 12, 18), "autumn"),
    DateSpan(date(2027, 1, 11), date(2027, 6, 11), "spring"),
)
# The evaluated days: late in the school year, so that every window is full.
DAY_BEFORE = date(2027, 6, 9)
DAY = date(2027, 6, 10)
NOW = datetime(2027, 6, 10, 15, 0, tzinfo=UTC)
CLASS_SIZE = 25
BATCH = 2000
ZONES = {
    Country.SE: "Europe/Stockholm",
    Country.NO: "Europe/Oslo",
    Country.DK: "Europe/Copenhagen",
}
LANGUAGES = {Country.SE: Language.SV, Country.NO: Language.NB, Country.DK: Language.DA}


class Clock:
    def now(self) -> datetime:
        return NOW


def bench_school(key: str, country: Country) -> School:
    calendar = SchoolCalendar(terms=TERMS)
    return School(key, key, country, ZONES[country], LANGUAGES[country], calendar=calendar)


def is_absent(pupil: int, day_index: int) -> bool:
    every = 5 if pupil % 10 == 0 else 25
    return (pupil * 7 + day_index) % every == 0


def school_rows(school: School, pupils: int, day: date = DAY) -> dict[str, list[dict[str, Any]]]:
    """Every row of the school but its marks (`marks`), built from its key, country and size."""
    row = SchoolRow()
    mapping.school_to_row(school, row)
    key = school.key
    classes = [f"C{n:04d}" for n in range((pupils + CLASS_SIZE - 1) // CLASS_SIZE)]
    days = school_days(school, TERMS[0].start, day)
    rows: dict[str, list[dict[str, Any]]] = {
        "school": [{c.key: getattr(row, c.key) for c in SchoolRow.__table__.columns}],
        "classes": [{"school_key": key, "name": name} for name in classes],
        "codes": [
            {"school_key": key, "code": c.code, "label": c.label, "valid": c.valid}
            | {"counts_as_absence": c.counts_as_absence, "late": c.late}
            for c in DEFAULT_ABSENCE_CODES[school.country]
        ],
        "pupils": [
            {"school_key": key, "pupil_id": f"P{n:06d}", "name": f"Pupil {n}"}
            | {"class_name": classes[n // CLASS_SIZE], "active": True}
            for n in range(pupils)
        ],
        "roll_calls": [
            {"school_key": key, "class_name": name, "day": d, "status": "imported"}
            | {"opened_at": NOW, "submitted_by": "import", "submitted_at": NOW}
            for d in days
            for name in classes
        ],
    }
    # A mentor per class on Slack, and one coordinator: the new cases' cards go to them.
    staff = [(f"M{n:05d}", "mentor", (name,)) for n, name in enumerate(classes)]
    staff.append(("C00000", "coordinator", ()))
    rows["staff"] = [
        {"school_key": key, "staff_id": staff_id, "name": f"Staff {staff_id}", "language": None}
        | {"slack_user_id": f"U{key.upper()}{staff_id}".replace("-", "")}
        for staff_id, _role, _classes in staff
    ]
    rows["roles"] = [
        {"school_key": key, "staff_id": staff_id, "role": role} for staff_id, role, _c in staff
    ]
    rows["staff_classes"] = [
        {"school_key": key, "staff_id": staff_id, "class_name": name, "position": 0}
        for staff_id, _role, names in staff
        for name in names
    ]
    return rows


def marks(school: School, pupils: int, day: date = DAY) -> Iterator[list[dict[str, Any]]]:
    """The school's absence marks, a school day at a time (a million rows at once would make
    the process's peak memory the data's rather than the evaluation's)."""
    key = school.key
    for index, d in enumerate(school_days(school, TERMS[0].start, day)):
        found = []
        for n in range(pupils):
            if is_absent(n, index):
                invalid = (n + index) % 3 == 0
                found.append(
                    {"school_key": key, "pupil_id": f"P{n:06d}", "day": d, "kind": "absent"}
                    | {"lesson": None, "explained": True, "valid": not invalid}
                    | {"code": "invalid" if invalid else "illness", "marked_by": "import"}
                    | {"minutes": None, "source": "import"}
                )
        yield found


TABLES = {
    "school": SchoolRow,
    "classes": ClassRow,
    "codes": AbsenceCodeRow,
    "pupils": PupilRow,
    "staff": StaffRow,
    "roles": StaffRoleRow,
    "staff_classes": StaffClassRow,
    "roll_calls": RollCallRow,
}


def analyze(connection: AsyncConnection, tables: list[str]) -> Any:
    """Fresh statistics: on PostgreSQL of the bench's own tables (a bare ANALYZE on a shared
    server analyzes, and waits for a lock on, every schema's tables); SQLite takes one name
    an ANALYZE, and its database is the bench's alone."""
    if connection.dialect.name == "postgresql":
        return connection.execute(text("ANALYZE " + ", ".join(tables)))
    return connection.execute(text("ANALYZE"))


async def load(engine: AsyncEngine, school: School, pupils: int) -> int:
    """Writes the school and returns how many marks it has."""
    count = 0
    async with engine.begin() as connection:
        rows = school_rows(school, pupils)
        for name, table in TABLES.items():
            for start in range(0, len(rows[name]), BATCH):
                await connection.execute(insert(table), rows[name][start : start + BATCH])
        del rows
        # Statistics before the marks: PostgreSQL plans each mark's foreign-key check on the
        # pupils, and without them chose a scan of all 100,000 pupils (the load took hours).
        await analyze(connection, [table.__tablename__ for table in TABLES.values()])
        for found in marks(school, pupils):
            count += len(found)
            for start in range(0, len(found), BATCH):
                await connection.execute(insert(AttendanceMarkRow), found[start : start + BATCH])
        # Fresh statistics, as a school's database has after its nightly optimize.
        names = [table.__tablename__ for table in (*TABLES.values(), AttendanceMarkRow)]
        await analyze(connection, names)
    return count


async def floor(engine: AsyncEngine, school_key: str) -> float:
    """One aggregate query over the marks: what any evaluation must at least read. The best of
    three, so that the ratio is not flattered by a slow floor."""
    query = text(
        "SELECT school_key, pupil_id, count(*) FROM attendance_marks "
        "WHERE school_key = :key GROUP BY school_key, pupil_id"
    )
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        async with engine.connect() as connection:
            (await connection.execute(query, {"key": school_key})).all()
        best = min(best, time.perf_counter() - started)
    return best


def megabytes() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def count_rows(engine: AsyncEngine, table: str) -> int:
    async with engine.connect() as connection:
        found = await connection.execute(select(text("count(*)")).select_from(text(table)))
        return int(found.scalar() or 0)


async def run_country(
    url: str, backend: str, pupils: int, country: Country
) -> list[dict[str, Any]]:
    engine = make_engine(url)
    try:
        school = bench_school(f"n-{country.value.lower()}", country)
        marks_count = await load(engine, school, pupils)
        gc.collect()
        before = megabytes()
        context = JobContext(SqlAlchemyUnitOfWorkFactory(make_session_factory(engine)), Clock())
        counter = StatementCounter(engine)
        results = []
        for night, day in (("first", DAY_BEFORE), ("next", DAY)):
            statements, uses = counter.count, await count_rows(engine, "record_uses")
            started, cpu = time.perf_counter(), time.process_time()
            found: Evaluation = await evaluate(context, school.key, day)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            statements = counter.count - statements
            floor_seconds = await floor(engine, school.key)
            results.append(
                {
                    "bench": "nightly",
                    "what": "evaluate-thresholds",
                    "backend": backend,
                    "country": country.value,
                    "night": night,
                    "day": day.isoformat(),
                    "pupils": pupils,
                    "marks": marks_count,
                    "seconds": round(seconds, 4),
                    "cpu_seconds": round(cpu, 4),
                    "statements": statements,
                    "floor_seconds": round(floor_seconds, 4),
                    "ratio": round(seconds / floor_seconds, 1) if floor_seconds else None,
                    "hits": len(found.hits),
                    "new_hits": len(found.new_hits),
                    "updated_hits": len(found.updated_hits),
                    "held_on": len(found.continuing),
                    "recomputed": found.recomputed,
                    "uses_stored": await count_rows(engine, "record_uses") - uses,
                    "summary": found.summary(),
                    "memory_before_mb": before,
                    "peak_memory_mb": megabytes(),
                }
            )
        return results
    finally:
        await engine.dispose()


async def evaluate(context: JobContext, school_key: str, day: date) -> Evaluation:
    """What the `evaluate-thresholds` job does (scheduler.jobs), returning the evaluation
    itself rather than its summary: with the cyclic collector paused, as the job is."""
    with cyclic_gc_paused():
        async with context.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise SystemExit(f"no school {school_key}")
            found = await evaluate_thresholds(uow, school, day, context.clock.now())
            await uow.commit()
    return found


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=100_000)
    parser.add_argument(
        "--country", nargs="+", default=["SE", "NO", "DK"], choices=["SE", "NO", "DK"]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="with --backend postgresql")
    args = parser.parse_args(argv)
    size = max(CLASS_SIZE, int(args.pupils * args.scale))
    for country in args.country:
        with tempfile.TemporaryDirectory() as folder:
            if args.backend == "sqlite":
                url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            else:
                schema = f"bench_{secrets.token_hex(4)}"
                separator = "&" if "?" in args.postgres_url else "?"
                url = f"{args.postgres_url}{separator}options=-csearch_path%3D{schema}"
                await _postgres_schema(args.postgres_url, schema, create=True)
            try:
                await upgrade(url)
                for result in await run_country(url, args.backend, size, Country(country)):
                    print(json.dumps(result), flush=True)
            finally:
                if args.backend == "postgresql":
                    await _postgres_schema(args.postgres_url, schema, create=False)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
