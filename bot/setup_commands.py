"""`narvaro db`, `narvaro school apply`, `narvaro roster import`, `narvaro policy show`: setting
a school up, from an empty database to its staff, pupils and guardians and the rules they get.
Registered on the main command group by `bot.cli`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot import access_commands, audit, operator
from bot.settings import Settings
from routine.setup import InvalidInput


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
        revision = await operator.upgrade_database(load_settings())
        click.echo(f"Database is up to date (revision {revision}).")

    @db.command("status")
    @run_async
    async def db_status() -> None:
        """Show the database's schema revision and the one this version expects."""
        current, head = await operator.database_status(load_settings())
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
            key, summary = await operator.apply_school_file(
                load_settings(), file, progress=show_progress
            )
        except InvalidInput as invalid:
            fail_with_problems(file, invalid)
        audit.record("school apply", school=key, **audit.changes(summary))
        click.echo(f"School {key}: {operator.describe_summary(summary, noun='record')}")
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
            summary = await operator.import_roster_file(
                load_settings(), school_key, file, progress=show_progress
            )
        except InvalidInput as invalid:
            fail_with_problems(file, invalid)
        audit.record("roster import", school=school_key, **audit.changes(summary))
        click.echo(f"Roster for {school_key}: {operator.describe_summary(summary, noun='record')}")
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
        click.echo("\n".join(await operator.policy_lines(load_settings(), school_key)))


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
