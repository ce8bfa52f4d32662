"""`narvaro outbox status` and `narvaro outbox requeue`: what has been sent, what waits and what
failed, and failed messages put back in the queue. Registered on the main command group by
`bot.cli`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from bot import audit, operator
from bot.settings import Settings


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


def register(main: click.Group, load_settings: Callable[[], Settings], run_async: Any) -> None:
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
