"""The composition root: the one place where settings become a running application.

Nothing connects at import time; `build()` does, and `App.close()` lets go.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from dialogs.engine import Engine
from dialogs.flows import all_flows
from routine.ports import Clock, UnitOfWorkFactory
from scheduler.clock import SchoolClock, make_job_store
from scheduler.jobs import JobContext
from storage.db import make_engine, make_session_factory
from storage.schema import ensure_current
from storage.uow import SqlAlchemyUnitOfWorkFactory

if TYPE_CHECKING:
    from bot.http import HttpServer
    from bot.slack.app import SlackChannel
    from bot.telegram.app import TelegramChannel


class FixedClock:
    """A clock that stands still: NARVARO_FIXED_TIME, for tests and rehearsals."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


@dataclass
class App:
    settings: Settings
    db_engine: AsyncEngine
    uow_factory: UnitOfWorkFactory
    clock: Clock
    dialogs: Engine
    job_context: JobContext

    async def close(self) -> None:
        await self.db_engine.dispose()


async def build(settings: Settings, *, clock: Clock | None = None) -> App:
    """Refuses to start on an out-of-date schema: `storage.schema.SchemaOutOfDate` says why."""
    await ensure_current(settings.database_url)
    db_engine = make_engine(settings.database_url)
    uow_factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(db_engine))
    clock = clock or (FixedClock(settings.fixed_time) if settings.fixed_time else SystemClock())
    dialogs = Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock)
    job_context = JobContext(uow_factory=uow_factory, clock=clock)
    return App(settings, db_engine, uow_factory, clock, dialogs, job_context)


def school_clock(app: App) -> SchoolClock:
    """The scheduler of a running app, with its job store in the app's database. Nothing
    connects until `await clock.start()` (inside the running event loop, after `build`);
    `await clock.stop()` before `app.close()`."""
    return SchoolClock(
        app.job_context,
        job_store=make_job_store(app.settings.database_url),
        misfire_grace_seconds=app.settings.misfire_grace_seconds,
    )


def telegram_channel(app: App) -> TelegramChannel | None:
    """The Telegram channel, if a token is configured. Nothing connects until
    `await channel.start()`."""
    settings = app.settings
    if not settings.telegram_enabled:
        return None
    # Imported here, so that the other commands start without loading the Telegram library.
    from bot.telegram.app import TelegramChannel, build_application

    application = build_application(
        settings.telegram_token.get_secret_value(),
        settings.telegram_api_url,
        mode=settings.telegram_mode,
    )
    return TelegramChannel(
        application,
        app.dialogs,
        mode=settings.telegram_mode,
        api_url=settings.telegram_api_url,
        webhook_url=settings.telegram_webhook_url,
        webhook_secret=settings.telegram_webhook_secret.get_secret_value(),
    )


def slack_channel(app: App) -> SlackChannel | None:
    """The Slack channel, if a bot token is configured. Nothing connects until
    `await channel.start()`; Slack's requests arrive once it is mounted on the HTTP server, or
    in Socket Mode once it has started."""
    settings = app.settings
    if not settings.slack_enabled:
        return None
    # Imported here, so that the other commands start without loading the Slack libraries.
    from bot.slack.app import SlackChannel, build_app
    from bot.slack.dedupe import OncePerEvent

    bolt = build_app(
        settings.slack_bot_token.get_secret_value(),
        settings.slack_signing_secret.get_secret_value(),
        settings.slack_api_url,
        socket_mode=settings.slack_socket_mode,
    )
    return SlackChannel(
        bolt,
        app.dialogs,
        api_url=settings.slack_api_url,
        app_token=settings.slack_app_token.get_secret_value(),
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        # In the database, so that a retry reaching another process is not handled again.
        once=OncePerEvent(app.uow_factory, app.clock),
    )


def http_server(settings: Settings) -> HttpServer:
    from bot.http import HttpServer

    return HttpServer(settings.http_host, settings.http_port)
