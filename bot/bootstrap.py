"""The composition root: the one place where settings become a running application.

Nothing connects at import time; `build()` does, and `App.close()` lets go.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from dialogs.engine import Engine
from dialogs.flows import all_flows
from routine.ports import Clock, PlatformLocales, UnitOfWorkFactory
from scheduler.jobs import JobContext
from scheduler.metrics import Metrics
from scheduler.schedule import SchoolClock, make_job_store
from storage.db import make_engine, make_session_factory, optimize
from storage.schema import ensure_current
from storage.uow import SqlAlchemyUnitOfWorkFactory

if TYPE_CHECKING:
    from bot.http import HttpServer
    from bot.slack.app import SlackChannel
    from bot.telegram.app import TelegramChannel


log = logging.getLogger(__name__)

METRICS_PATH = "/metrics"


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
    # Its own registry: two apps (or tests) in one process never count into each other.
    metrics: Metrics

    async def close(self) -> None:
        try:
            await optimize(self.db_engine)
        except (SQLAlchemyError, OSError):
            # Fresher statistics are a nicety; closing must not fail for want of them.
            log.warning("could not refresh the database's statistics on closing", exc_info=True)
        finally:
            await self.db_engine.dispose()


async def build(settings: Settings, *, clock: Clock | None = None) -> App:
    """Refuses to start on an out-of-date schema: `storage.schema.SchemaOutOfDate` says why."""
    await ensure_current(settings.database_url)
    db_engine = make_engine(settings.database_url)
    uow_factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(db_engine))
    clock = clock or (FixedClock(settings.fixed_time) if settings.fixed_time else SystemClock())
    dialogs = Engine(uow_factory=uow_factory, flows=all_flows(), clock=clock)
    metrics = Metrics(CollectorRegistry())
    job_context = JobContext(
        uow_factory=uow_factory, clock=clock, metrics=metrics, locales=platform_locales(settings)
    )
    return App(settings, db_engine, uow_factory, clock, dialogs, job_context, metrics)


def platform_locales(settings: Settings) -> PlatformLocales | None:
    """Slack's `users.info`, for the job that asks the locale of staff who never wrote; None
    without a Slack bot token."""
    if not settings.slack_enabled:
        return None
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.slack.locales import SlackLocales

    token = settings.slack_bot_token.get_secret_value()
    return SlackLocales(AsyncWebClient(token=token, base_url=settings.slack_api_url))


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
        metrics=app.metrics,
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
        metrics=app.metrics,
    )


def http_server(settings: Settings, app: App) -> HttpServer:
    """The HTTP server, which also serves the app's metrics at `/metrics`."""
    from bot.http import HttpServer, metrics_handler

    server = HttpServer(settings.http_host, settings.http_port)
    server.add_route("GET", METRICS_PATH, metrics_handler(app.metrics, app.uow_factory))
    return server
