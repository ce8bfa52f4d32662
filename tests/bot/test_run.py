"""`narvaro run` as an operator starts it: a real process that schedules, dispatches, and stops
cleanly on SIGTERM; and `narvaro outbox status`, which shows what waits and what failed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot import operator
from bot.operator import demo_file
from bot.settings import Settings
from scheduler.jobs import JOBS
from scheduler.schedule import JOB_TABLE, sync_database_url
from tests.bot.process import MONDAY_MORNING, NARVARO, run_narvaro

SCHOOL = "se-bjorkangen"


@pytest.fixture
async def database(migrated_database_url: str) -> str:
    await operator.apply_school_file(
        Settings(database_url=migrated_database_url), demo_file("se.toml")
    )
    return migrated_database_url


def start(database: str, cwd: Path, *options: str) -> subprocess.Popen[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NARVARO_")}
    environment |= {
        "NARVARO_DATABASE_URL": database,
        "NARVARO_LOG_LEVEL": "INFO",
        "NARVARO_FIXED_TIME": MONDAY_MORNING,
    }
    return subprocess.Popen(
        [NARVARO, "run", *options],
        cwd=cwd,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(process: subprocess.Popen[str], line: str, timeout: float = 60) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    assert process.stderr is not None
    while time.monotonic() < deadline:
        output = process.stderr.readline()
        if not output and process.poll() is not None:
            break
        seen.append(output.rstrip())
        if line in output:
            return seen
    process.kill()
    _out, rest = process.communicate()
    raise AssertionError(f"never saw {line!r}; saw:\n" + "\n".join(seen) + rest)


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    """Signal the process and wait for it to end; its exit code and what it logged last."""
    process.send_signal(signum)
    _out, rest = process.communicate(timeout=30)
    return process.returncode, rest


def stored_job_ids(database: str) -> set[str]:
    engine = create_engine(sync_database_url(database))
    try:
        with engine.connect() as connection:
            return set(connection.execute(text(f"SELECT id FROM {JOB_TABLE}")).scalars())
    finally:
        engine.dispose()


def test_run_schedules_the_school_s_jobs_and_stops_cleanly_on_sigterm(
    database: str, tmp_path: Path
) -> None:
    process = start(database, tmp_path)
    wait_for(process, "narvaro is running")
    code, rest = stop(process, signal.SIGTERM)
    assert (code, "narvaro stopped" in rest, "Traceback" in rest) == (0, True, False)
    # One school: each job is a group of one, in the school's timezone.
    ids = stored_job_ids(database)
    assert {stored.split("@")[0] for stored in ids} == set(JOBS) and len(ids) == len(JOBS)
    assert all("@Europe/Stockholm " in stored for stored in ids)


def test_an_extra_worker_runs_no_scheduler(database: str, tmp_path: Path) -> None:
    process = start(database, tmp_path, "--no-scheduler")
    seen = wait_for(process, "narvaro is running")
    code, rest = stop(process, signal.SIGINT)
    assert (code, "narvaro stopped" in rest) == (0, True)
    assert not any("school clock started" in line for line in seen)


def test_outbox_status_counts_what_waits(database: str, tmp_path: Path) -> None:
    env = {"NARVARO_DATABASE_URL": database}
    queued = run_narvaro(
        "jobs", "run", "roll-call", "--school", SCHOOL, "--date", "2026-11-23", cwd=tmp_path, **env
    )
    assert queued.returncode == 0, queued.stderr
    status = run_narvaro("outbox", "status", cwd=tmp_path, **env)
    assert status.stdout.splitlines() == ["pending: 2", "sent: 0", "failed: 0"]
    other = run_narvaro("outbox", "status", "--school", "nowhere", cwd=tmp_path, **env)
    assert other.returncode != 0 and "no school with the key 'nowhere'" in other.stderr
