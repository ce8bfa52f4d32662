"""The service's one HTTP server: Telegram's webhook, Slack's events, `/healthz`, `/metrics`.

Channels add their routes before `start()`; aiohttp freezes the routes once it serves. Nothing
listens until `start()`, and `stop()` closes the port and waits for requests in progress.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import OperatorError
from routine.outbox import DeliveryStatus
from routine.ports import UnitOfWorkFactory
from scheduler.metrics import CONTENT_TYPE_LATEST, Metrics

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


class HttpServer:
    def __init__(self, host: str, port: int) -> None:
        """`port` 0 picks a free port; `port` tells which, once started."""
        self._host = host
        self._port = port
        self._app = web.Application()
        self._app.router.add_get(HEALTH_PATH, healthz)
        self._runner: web.AppRunner | None = None

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        self._app.router.add_route(method, path, handler)

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        try:
            await site.start()
        except OSError as error:
            # Say which setting to change, not the database error an OSError would look like.
            raise OperatorError(
                f"cannot listen on {self._host}:{self._port} (NARVARO_HTTP_HOST, "
                f"NARVARO_HTTP_PORT): {error.strerror or error}"
            ) from None
        log.info("HTTP server listening on %s:%d", self._host, self.port)

    @property
    def port(self) -> int:
        """The port it listens on (the one picked, if it was started with 0)."""
        if self._runner is None or not self._runner.addresses:
            return self._port
        return self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def metrics_handler(metrics: Metrics, uow_factory: UnitOfWorkFactory) -> Handler:
    """`GET /metrics`: Prometheus's text format, with the outbox counted by one grouped query."""

    async def serve_metrics(_request: web.Request) -> web.Response:
        outbox: dict[tuple[DeliveryStatus, str], int] | None
        try:
            async with uow_factory() as uow:
                outbox = await uow.outbox.counts()
        except (SQLAlchemyError, OSError):
            # The process's own metrics are still worth having, the database's absence too.
            log.warning("could not count the outbox for /metrics", exc_info=True)
            outbox = None
        return web.Response(
            body=metrics.exposition(outbox), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    return serve_metrics


async def healthz(_request: web.Request) -> web.Response:
    """The process is up and serving; a load balancer or orchestrator asks this."""
    return web.json_response({"status": "ok"})
