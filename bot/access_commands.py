"""`narvaro staff remove`, `narvaro guardian unlink`, `narvaro pupil left`: taking access away.

Each is explicit and audited: it says what it did, and the `narvaro.audit` log gets one line
with who ran it and the ids (never names or chat handles). Access is refused from the next
event on. The school file and the roster never delete anyone, so take the person out of the
file as well, or the next `school apply` / `roster import` brings them back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import click

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.revocation import (
    NotFound,
    Revoked,
    end_staff_access,
    pupil_left,
    unlink_guardian,
)


async def revoke(
    settings: Settings, school_key: str, action: Callable[..., Awaitable[Revoked]], **ids: Any
) -> Revoked:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            try:
                revoked = await action(uow, school_key=school_key, **_with_now(app, action, ids))
            except NotFound as missing:
                raise OperatorError(str(missing)) from None
            await uow.commit()
    finally:
        await app.close()
    audit.record(revoked.what, school=school_key, **ids, chats=len(revoked.accounts))
    return revoked


def _with_now(app: bootstrap.App, action: Callable[..., Any], ids: dict[str, Any]) -> dict:
    return {**ids, "now": app.clock.now()} if action is unlink_guardian else ids


def _say(revoked: Revoked, who: str, then: str) -> None:
    click.echo(f"{who}: {revoked.what}.")
    if revoked.accounts:
        click.echo(f"Unlinked {len(revoked.accounts)} chat account(s).")
    click.echo(then)


def register(main: click.Group, load_settings: Callable[[], Settings], run_async: Any) -> None:
    @main.group()
    def staff() -> None:
        """Staff: end the access of someone who left."""

    @staff.command("remove")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--staff-id", required=True, help="The staff member's id from the school file.")
    @run_async
    async def staff_remove(school_key: str, staff_id: str) -> None:
        """End a staff member's access: they and their Slack link are removed; what they
        recorded is kept, by their id."""
        revoked = await revoke(load_settings(), school_key, end_staff_access, staff_id=staff_id)
        _say(revoked, f"Staff {staff_id}", "Remove them from the school file too.")

    @main.group()
    def guardian() -> None:
        """Guardians: unlink their chats, or end their link to a pupil."""

    @guardian.command("unlink")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--guardian-id", required=True, help="The guardian's id from the roster.")
    @click.option("--pupil-id", help="End only the link to this pupil (e.g. after custody ends).")
    @run_async
    async def guardian_unlink(school_key: str, guardian_id: str, pupil_id: str | None) -> None:
        """Without --pupil-id: unlink every chat of the guardian (unused invite codes stop
        working). With it: the guardian no longer sees, reports for or hears about that pupil."""
        revoked = await revoke(
            load_settings(),
            school_key,
            unlink_guardian,
            guardian_id=guardian_id,
            pupil_id=pupil_id,
        )
        _say(revoked, f"Guardian {guardian_id}", "Change the roster file too.")

    @main.group()
    def pupil() -> None:
        """Pupils: mark one as having left the school."""

    @pupil.command("left")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--pupil-id", required=True, help="The pupil's id from the roster.")
    @run_async
    async def pupil_left_command(school_key: str, pupil_id: str) -> None:
        """The pupil is on no roll call, list or prompt from now on; their record is kept
        until the retention period ends."""
        revoked = await revoke(load_settings(), school_key, pupil_left, pupil_id=pupil_id)
        _say(revoked, f"Pupil {pupil_id}", "Remove them from the roster file too.")


def end_access_commands(school_key: str, not_listed: list[str]) -> list[str]:
    """For what a file no longer lists: the command that ends each one's access."""
    commands = {
        "staff": "narvaro staff remove --school {school} --staff-id {id}",
        "pupil": "narvaro pupil left --school {school} --pupil-id {id}",
        "guardian": "narvaro guardian unlink --school {school} --guardian-id {id}",
    }
    lines = []
    for entry in not_listed:
        kind, _space, rest = entry.partition(" ")
        if kind in commands:
            lines.append(commands[kind].format(school=school_key, id=rest.split(" ")[0]))
    return lines
