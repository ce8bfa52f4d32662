"""`narvaro invite`: one-time codes with which guardians link their chat accounts, for one
guardian or, as CSV for a letter or a mail merge, for every guardian not linked yet.
Registered on the main command group by `bot.cli`.

Each command's work is a function here, before `register`, so that tests call what it calls.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import click

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.invites import InviteRefused, issue_invite, issue_invites


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
        audit.record("invite", school=school_key, guardian_id=guardian_id)
        return code, invite.expires_at.astimezone()
    finally:
        await app.close()


@dataclass(frozen=True)
class IssuedInvite:
    guardian_id: str
    guardian_name: str
    pupils: str
    code: str
    expires_at: datetime


async def issue_invites_to_unlinked(
    settings: Settings, school_key: str, class_name: str | None, ttl: timedelta
) -> list[IssuedInvite]:
    """A new code for every guardian of the school (of the class, if given) whose chat is not
    linked yet; their earlier unused codes stop working."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            pupils = {p.pupil_id: p for p in await uow.pupils.list_for_school(school_key)}
            if class_name is not None:
                classes = {c.name for c in await uow.classes.list_for(school_key)}
                if class_name not in classes:
                    raise OperatorError(f"no class {class_name!r} at {school_key}")
                pupils = {i: p for i, p in pupils.items() if p.class_name == class_name}
            guardians = await uow.school_day.guardians_of(school_key, list(pupils))
            linked = {
                a.person_id
                for a in await uow.school_day.chat_accounts(
                    school_key, "guardian", [g.guardian_id for g in guardians]
                )
                if a.platform == "telegram"
            }
            waiting = [g for g in guardians if g.guardian_id not in linked]
            issued = await issue_invites(
                uow,
                school_key=school_key,
                guardian_ids=[g.guardian_id for g in waiting],
                now=app.clock.now(),
                ttl=ttl,
            )
        audit.record("invites", school=school_key, **{"class": class_name}, issued=len(issued))
        by_id = {g.guardian_id: g for g in waiting}
        return [
            IssuedInvite(
                guardian_id,
                by_id[guardian_id].name,
                "; ".join(
                    f"{pupils[p].name} ({pupils[p].class_name})"
                    for p in by_id[guardian_id].pupil_ids
                    if p in pupils
                ),
                code,
                invite.expires_at.astimezone(),
            )
            for guardian_id, code, invite in issued
        ]
    finally:
        await app.close()


def register(main: click.Group, load_settings: Callable[[], Settings], run_async: Any) -> None:
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
            issued = await issue_invites_to_unlinked(settings, school_key, class_name, ttl)
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
        code, expires_at = await issue_invite_code(settings, school_key, guardian_id, ttl)
        click.echo(f"Invite code for {guardian_id} at {school_key}: {code}")
        click.echo(f"Valid until {expires_at:%Y-%m-%d %H:%M %Z}; it works once.")
        if username:
            click.echo(f"Telegram link: https://t.me/{username}?start={code}")
        else:
            click.echo("Set NARVARO_TELEGRAM_BOT_USERNAME to also print a Telegram link.")
