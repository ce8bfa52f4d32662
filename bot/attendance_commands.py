"""`narvaro attendance`: import a register kept elsewhere, show a pupil's record, list the
corrections' audit trail. Registered on the main command group by `bot.cli`.

Each command's work is a function here, before `register`, so that tests call what it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from bot import audit, bootstrap, corrections
from bot.attendance_view import default_period, describe_record
from bot.errors import OperatorError
from bot.files.register_csv import Progress as RowProgress
from bot.files.register_csv import parse_register_csv
from bot.settings import Settings
from routine.history import record_of
from routine.register_import import RegisterImportSummary, import_register, register_check
from routine.setup import InvalidInput
from scheduler.clock import local_day

IMPORT_HELP = (
    "Import FILE.csv, the school's register for past school days from its first to its last "
    "date (--from and --to may widen the period), with the columns "
    "date,pupil_id,kind,code[,lesson,minutes]; kind is absent, late or left_early; code is one "
    "of the school's absence codes, or empty for unexplained.\n\n"
    "Every class's school days of the period become known: a pupil without a row is present. "
    "A class whose roll call was submitted that day, a pupil with a roll-call mark and a day "
    "staff corrected are left alone and counted; a roll call nobody took becomes imported. "
    "Every problem is reported with its line and nothing is written while any remains; "
    "importing the same file twice changes nothing. Imported marks the file no longer has are "
    "removed: the file is the register of its period."
)


async def import_register_file(
    settings: Settings,
    school_key: str,
    path: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    progress: RowProgress | None = None,
) -> RegisterImportSummary:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            now = app.clock.now()
            today = local_day(school, now)
            check = await register_check(uow, school, today)
            rows = parse_register_csv(path, check, progress)
            return await import_register(
                uow,
                school_key,
                rows,
                today=today,
                now=now,
                start=start,
                end=end,
            )
    finally:
        await app.close()


def describe_register_import(summary: RegisterImportSummary) -> list[str]:
    """The import's outcome for the operator, one line per thing worth knowing."""
    lines = [
        f"{summary.start} to {summary.end}, {summary.school_days} school day(s): "
        f"{summary.added} mark(s) added, {summary.updated} updated, {summary.removed} removed, "
        f"{summary.already_imported} already imported."
    ]
    if summary.class_days_recorded or summary.class_days_not_taken:
        recorded = summary.class_days_recorded + summary.class_days_not_taken
        lines.append(
            f"{recorded} class day(s) recorded as imported ({summary.class_days_not_taken} "
            "of them had a roll call nobody took)."
        )
    if summary.class_days_submitted:
        lines.append(
            f"{summary.class_days_submitted} class day(s) keep the roll call a mentor submitted."
        )
    for why, count in sorted(summary.left_alone.items()):
        lines.append(f"{count} row(s) left alone: {why}.")
    if not summary.changed:
        lines.append("Nothing changed.")
    return lines


async def attendance_record(
    settings: Settings,
    school_key: str,
    pupil_id: str,
    start: date | None = None,
    end: date | None = None,
) -> list[str]:
    """One pupil's record, day by day, and its totals, as lines for the operator."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            pupil = await uow.pupils.get(school_key, pupil_id)
            if pupil is None:
                raise OperatorError(f"no pupil {pupil_id!r} at {school_key}")
            default_start, default_end = default_period(school, local_day(school, app.clock.now()))
            start = start if start is not None else default_start
            end = end if end is not None else default_end
            if start > end:
                raise OperatorError(f"the period starts on {start}, after its end {end}")
            found = await record_of(uow, school, start, end, [pupil])
        audit.record("attendance show", school=school_key, pupil_id=pupil_id, start=start, end=end)
        return describe_record(school, pupil, start, end, found[pupil.pupil_id])
    finally:
        await app.close()


def register(
    main: click.Group,
    load_settings: Callable[[], Settings],
    run_async: Any,
    fail_with_problems: Callable[[Path, InvalidInput], None],
) -> None:
    @main.group()
    def attendance() -> None:
        """The attendance record: import a register kept elsewhere (docs/attendance-import.md),
        show a pupil's record."""

    @attendance.command(
        "import",
        help=IMPORT_HELP,
    )
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option(
        "--from",
        "start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="First day of the period (YYYY-MM-DD), if before the file's first date.",
    )
    @click.option(
        "--to",
        "end",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Last day of the period (YYYY-MM-DD), if after the file's last date.",
    )
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @run_async
    async def attendance_import(
        school_key: str, start: datetime | None, end: datetime | None, file: Path
    ) -> None:
        def progress(done: int, total: int) -> None:
            click.echo(f"{file}: read {done:,} of {total:,} rows", err=True)

        try:
            summary = await import_register_file(
                load_settings(),
                school_key,
                file,
                start=start.date() if start is not None else None,
                end=end.date() if end is not None else None,
                progress=progress,
            )
        except InvalidInput as invalid:
            fail_with_problems(file, invalid)
        audit.record(
            "attendance import",
            school=school_key,
            start=summary.start,
            end=summary.end,
            added=summary.added,
            updated=summary.updated,
            removed=summary.removed,
        )
        click.echo(f"Attendance for {school_key}: " + "\n".join(describe_register_import(summary)))

    @attendance.command("show")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--pupil", "pupil_id", required=True, help="The pupil's id from the roster.")
    @click.option(
        "--from",
        "start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="First day (YYYY-MM-DD); default: the start of the current term.",
    )
    @click.option(
        "--to",
        "end",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        help="Last day (YYYY-MM-DD); default: yesterday, or the end of the term.",
    )
    @run_async
    async def attendance_show(
        school_key: str, pupil_id: str, start: datetime | None, end: datetime | None
    ) -> None:
        """A pupil's record, school day by school day: state, code, valid, invalid or unexplained,
        where it comes from (roll call, report, leave, import, correction), minutes and lessons
        missed; then the totals. Unknown days are shown and left out of the absent share.
        Default period: the current term up to yesterday, or the last 4 weeks without terms."""
        lines = await attendance_record(
            load_settings(),
            school_key,
            pupil_id,
            start.date() if start is not None else None,
            end.date() if end is not None else None,
        )
        click.echo("\n".join(lines))

    @attendance.command("corrections")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--pupil", "pupil_id", help="Only this pupil's days (the pupil id).")
    @click.option(
        "--from",
        "start",
        type=click.DateTime(["%Y-%m-%d"]),
        help="First day (default: the oldest kept).",
    )
    @click.option(
        "--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (default: today)."
    )
    @run_async
    async def attendance_corrections(
        school_key: str, pupil_id: str | None, start: datetime | None, end: datetime | None
    ) -> None:
        """Print the audit trail of corrections, oldest first: when, who, pupil, day,
        before → after, why, and whether it was flagged to the principal."""
        lines = await corrections.correction_trail(
            load_settings(),
            school_key,
            pupil_id=pupil_id,
            start=start.date() if start else None,
            end=end.date() if end else None,
        )
        for line in lines:
            click.echo(line)
        if not lines:
            click.echo("No corrections.")
