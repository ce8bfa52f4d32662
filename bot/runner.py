"""`narvaro run`: the long-running process. The school clock, the outbox dispatcher and (with
the Telegram and Slack issues) the chat channels, in one process, until SIGTERM or SIGINT.

Scaling: any number of `narvaro run --no-scheduler` workers can share one PostgreSQL database;
the outbox hands each message to one of them (SELECT ... FOR UPDATE SKIP LOCKED). Exactly one
process runs the scheduler, because APScheduler 3 does not coordinate schedulers; should two
run, the outbox's idempotency keys still keep every message single.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from collections.abc import Mapping

from bot import bootstrap
from bot.settings import Settings
from routine.ports import Sender
from scheduler.dispatcher import Dispatcher

log = logging.getLogger(__name__)


def worker_name() -> str:
    """Who holds a lease in the outbox: enough to find the process in an operator's logs."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def run(
    settings: Settings,
    *,
    scheduler: bool = True,
    senders: Mapping[str, Sender] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    app = await bootstrap.build(settings)
    clock = bootstrap.school_clock(app) if scheduler else None
    senders = dict(senders or {})
    dispatcher = Dispatcher(app.uow_factory, senders, app.clock, worker=worker_name())
    try:
        if clock is not None:
            changes = await clock.start()
            log.info("school clock started: %s", changes)
        if not senders:
            log.warning("no chat channel is configured: messages wait in the outbox")
        log.info("narvaro is running (%s)", worker_name())
        await dispatcher.run(stop)
    finally:
        if clock is not None:
            await clock.stop()
        await app.close()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        log.info("narvaro stopped")
