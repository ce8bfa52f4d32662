"""`narvaro run`: the long-running process. The school clock, the outbox dispatcher and the chat
channels that are configured (Telegram, Slack), in one process, until SIGTERM or SIGINT.

Telegram receives updates by long polling, or by webhook on the HTTP server (which also answers
`/healthz` and serves the Prometheus metrics at `/metrics`). Slack posts its events to the same
HTTP server, so it runs whenever Slack is on; in Socket Mode Slack's events come over a
WebSocket the process opens instead, and the HTTP server is there for `/healthz` and
`/metrics`.
Shutdown goes from the outside in: stop receiving, let the dispatcher finish its
send, finish the updates already received, then the clock, then the database.

Scaling: any number of `narvaro run --no-scheduler` workers can share one PostgreSQL database;
the outbox hands each message to one of them (SELECT ... FOR UPDATE SKIP LOCKED). Of several
`narvaro run` with the scheduler, exactly one runs the school clock, under a PostgreSQL advisory
lock, and another takes over within a minute if it dies (`bot.leadership`); the outbox's
idempotency keys would still keep every message single. Telegram allows one
long-polling process per bot: several processes need webhook mode. Slack spreads its events
over every process (over HTTP through the load balancer, in Socket Mode over each process's
connection); a retried event may reach another process, and the database's record of event ids
has it handled once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
from collections.abc import Mapping
from datetime import timedelta

from bot import bootstrap
from bot.leadership import ClockLeadership
from bot.settings import Settings
from dialogs.reachability import chat_unreachable
from routine.outbox import RetryPolicy
from routine.ports import Sender
from scheduler.dispatcher import Dispatcher

log = logging.getLogger(__name__)


async def _finish(task: asyncio.Task) -> None:
    """The clock's leadership ends with `stop`; on a failed start, it is cancelled."""
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


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
    telegram = bootstrap.telegram_channel(app)
    slack = bootstrap.slack_channel(app)
    needs_http = (telegram is not None and telegram.uses_webhook) or slack is not None
    http = bootstrap.http_server(settings, app) if needs_http else None
    senders = dict(senders or {})
    if telegram is not None:
        senders.setdefault("telegram", telegram.sender)
        if http is not None and telegram.uses_webhook:
            telegram.mount(http)
    if slack is not None:
        senders.setdefault("slack", slack.sender)
        assert http is not None
        if not slack.uses_socket_mode:
            slack.mount(http)
    dispatcher = Dispatcher(
        app.uow_factory,
        senders,
        app.clock,
        worker=worker_name(),
        retry=RetryPolicy(give_up_after=timedelta(hours=settings.outbox_give_up_hours)),
        on_unreachable=chat_unreachable,
        metrics=app.metrics,
    )
    try:
        # Everything started is stopped in reverse order, even if a later start fails.
        async with contextlib.AsyncExitStack() as running:
            running.push_async_callback(app.close)
            if clock is not None:
                leadership = ClockLeadership(app.db_engine, start=clock.start, stop=clock.stop)
                running.push_async_callback(leadership.let_go)
                await leadership.begin()
                leading = asyncio.create_task(leadership.keep(stop))
                running.push_async_callback(_finish, leading)
            if telegram is not None:
                running.push_async_callback(telegram.stop)
                await telegram.start()
            if slack is not None:
                running.push_async_callback(slack.stop)
                await slack.start()
            if http is not None:
                running.push_async_callback(http.stop)
                await http.start()
            if telegram is not None:
                running.push_async_callback(telegram.stop_receiving)
                await telegram.receive()
            if not senders:
                log.warning("no chat channel is configured: messages wait in the outbox")
            log.info("narvaro is running (%s)", worker_name())
            await dispatcher.run(stop)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        log.info("narvaro stopped")
