"""The `narvaro` command: operator tasks, the console and the demo.

Operator-facing text is English; everything a guardian or staff member reads in a chat is
translated. Every command checks its input and says what is wrong, never with a traceback.

Here: the group and what every command shares (settings, the async runner, clear failures), and
the commands that run the assistant (`jobs`, `run`, `console`, `demo`). Each other subject's
commands are in a `bot/*_commands.py` module, registered on the group at the end; logging is
configured by `bot.log_config`.
"""

from __future__ import annotations

import asyncio
import functools
import os
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot import (
    access_commands,
    attendance_commands,
    audit,
    case_commands,
    invite_commands,
    operator,
    outbox_commands,
    privacy_commands,
    runner,
    setup_commands,
)
from bot.errors import OperatorError
from bot.log_config import configure_logging
from bot.settings import Settings
from routine.model import School
from routine.setup import InvalidInput
from scheduler.jobs import JOBS, Job, JobResult
from storage.schema import SchemaOutOfDate

ROLES = ("guardian", "mentor", "coordinator", "principal", "pupil_health")


def run_async(command: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async command, turning expected failures into clear messages and exit codes."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            asyncio.run(command(*args, **kwargs))
        except SchemaOutOfDate as error:
            raise click.ClickException(str(error)) from None
        except OperatorError as error:
            raise click.ClickException(str(error)) from None
        except (OSError, SQLAlchemyError) as error:
            # Unreachable server, unknown database, wrong password, unwritable file.
            url = make_url(load_settings().database_url).render_as_string(hide_password=True)
            message = str(error).splitlines()[0]
            raise click.ClickException(f"cannot use the database at {url}: {message}") from None

    return wrapper


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise invalid_configuration(error) from None


def invalid_configuration(error: ValidationError) -> click.ClickException:
    problems = "; ".join(
        f"NARVARO_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
    )
    return click.ClickException(f"invalid configuration: {problems}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="narvaro")
@click.option(
    "--operator",
    "operator_name",
    envvar=audit.ENVIRONMENT,
    metavar="NAME",
    help="Who runs the command, for the audit log (default: NARVARO_OPERATOR, else your login).",
)
@click.pass_context
def main(context: click.Context, operator_name: str | None) -> None:
    """narvaro: the attendance assistant for schools and families.

    Configuration comes from NARVARO_* environment variables (see the README);
    the database is NARVARO_DATABASE_URL, by default ./narvaro.db (SQLite).
    """
    context.meta[audit.META] = operator_name
    try:
        settings = load_settings()
    except click.ClickException:
        # Help must work whatever the environment holds; a command that needs the settings
        # loads them itself and says what is wrong.
        configure_logging("WARNING")
        return
    configure_logging(settings.log_level.upper(), secrets=settings.secrets())
    given = os.environ.get("NARVARO_DATABASE_URL", "")
    if given and given != settings.database_url:
        click.echo(
            f"note: NARVARO_DATABASE_URL names a synchronous driver; using "
            f"{settings.database_url.split('://')[0]}:// instead",
            err=True,
        )


@main.group()
def jobs() -> None:
    """The daily jobs the running bot schedules for each school, in its own timezone."""


@jobs.command("list")
@click.option("--school", "school_key", help="Only this school (by key).")
@run_async
async def jobs_list(school_key: str | None) -> None:
    """Each school's jobs and when they next run, in the school's local time and in UTC."""
    for schedule in await operator.list_jobs(load_settings(), school_key):
        school = schedule.school
        click.echo(f"{school.key} ({school.timezone})")
        for planned in schedule.jobs:
            job = planned.job
            days = "school days" if job.school_days_only else "every day"
            click.echo(
                f"  {job.name:<20} {describe_when(job, school)} {days:<11}  "
                f"{describe_next(planned.next_run)}"
            )


def describe_when(job: Job, school: School) -> str:
    start = f"{job.local_time(school):%H:%M}"
    if job.every is None:
        return start
    end = f"{job.until(school):%H:%M}" if job.until is not None else "24:00"
    return f"every {int(job.every.total_seconds() // 60)} min {start}-{end}"


def describe_next(moment: datetime | None) -> str:
    if moment is None:
        return "next: none (no school day within a year)"
    utc = moment.astimezone(UTC)
    return f"next: {moment:%Y-%m-%d %H:%M %Z} = {utc:%Y-%m-%d %H:%M} UTC"


@jobs.command(
    "run",
    help=(
        "Run job NAME now, as of a school day, for one school or every school. Running a job "
        "again for the same day queues no message twice.\n\n"
        # \b keeps click from rewrapping the list (and cutting a name at its hyphen).
        "\b\nNAME is one of:\n" + "\n".join(f"  {name}" for name in JOBS)
    ),
)
@click.argument("name")
@click.option("--school", "school_key", help="Only this school (by key); default: every school.")
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The school day to run it as of (YYYY-MM-DD); default: today at each school.",
)
@click.option("--force", is_flag=True, help="Run it even on a day that is not a school day.")
@run_async
async def jobs_run(name: str, school_key: str | None, day: datetime | None, force: bool) -> None:
    def report(result: JobResult) -> None:
        click.echo(f"{name} at {result.school_key} on {result.day:%Y-%m-%d}: {result.summary}")

    results = await operator.run_jobs(
        load_settings(),
        name,
        school_key,
        day.date() if day is not None else None,
        force=force,
        report=report,
    )
    audit.record(
        "jobs run",
        job=name,
        school=school_key,
        day=None if day is None else f"{day:%Y-%m-%d}",
        force=force or None,
        schools=len(results),
    )


@main.command()
@click.option(
    "--scheduler/--no-scheduler",
    default=True,
    show_default=True,
    help="Run the school clock here. Exactly one process per database should.",
)
@run_async
async def run(scheduler: bool) -> None:
    """Run the assistant until SIGTERM: the school clock, the outbox dispatcher and the chat
    channels that are configured. Extra workers on one PostgreSQL: --no-scheduler."""
    await runner.run(load_settings(), scheduler=scheduler)


@main.command()
@click.option("--as", "role", type=click.Choice(ROLES), required=True, help="Who you are.")
@click.option("--id", "person_id", required=True, help="Guardian id or staff id.")
@click.option("--school", "school_key", help="The school's key (needed if the id is ambiguous).")
@run_async
async def console(role: str, person_id: str, school_key: str | None) -> None:
    """Chat with the assistant in this terminal as a guardian or a staff member."""
    # Chatting as someone reads what they may read: logged before it starts.
    audit.record("console", role=role, id=person_id, school=school_key)
    await operator.run_console(load_settings(), role, person_id, school_key)


@main.command()
@click.option(
    "--database",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("narvaro-demo.db"),
    show_default=True,
    help="SQLite file for the demo data.",
)
@click.option("--fresh", is_flag=True, help="Start again from new demo data.")
@run_async
async def demo(database: Path, fresh: bool) -> None:
    """Try it out: one school per country (SE, NO, DK) and a chat in this terminal."""
    try:
        await operator.run_demo(database, fresh=fresh)
    except ValidationError as error:
        # The demo builds its own settings (its SQLite file), from the rest of the environment:
        # NARVARO_FIXED_TIME=tomorrow is said as for any other command, not as a traceback.
        raise invalid_configuration(error) from None


def fail_with_problems(file: Path, invalid: InvalidInput) -> None:
    for problem in invalid.problems:
        location = f"{file}:{problem.line}" if problem.line else str(file)
        click.echo(f"{location}: {problem.message}", err=True)
    count = len(invalid.problems)
    raise click.ClickException(f"{count} problem(s) found in {file}; nothing was changed.")


setup_commands.register(main, load_settings, run_async, fail_with_problems)
invite_commands.register(main, load_settings, run_async)
outbox_commands.register(main, load_settings, run_async)
access_commands.register(main, load_settings, run_async)
attendance_commands.register(main, load_settings, run_async, fail_with_problems)
privacy_commands.register(main, load_settings, run_async)
case_commands.register(main, load_settings, run_async)
