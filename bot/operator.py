"""What the CLI's commands do, one function per command, each building what it needs.

Kept apart from `cli.py` so that click stays about arguments and output, and so that the
tests can call the same code the commands call.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from importlib.resources import files
from pathlib import Path

from bot import bootstrap, demo
from bot.console import chat_as, link_console_account
from bot.errors import OperatorError
from bot.files import parse_roster_csv, parse_school_file
from bot.settings import Settings
from routine.invites import InviteRefused, issue_invite
from routine.roster import apply_school, import_roster
from routine.setup import ChangeSummary
from storage import schema

DEMO_COUNTRIES = ("se", "no", "dk")


async def upgrade_database(settings: Settings) -> str:
    await schema.upgrade(settings.database_url)
    return schema.head_revision()


async def database_status(settings: Settings) -> tuple[str | None, str]:
    return await schema.current_revision(settings.database_url), schema.head_revision()


async def apply_school_file(settings: Settings, path: Path) -> tuple[str, ChangeSummary]:
    spec = parse_school_file(path)
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            return spec.school.key, await apply_school(uow, spec)
    finally:
        await app.close()


async def import_roster_file(settings: Settings, school_key: str, path: Path) -> ChangeSummary:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            classes = [c.name for c in await uow.classes.list_for(school_key)]
            rows = parse_roster_csv(path, classes)
            return await import_roster(uow, school_key, rows)
    finally:
        await app.close()


async def issue_invite_code(
    settings: Settings, school_key: str, guardian_id: str, ttl: timedelta
) -> tuple[str, datetime]:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            try:
                code, invite = await issue_invite(
                    uow,
                    school_key=school_key,
                    guardian_id=guardian_id,
                    now=app.clock.now(),
                    ttl=ttl,
                )
            except InviteRefused:
                raise OperatorError(
                    f"no guardian with the id {guardian_id!r} at {school_key}"
                ) from None
        return code, invite.expires_at.astimezone()
    finally:
        await app.close()


async def run_console(
    settings: Settings, role: str, person_id: str, school_key: str | None
) -> None:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            account = await link_console_account(uow, role, person_id, school_key)
            await uow.commit()
        await chat_as(app.dialogs, account)
    finally:
        await app.close()


def describe_summary(summary: ChangeSummary, *, noun: str) -> str:
    if not summary.changed:
        return f"nothing changed ({summary.unchanged} {noun}(s) already up to date)."
    parts = [f"{len(summary.created)} created", f"{len(summary.updated)} updated"]
    return ", ".join(parts) + f", {summary.unchanged} unchanged."


def demo_file(name: str) -> Path:
    return Path(str(files("bot") / "demo_data" / name))


async def run_demo(
    database: Path,
    *,
    fresh: bool,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    if fresh and database.exists():
        database.unlink()
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    await schema.upgrade(settings.database_url)
    for country in DEMO_COUNTRIES:
        spec = parse_school_file(demo_file(f"{country}.toml"))
        await apply_school_file(settings, demo_file(f"{country}.toml"))
        await import_roster_file(settings, spec.school.key, demo_file(f"{country}.csv"))
    app = await bootstrap.build(settings)
    try:
        await demo.play(app, database, read=read, write=write)
    finally:
        await app.close()
