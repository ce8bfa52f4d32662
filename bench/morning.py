"""Benchmark 2: the morning at scale. Prints one JSON line per result.

Builds, deterministically, schools of a given size (25 pupils a class, one mentor a class with a
Slack id, two guardians a pupil, one of them in a Telegram chat), marks 5 % of the pupils absent
and has guardians report half of them, then runs the real `roll-call` and `unreported-absences`
jobs for all the schools, as the clock runs the schools due at one minute
(`scheduler.together.run_together`: together, in slices of `SCHOOLS_AT_ONCE`), and times the
deciding and enqueueing, counting SQL statements. The floor is one plain query that finds the
same pupils (absent, no report) with their guardians' chats: what any implementation must at
least read.

    .venv/bin/python -m bench.morning [--pupils 1000 10000] [--schools 1] [--backend sqlite]

`--scale 0.01` shrinks every size (CI's smoke test). PostgreSQL: `--backend postgresql` uses
NARVARO_BENCH_POSTGRES_URL (default: the local `test` database, in a schema of its own).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from routine.model import Country, Language, School
from routine.roster import DEFAULT_ABSENCE_CODES
from scheduler.jobs import JOBS, JobContext
from scheduler.together import run_together
from storage import mapping
from storage.db import make_engine, make_session_factory
from storage.orm import (
    AbsenceCodeRow,
    AbsenceReportRow,
    AttendanceMarkRow,
    ChatAccountRow,
    ClassRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    SchoolRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
)
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
CLASS_SIZE = 25
POSTGRES_URL = os.environ.get(
    "NARVARO_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


class Clock:
    def now(self) -> datetime:
        return NOW


def school_rows(key: str, pupils: int) -> dict[str, list[dict[str, Any]]]:
    """Every row of one school, built from its key and size alone."""
    school = School(key, key, Country.SE, "Europe/Stockholm", Language.SV)
    row = SchoolRow()
    mapping.school_to_row(school, row)
    classes = [f"C{n:04d}" for n in range((pupils + CLASS_SIZE - 1) // CLASS_SIZE)]
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "school", "classes", "codes", "staff", "roles", "staff_classes", "pupils",
            "guardians", "links", "accounts", "marks", "reports",
        )
    }  # fmt: skip
    rows["school"].append({c.key: getattr(row, c.key) for c in SchoolRow.__table__.columns})
    for code in DEFAULT_ABSENCE_CODES[Country.SE]:
        rows["codes"].append(
            {"school_key": key, "code": code.code, "label": code.label, "valid": code.valid}
            | {"counts_as_absence": code.counts_as_absence, "late": code.late}
        )
    for n, name in enumerate(classes):
        staff_id = f"S{n:05d}"
        rows["classes"].append({"school_key": key, "name": name})
        rows["staff"].append(
            {"school_key": key, "staff_id": staff_id, "name": f"Mentor {n}", "language": None}
            | {"slack_user_id": f"U{key.upper()}{n:05d}".replace("-", "")}
        )
        rows["roles"].append({"school_key": key, "staff_id": staff_id, "role": "mentor"})
        rows["staff_classes"].append(
            {"school_key": key, "staff_id": staff_id, "class_name": name, "position": 0}
        )
    for n in range(pupils):
        pupil_id = f"P{n:06d}"
        rows["pupils"].append(
            {"school_key": key, "pupil_id": pupil_id, "name": f"Pupil {n}"}
            | {"class_name": classes[n // CLASS_SIZE], "active": True}
        )
        for g in (0, 1):
            guardian_id = f"G{n:06d}{g}"
            rows["guardians"].append(
                {"school_key": key, "guardian_id": guardian_id, "name": f"Guardian {n}/{g}"}
                | {"language": "sv", "phone": "", "email": ""}
            )
            rows["links"].append(
                {"school_key": key, "guardian_id": guardian_id, "pupil_id": pupil_id}
            )
        rows["accounts"].append(
            {"platform": "telegram", "account_id": f"{key}-{n}", "school_key": key}
            | {"person_kind": "guardian", "person_id": f"G{n:06d}0", "reachable": True}
        )
        if n % 20 == 0:  # 5 % absent; half of them reported ill
            rows["marks"].append(
                {"school_key": key, "pupil_id": pupil_id, "day": DAY, "kind": "absent"}
                | {"lesson": None, "explained": False, "valid": None, "code": None}
                | {"marked_by": "S", "minutes": None, "source": "roll_call"}
            )
            if n % 40 == 0:
                rows["reports"].append(
                    {"school_key": key, "pupil_id": pupil_id, "guardian_id": f"G{n:06d}0"}
                    | {"reason": "illness", "first_day": DAY, "last_day": DAY}
                    | {"part": "whole_day", "at_time": None, "note": "", "reported_at": NOW}
                    | {"status": "active"}
                )
    return rows


TABLES = {
    "school": SchoolRow, "classes": ClassRow, "codes": AbsenceCodeRow, "staff": StaffRow,
    "roles": StaffRoleRow, "staff_classes": StaffClassRow, "pupils": PupilRow,
    "guardians": GuardianRow, "links": GuardianPupilRow, "accounts": ChatAccountRow,
    "marks": AttendanceMarkRow, "reports": AbsenceReportRow,
}  # fmt: skip


async def load(
    engine: AsyncEngine, rows: dict[str, list[dict[str, Any]]], *, analyze: bool = True
) -> None:
    """One school's rows; `analyze=False` leaves the statistics to `analyze` after the last
    school (on PostgreSQL, ANALYZE reads every table of the database)."""
    async with engine.begin() as connection:
        for name, table in TABLES.items():
            for start in range(0, len(rows[name]), 2000):
                batch = rows[name][start : start + 2000]
                if batch:
                    await connection.execute(insert(table), batch)
    if analyze:
        await analyze_tables(engine)


async def analyze_tables(engine: AsyncEngine) -> None:
    # Fresh statistics, as a school's database has after its nightly optimize.
    async with engine.begin() as connection:
        await connection.execute(text("ANALYZE"))


class StatementCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self.count = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        self.count += 1


async def floor(engine: AsyncEngine, school_key: str) -> float:
    """One query: the absent pupils without a report, with their guardians' chats."""
    query = text(
        "SELECT m.pupil_id, a.account_id FROM attendance_marks m "
        "JOIN guardian_pupils l ON l.school_key = m.school_key AND l.pupil_id = m.pupil_id "
        "JOIN chat_accounts a ON a.school_key = l.school_key AND a.person_kind = 'guardian'"
        " AND a.person_id = l.guardian_id "
        "WHERE m.school_key = :key AND m.day = :day AND m.kind = 'absent' AND NOT EXISTS ("
        " SELECT 1 FROM absence_reports r WHERE r.school_key = m.school_key"
        " AND r.pupil_id = m.pupil_id AND r.first_day <= :day AND r.last_day >= :day)"
    )
    started = time.perf_counter()
    async with engine.connect() as connection:
        (await connection.execute(query, {"key": school_key, "day": DAY})).all()
    return time.perf_counter() - started


async def run_size(url: str, backend: str, pupils: int, schools: int) -> list[dict[str, Any]]:
    await upgrade(url)
    engine = make_engine(url)
    keys = [f"s{pupils}-{n}" for n in range(schools)]
    for key in keys:
        await load(engine, school_rows(key, pupils), analyze=False)
    await analyze_tables(engine)
    factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    context = JobContext(factory, Clock())
    counter = StatementCounter(engine)
    results = []
    for job in ("roll-call", "unreported-absences"):
        counter.count = 0
        started, cpu = time.perf_counter(), time.process_time()
        await run_together(context, JOBS[job], keys, DAY)
        seconds = time.perf_counter() - started
        # The process's own CPU time, its threads' (SQLite's work) included: on a shared
        # machine the wall-clock seconds also count the waits for a core.
        cpu_seconds = time.process_time() - cpu
        statements = counter.count  # the floor's own queries are not the job's
        floor_seconds = sum([await floor(engine, key) for key in keys])
        results.append(
            {
                "bench": "morning",
                "job": job,
                "backend": backend,
                "schools": schools,
                "pupils_per_school": pupils,
                "seconds": round(seconds, 4),
                "cpu_seconds": round(cpu_seconds, 4),
                "statements": statements,
                "statements_per_school": round(statements / schools, 2),
                "floor_seconds": round(floor_seconds, 4),
                "ratio": round(seconds / floor_seconds, 1) if floor_seconds else None,
                "peak_memory_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
            }
        )
    async with engine.connect() as connection:
        queued = await connection.execute(select(text("count(*)")).select_from(text("outbox")))
        results[-1]["queued"] = queued.scalar()
    await engine.dispose()
    return results


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--schools", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", default=POSTGRES_URL, help="with --backend postgresql")
    args = parser.parse_args(argv)
    for pupils in args.pupils:
        size = max(CLASS_SIZE, int(pupils * args.scale))
        with tempfile.TemporaryDirectory() as folder:
            if args.backend == "sqlite":
                url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            else:
                schema = f"bench_{secrets.token_hex(4)}"
                separator = "&" if "?" in args.postgres_url else "?"
                url = f"{args.postgres_url}{separator}options=-csearch_path%3D{schema}"
                await _postgres_schema(args.postgres_url, schema, create=True)
            try:
                for result in await run_size(url, args.backend, size, args.schools):
                    print(json.dumps(result), flush=True)
            finally:
                if args.backend == "postgresql":
                    await _postgres_schema(args.postgres_url, schema, create=False)


async def _postgres_schema(server: str, schema: str, *, create: bool) -> None:
    engine = make_engine(server)
    async with engine.begin() as connection:
        statement = f"CREATE SCHEMA {schema}" if create else f"DROP SCHEMA {schema} CASCADE"
        await connection.execute(text(statement))
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
