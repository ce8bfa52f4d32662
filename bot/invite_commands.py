"""`narvaro invite`: one-time codes with which guardians link their chat accounts, for one
guardian or, as CSV for a letter or a mail merge, for every guardian not linked yet.
Registered on the main command group by `bot.cli`.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import click

from bot import operator
from bot.settings import Settings


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
            issued = await operator.issue_invites_to_unlinked(
                settings, school_key, class_name, ttl
            )
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
