"""`narvaro attendance`: import a register kept elsewhere, show a pupil's record, list the
corrections' audit trail. Registered on the main command group by `bot.cli`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from bot import audit, corrections, operator
from bot.settings import Settings
from routine.setup import InvalidInput

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
            summary = await operator.import_register_file(
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
        click.echo(
            f"Attendance for {school_key}: "
            + "\n".join(operator.describe_register_import(summary))
        )

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
        lines = await operator.attendance_record(
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
