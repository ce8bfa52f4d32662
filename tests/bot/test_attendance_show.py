"""`narvaro attendance show`: a history built through the routine, read back day by day."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot import attendance_commands, operator
from bot.operator import demo_file
from bot.settings import Settings
from routine.model import AbsenceReport, AttendanceMark, MarkKind, ReasonCategory
from routine.record import Correction, DayStatus
from routine.roll_call import RollCall, RollCallStatus
from tests.bot.process import run_narvaro

SE = "se-bjorkangen"
PUPIL = "P-SE-001"
# Monday 16 to Friday 27 November 2026: ten school days of the demo school's autumn term.
MON16, TUE17, WED18, THU19, FRI20 = (date(2026, 11, d) for d in (16, 17, 18, 19, 20))
MON23, FRI27 = date(2026, 11, 23), date(2026, 11, 27)
AT = datetime(2026, 11, 27, 12, tzinfo=UTC)


@pytest.fixture
async def history(migrated_database_url: str) -> Settings:
    """Tue: roll call taken, pupil absent (then staff judged invalid by correction to present);
    Wed: reported ill, no roll call; Thu: roll call taken, pupil not marked (present);
    Fri: roll call not answered; Mon 23: late 7 minutes. The other days nothing is known."""
    settings = Settings(database_url=migrated_database_url)
    await operator.apply_school_file(settings, demo_file("se.toml"))
    await operator.import_roster_file(settings, SE, demo_file("se.csv"))
    app = await operator.bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            for day, status in (
                (TUE17, RollCallStatus.SUBMITTED),
                (THU19, RollCallStatus.SUBMITTED),
                (FRI20, RollCallStatus.NOT_ANSWERED),
                (MON23, RollCallStatus.SUBMITTED),
            ):
                await uow.roll_calls.add(RollCall(SE, "7A", day, status, opened_at=AT))
            await uow.marks.add(AttendanceMark(SE, PUPIL, TUE17, MarkKind.ABSENT))
            await uow.marks.add(AttendanceMark(SE, PUPIL, MON23, MarkKind.LATE, minutes=7))
            await uow.reports.add(
                AbsenceReport(SE, PUPIL, "G-SE-001", ReasonCategory.ILLNESS, WED18, WED18)
            )
            await uow.corrections.add(
                Correction(
                    SE, PUPIL, TUE17, DayStatus.PRESENT, None, None, "was on a school trip",
                    "S-SE-01", AT,
                )
            )  # fmt: skip
            await uow.commit()
    finally:
        await app.close()
    return settings


async def test_the_record_shows_every_school_day_with_its_state_and_source(history) -> None:
    lines = await attendance_commands.attendance_record(history, SE, PUPIL, MON16, FRI27)
    rows = [line.split()[:6] for line in lines[2:-1]]
    assert rows == [
        ["2026-11-16", "Mon", "unknown", "-", "-", "-"],
        ["2026-11-17", "Tue", "present", "-", "-", "correction"],
        ["2026-11-18", "Wed", "absent", "illness", "valid", "report"],
        ["2026-11-19", "Thu", "present", "-", "-", "roll_call"],
        ["2026-11-20", "Fri", "unknown", "-", "-", "-"],
        ["2026-11-23", "Mon", "late", "-", "unexplained", "roll_call"],
        ["2026-11-24", "Tue", "unknown", "-", "-", "-"],
        ["2026-11-25", "Wed", "unknown", "-", "-", "-"],
        ["2026-11-26", "Thu", "unknown", "-", "-", "-"],
        ["2026-11-27", "Fri", "unknown", "-", "-", "-"],
    ]
    assert lines[-1] == (
        "School days 10, known 4, absent 1 (valid 1, invalid 0, unexplained 0), late 1,"
        " left early 0, unknown 6; absent 25.0% of known days."
    )


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_command_prints_it_and_refuses_an_unknown_pupil_cleanly(
    history: Settings, tmp_path: Path
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_narvaro(
            "attendance", "show", "--school", SE, *args,
            cwd=tmp_path, NARVARO_DATABASE_URL=history.database_url,
        )  # fmt: skip

    shown = run("--pupil", PUPIL, "--from", "2026-11-16", "--to", "2026-11-20")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0] == (
        "P-SE-001 (Alva Nilsson, 7A) at se-bjorkangen, 2026-11-16 to 2026-11-20"
    )
    assert "School days 5, known 3," in shown.stdout
    unknown = run("--pupil", "P-NOBODY")
    assert unknown.returncode != 0
    assert "no pupil 'P-NOBODY' at se-bjorkangen" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    backwards = run("--pupil", PUPIL, "--from", "2026-11-20", "--to", "2026-11-16")
    assert "after its end" in backwards.stderr
