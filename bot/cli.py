"""The `narvaro` command: operator tasks, the console and the demo.

Operator-facing text is English; everything a guardian or staff member reads in a chat is
translated. Every command checks its input and says what is wrong, never with a traceback.
"""

from __future__ import annotations

import asyncio
import csv
import functools
import logging
import os
import sys
from collections.abc import Callable, Coroutine, Iterable
from datetime import UTC, datetime, timedelta
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
    operator,
    privacy_commands,
    runner,
)
from bot.errors import OperatorError
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


class BriefFormatter(logging.Formatter):
    """One line per problem. The console shares the terminal with a person chatting, who must
    never see a stack trace; an operator who wants them sets NARVARO_LOG_LEVEL=DEBUG."""

    def formatException(self, ei) -> str:
        return ""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        return text.rstrip()


# Our own loggers, which say nothing personal at any level (ids, kinds and counts only); they
# log at NARVARO_LOG_LEVEL.
OWN_LOGGERS = ("bot", "dialogs", "routine", "scheduler", "storage")
# Everyone else's loggers stay at WARNING whatever the level: at INFO and DEBUG the HTTP
# clients show URLs with the bot token, PTB and bolt show updates and request bodies (what
# people wrote), and aiosqlite every statement with its parameters.
THIRD_PARTY_LEVEL = logging.WARNING


class WithoutSecrets(logging.Filter):
    """The last line of defence: a secret that still reaches a record (in an error's text, say)
    is replaced before the record is written."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so that a secret containing another is replaced whole.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, "[secret]")
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            if any(secret in text for secret in self._secrets):
                # The traceback would carry the secret in its last line: only the type is kept.
                record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__})"
                record.exc_info = None
                record.exc_text = None
        return True


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    if level != "DEBUG":
        handler.setFormatter(BriefFormatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(WithoutSecrets(secrets))
    logging.basicConfig(
        level=max(logging.getLevelName(level), THIRD_PARTY_LEVEL), handlers=[handler]
    )
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(level)


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
    """Create or update a school from FILE.toml. Applying the same file twice changes nothing."""
    try:
        key, summary = await operator.apply_school_file(
            load_settings(), file, progress=show_progress
        )
    except InvalidInput as invalid:
        fail_with_problems(file, invalid)
    audit.record("school apply", school=key, **audit.changes(summary))
    click.echo(f"School {key}: {operator.describe_summary(summary, noun='record')}")
    _not_listed(key, summary.not_listed)


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
            f"{len(summary.not_listed)} pupil(s) in the database are not in this file and were "
            f"left unchanged: {', '.join(summary.not_listed)}"
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


@main.command()
@click.option("--school", "school_key", required=True, help="The school's key.")
@click.option("--guardian-id", help="The guardian's id from the roster.")
@click.option(
    "--all", "everyone", is_flag=True, help="Every guardian whose chat is not linked yet: CSV."
)
@click.option("--class", "class_name", help="With --all: only the guardians of this class.")
@run_async
async def invite(
    school_key: str, guardian_id: str | None, everyone: bool, class_name: str | None
) -> None:
    """Print a one-time code a guardian uses to link their chat account.

    With --all, print one CSV line per guardian not linked yet (guardian_id, guardian_name,
    pupils, code, link, valid_until), ready for a letter or a mail merge. Each guardian's
    earlier unused code stops working."""
    settings = load_settings()
    ttl = timedelta(hours=settings.invite_ttl_hours)
    username = settings.telegram_bot_username.lstrip("@")
    if everyone == (guardian_id is not None):
        raise click.UsageError("give either --guardian-id or --all")
    if class_name is not None and not everyone:
        raise click.UsageError("--class goes with --all")
    if everyone:
        issued = await operator.issue_invites_to_unlinked(settings, school_key, class_name, ttl)
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["guardian_id", "guardian_name", "pupils", "code", "link", "valid_until"])
        for item in issued:
            link = f"https://t.me/{username}?start={item.code}" if username else ""
            valid = f"{item.expires_at:%Y-%m-%d %H:%M %Z}"
            out.writerow(
                [item.guardian_id, item.guardian_name, item.pupils, item.code, link, valid]
            )
        click.echo(f"{len(issued)} invite(s) issued.", err=True)
        return
    assert guardian_id is not None
    code, expires_at = await operator.issue_invite_code(settings, school_key, guardian_id, ttl)
    click.echo(f"Invite code for {guardian_id} at {school_key}: {code}")
    click.echo(f"Valid until {expires_at:%Y-%m-%d %H:%M %Z}; it works once.")
    if username:
        click.echo(f"Telegram link: https://t.me/{username}?start={code}")
    else:
        click.echo("Set NARVARO_TELEGRAM_BOT_USERNAME to also print a Telegram link.")


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


@main.group()
def outbox() -> None:
    """What has been sent, what waits, and what failed."""


@outbox.command("status")
@click.option("--school", "school_key", help="Only this school's messages.")
@run_async
async def outbox_status(school_key: str | None) -> None:
    """Count the outbox's messages by state, and list the ones that failed, with why.

    "superseded" (shown only if there are any) counts versions of a message that is edited in
    place, such as a roll call's summary, that a newer version replaced before they were sent.
    """
    counts, failed = await operator.outbox_status(load_settings(), school_key)
    # The failed messages' recipients are chat ids: a reading of who is reached where.
    audit.record("outbox status", school=school_key, failed=len(failed))
    for status, count in counts.items():
        click.echo(f"{status}: {count}")
    for message in failed:
        click.echo(
            f"failed #{message.id} {message.kind} to {message.platform}:{message.recipient} "
            f"after {message.attempts} attempt(s): {message.last_error}"
        )


def _aware_moment(_ctx: click.Context, _param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise click.BadParameter(
            f"{value!r} is not a moment with a UTC offset (e.g. 2026-11-23T08:00:00+01:00)"
        )
    return moment


@outbox.command("requeue")
@click.option("--id", "ids", type=int, multiple=True, help="This message (repeatable).")
@click.option("--kind", help="Only messages of this kind (as `outbox status` shows it).")
@click.option(
    "--since",
    callback=_aware_moment,
    help="Only messages created at or after this moment (ISO 8601 with a UTC offset).",
)
@click.option("--school", "school_key", help="Only this school's messages.")
@run_async
async def outbox_requeue(
    ids: tuple[int, ...], kind: str | None, since: datetime | None, school_key: str | None
) -> None:
    """Put failed messages back in the queue, to be tried afresh: after an outage outlasted
    NARVARO_OUTBOX_GIVE_UP_HOURS, say. Without options, every failed message. A version of a
    message edited in place that a newer version replaced stays failed."""
    count = await operator.requeue_failed(
        load_settings(), ids=ids, kind=kind, since=since, school_key=school_key
    )
    click.echo(f"requeued {count} failed message(s).")


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


access_commands.register(main, load_settings, run_async)
attendance_commands.register(main, load_settings, run_async, fail_with_problems)
privacy_commands.register(main, load_settings, run_async)
case_commands.register(main, load_settings, run_async)
