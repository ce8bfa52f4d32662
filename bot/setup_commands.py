"""`narvaro db`, `narvaro school apply`, `narvaro roster import`, `narvaro policy show`: setting
a school up, from an empty database to its staff, pupils and guardians and the rules they get.
Registered on the main command group by `bot.cli`.

Each command's work is a function here, before `register`, so that tests call what it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot import access_commands, audit, bootstrap
from bot.errors import OperatorError
from bot.files import parse_school_file
from bot.files.roster_csv import check_roster_csv
from bot.settings import Settings
from routine.policy import describe_rule, rules_for
from routine.roster import import_roster
from routine.school_file import apply_school
from routine.setup import ChangeSummary, InvalidInput, Progress, no_progress
from scheduler.gc_pause import cyclic_gc_paused
from storage import schema
from storage.db import optimize


async def upgrade_database(settings: Settings) -> str:
    await schema.upgrade(settings.database_url)
    return schema.head_revision()


async def database_status(settings: Settings) -> tuple[str | None, str]:
    return await schema.current_revision(settings.database_url), schema.head_revision()


# A file longer than this shows its progress, and refreshes the statistics once written.
BIG_FILE_LINES = 10_000
ROSTER_TABLES = ("pupils", "guardians", "guardian_pupils")
SCHOOL_TABLES = ("classes", "staff", "staff_roles", "staff_classes")


async def apply_school_file(
    settings: Settings, path: Path, *, progress: Progress = no_progress
) -> tuple[str, ChangeSummary]:
    """`progress` is told about the writes if the file has more than BIG_FILE_LINES lines."""
    big = _lines(path) > BIG_FILE_LINES
    with cyclic_gc_paused():
        spec = parse_school_file(path)
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            with cyclic_gc_paused():
                summary = await apply_school(uow, spec, progress=progress if big else no_progress)
        if big:
            await optimize(app.db_engine, SCHOOL_TABLES)
        return spec.school.key, summary
    finally:
        await app.close()


async def import_roster_file(
    settings: Settings, school_key: str, path: Path, *, progress: Progress = no_progress
) -> ChangeSummary:
    """`progress` is told about the writes if the file has more than BIG_FILE_LINES lines."""
    big = _lines(path) > BIG_FILE_LINES
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            classes = [c.name for c in await uow.classes.list_for(school_key)]
            with cyclic_gc_paused():
                # Checked in one reading, written in another: the rows are never all held.
                roster, tally = check_roster_csv(path, classes)
                if big:
                    progress("lines read and checked", tally.rows, tally.rows)
                summary = await import_roster(
                    uow, school_key, roster, progress=progress if big else no_progress, tally=tally
                )
        if big:
            await optimize(app.db_engine, ROSTER_TABLES)
        return summary
    finally:
        await app.close()


async def policy_lines(settings: Settings, school_key: str) -> list[str]:
    """Each of the school's rules on one line (`routine.policy.describe_rule`)."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
        if school is None:
            raise OperatorError(f"no school with the key {school_key!r}")
        return [describe_rule(rule) for rule in rules_for(school)]
    finally:
        await app.close()


def _lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


def describe_summary(summary: ChangeSummary, *, noun: str) -> str:
    if not summary.changed:
        return f"nothing changed ({summary.unchanged} {noun}(s) already up to date)."
    parts = [f"{len(summary.created)} created", f"{len(summary.updated)} updated"]
    return ", ".join(parts) + f", {summary.unchanged} unchanged."


def register(
    main: click.Group,
    load_settings: Callable[[], Settings],
    run_async: Any,
    fail_with_problems: Callable[[Path, InvalidInput], None],
) -> None:
    @main.group()
    def db() -> None:
        """Create or upgrade the database schema."""

    @db.command("upgrade")
    @run_async
    async def db_upgrade() -> None:
        """Bring the database schema up to date (creates it if it is empty)."""
        revision = await upgrade_database(load_settings())
        click.echo(f"Database is up to date (revision {revision}).")

    @db.command("status")
    @run_async
    async def db_status() -> None:
        """Show the database's schema revision and the one this version expects."""
        current, head = await database_status(load_settings())
        state = "up to date" if current == head else "OUT OF DATE: run `narvaro db upgrade`"
        click.echo(f"Database revision: {current or 'none (empty database)'}")
        click.echo(f"Expected revision: {head} ({state})")

    @main.group()
    def school() -> None:
        """Set up schools from a school file (see docs/school-file.md)."""

    @school.command("apply")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @run_async
    async def school_apply(file: Path) -> None:
        """Create or update a school from FILE.toml.
        Applying the same file twice changes nothing."""
        try:
            key, summary = await apply_school_file(load_settings(), file, progress=show_progress)
        except InvalidInput as invalid:
            fail_with_problems(file, invalid)
        audit.record("school apply", school=key, **audit.changes(summary))
        click.echo(f"School {key}: {describe_summary(summary, noun='record')}")
        _not_listed(key, summary.not_listed)

    @main.group()
    def roster() -> None:
        """Import pupils and guardians (see docs/roster.md)."""

    @roster.command("import")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @run_async
    async def roster_import(school_key: str, file: Path) -> None:
        """Import FILE.csv: one row per pupil–guardian pair. Re-importing changes nothing."""
        try:
            summary = await import_roster_file(
                load_settings(), school_key, file, progress=show_progress
            )
        except InvalidInput as invalid:
            fail_with_problems(file, invalid)
        audit.record("roster import", school=school_key, **audit.changes(summary))
        click.echo(f"Roster for {school_key}: {describe_summary(summary, noun='record')}")
        if summary.not_listed:
            click.echo(
                f"{len(summary.not_listed)} pupil(s) in the database are not in this file "
                f"and were left unchanged: {', '.join(summary.not_listed)}"
            )
        _not_listed(school_key, summary.not_listed)

    @main.group()
    def policy() -> None:
        """The routine's rules as the school has them (see docs/school-file.md, [policy])."""

    @policy.command("show")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @run_async
    async def policy_show(school_key: str) -> None:
        """Each rule on one line: id, on or off, threshold and measure, window, where its settings
        come from (country default, policy file line N, school file line N), and the seed lines."""
        click.echo("\n".join(await policy_lines(load_settings(), school_key)))


def _not_listed(school_key: str, not_listed: list[str]) -> None:
    """What the file no longer lists is left as it was; here is how to end its access."""
    commands = access_commands.end_access_commands(school_key, not_listed)
    if commands:
        click.echo(
            f"{len(commands)} in the database but not in this file, left unchanged. "
            "To end their access:"
        )
        for command in commands:
            click.echo(f"  {command}")


def show_progress(what: str, done: int, total: int) -> None:
    # On stderr, so that the summary on stdout stays the command's one answer.
    click.echo(f"{what}: {done} of {total}", err=True)
