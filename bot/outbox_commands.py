"""`narvaro outbox status` and `narvaro outbox requeue`: what has been sent, what waits and what
failed, and failed messages put back in the queue. Registered on the main command group by
`bot.cli`.

Each command's work is a function here, before `register`, so that tests call what it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.outbox import DeliveryStatus, OutboxMessage


async def outbox_status(
    settings: Settings, school_key: str | None
) -> tuple[dict[str, int], list[OutboxMessage]]:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if school_key is not None and await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            counts = {
                status.value: len(await uow.outbox.list(status=status, school_key=school_key))
                for status in DeliveryStatus
            }
            failed = await uow.outbox.list(status=DeliveryStatus.FAILED, school_key=school_key)
        # Superseded versions never needed sending: nothing to act on, so no line unless some
        # are there, and the usual three lines stay as they were.
        if not counts[DeliveryStatus.SUPERSEDED.value]:
            del counts[DeliveryStatus.SUPERSEDED.value]
        return counts, failed
    finally:
        await app.close()


async def requeue_failed(
    settings: Settings,
    *,
    ids: tuple[int, ...] = (),
    kind: str | None = None,
    since: datetime | None = None,
    school_key: str | None = None,
) -> int:
    """Failed outbox messages back to pending (by id, kind, creation time, school); how many."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if school_key is not None and await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            count = await uow.outbox.requeue_failed(
                now=app.clock.now(), ids=ids, kind=kind, since=since, school_key=school_key
            )
            await uow.commit()
        # The audit trail: who asked for what, and what it did; ids and kinds only.
        audit.record(
            "outbox requeue",
            school=school_key or "any",
            ids=",".join(map(str, ids)) or "any",
            kind=kind or "any",
            since=since.isoformat() if since else "any",
            requeued=count,
        )
        return count
    finally:
        await app.close()


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
    async def show_status(school_key: str | None) -> None:
        """Count the outbox's messages by state, and list the ones that failed, with why.

        "superseded" (shown only if there are any) counts versions of a message that is edited in
        place, such as a roll call's summary, that a newer version replaced before they were sent.
        """
        counts, failed = await outbox_status(load_settings(), school_key)
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
        count = await requeue_failed(
            load_settings(), ids=ids, kind=kind, since=since, school_key=school_key
        )
        click.echo(f"requeued {count} failed message(s).")
