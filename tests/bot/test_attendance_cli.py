"""`narvaro attendance import` as an operator runs it: a real process, the Swedish demo school,
a real database. The clock stands on Monday 23 November 2026 (`tests.bot.process`)."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import operator
from bot.files import parse_school_file
from bot.operator import demo_file
from bot.settings import Settings
from routine.calendar import is_school_day
from tests.bot.process import run_narvaro

SE = "se-bjorkangen"
SE_SCHOOL = parse_school_file(demo_file("se.toml")).school
PUPILS = [f"P-SE-{n:03}" for n in range(1, 17)]

REGISTER = """\
date,pupil_id,kind,code,lesson,minutes
2026-11-16,P-SE-001,absent,illness,,
2026-11-17,P-SE-002,late,,,15
2026-11-18,P-SE-009,left_early,appointment,,60
"""


@pytest.fixture
async def run(migrated_database_url: str, tmp_path: Path):
    # The demo school in this process (`school apply` and `roster import` are tested as
    # processes elsewhere); only the commands under test start one.
    settings = Settings(database_url=migrated_database_url)
    await operator.apply_school_file(settings, demo_file("se.toml"))
    await operator.import_roster_file(settings, SE, demo_file("se.csv"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_narvaro(*args, cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url)

    return run


def test_a_register_is_imported_once_and_a_second_time_changes_nothing(
    run, tmp_path: Path
) -> None:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")

    first = run("attendance", "import", "--school", SE, str(path))
    again = run("attendance", "import", "--school", SE, str(path))

    assert first.returncode == 0
    # Nothing on stderr but the operator's audit line: ids and counts.
    (audited,) = first.stderr.splitlines()
    assert audited.startswith("WARNING narvaro.audit: attendance import: operator=")
    assert audited.endswith(
        f" school={SE} start=2026-11-16 end=2026-11-18 added=3 updated=0 removed=0"
    )
    assert first.stdout.splitlines() == [
        f"Attendance for {SE}: 2026-11-16 to 2026-11-18, 3 school day(s): 3 mark(s) added,"
        " 0 updated, 0 removed, 0 already imported.",
        "6 class day(s) recorded as imported (0 of them had a roll call nobody took).",
    ]
    assert again.returncode == 0
    assert again.stdout.splitlines()[1:] == ["Nothing changed."]
    assert "3 already imported" in again.stdout


def test_problems_are_reported_by_line_and_nothing_is_written(run, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        REGISTER
        + "2026-11-21,P-SE-001,absent,,,\n"
        + "2026-11-23,P-SE-001,absent,,,\n"
        + "2026-11-19,P-SE-099,absent,sick,,\n",
        encoding="utf-8",
    )

    refused = run("attendance", "import", "--school", SE, str(path))

    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert refused.stderr.splitlines() == [
        f"{path}:5: 2026-11-21 is not a school day of the school",
        f"{path}:6: 2026-11-23 is not a past day; the roll call of today and later days is"
        " taken in the chat",
        f"{path}:7: pupil 'P-SE-099' is not a pupil of the school",
        f"{path}:7: code 'sick' is not one of the school's absence codes (appointment,"
        " illness, invalid, late, leave, other)",
        f"Error: 4 problem(s) found in {path}; nothing was changed.",
    ]
    path.write_text(REGISTER, encoding="utf-8")
    assert "3 mark(s) added" in run("attendance", "import", "--school", SE, str(path)).stdout


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_long_file_shows_its_progress_on_stderr(run, tmp_path: Path) -> None:
    days = [
        date(2026, 8, 18) + timedelta(n)
        for n in range(96)
        if is_school_day(SE_SCHOOL, date(2026, 8, 18) + timedelta(n))
    ]
    lines = [
        f"{day},{pupil},absent,,{lesson},"
        for day in days
        for pupil in PUPILS
        for lesson in range(1, 12)
    ]
    path = tmp_path / "register.csv"
    path.write_text("date,pupil_id,kind,code,lesson,minutes\n" + "\n".join(lines), "utf-8")

    result = run("attendance", "import", "--school", SE, str(path))

    assert result.returncode == 0, result.stderr
    assert len(lines) > 10_000
    progress, audited = result.stderr.splitlines()
    assert progress == f"{path}: read 10,000 of {len(lines):,} rows"
    assert audited.startswith("WARNING narvaro.audit: attendance import: operator=")
    assert f"{len(lines)} mark(s) added" in result.stdout


def test_an_unknown_school_is_named(run, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER, encoding="utf-8")

    result = run("attendance", "import", "--school", "se-nowhere", str(path))

    assert result.returncode == 1
    assert result.stderr == "Error: no school with the key 'se-nowhere'\n"


def test_a_pupils_record_is_shown_day_by_day_with_its_totals(run, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(REGISTER + "2026-11-18,P-SE-001,absent,,3,\n", encoding="utf-8")
    assert run("attendance", "import", "--school", SE, str(path)).returncode == 0

    shown = run(
        "--operator", "lena",
        "attendance", "show", "--school", SE, "--pupil", "P-SE-001", "--from", "2026-11-13",
    )  # fmt: skip

    # Reading a pupil's record is audited: the one line on stderr, by ids.
    assert (shown.returncode, shown.stderr) == (
        0,
        "WARNING narvaro.audit: attendance show: operator=lena school=se-bjorkangen "
        "pupil_id=P-SE-001 start=2026-11-13 end=2026-11-22\n",
    )
    assert shown.stdout.splitlines() == [
        "P-SE-001 (Alva Nilsson, 7A) at se-bjorkangen, 2026-11-13 to 2026-11-22",
        "date        day  state       code          validity     source      minutes  lessons",
        "2026-11-13  Fri  unknown     -             -            -                 -        0",
        "2026-11-16  Mon  absent      illness       valid        import            -        0",
        "2026-11-17  Tue  present     -             -            import            -        0",
        "2026-11-18  Wed  present     -             -            import            -        1",
        "2026-11-19  Thu  unknown     -             -            -                 -        0",
        "2026-11-20  Fri  unknown     -             -            -                 -        0",
        "School days 6, known 3, absent 1 (valid 1, invalid 0, unexplained 0), late 0,"
        " left early 0, unknown 3; absent 33.3% of known days.",
    ]
    unknown = run("attendance", "show", "--school", SE, "--pupil", "P-SE-404")
    assert (unknown.returncode, unknown.stderr) == (1, f"Error: no pupil 'P-SE-404' at {SE}\n")
