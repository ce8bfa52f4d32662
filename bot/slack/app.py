"""The Slack channel inside `narvaro run`: slack-bolt's AsyncApp, handing each of Slack's
requests to the dialog engine, and its replies back as Block Kit.

Requests arrive one of two ways. Over HTTP (the default), Slack posts them to `POST
/slack/events` on the shared HTTP server, and bolt checks every request's signature and
timestamp (a bad or old one gets 401 and is not read). In Socket Mode (an app-level token),
the app opens a WebSocket to Slack and the requests come as envelopes over it: no public URL,
and nothing to sign, since only Slack can write to a connection the app opened with its token.

The same listeners serve both: each acknowledges first, within Slack's 3 seconds, and works
afterwards in a task of its own; `stop()` waits for those. Work for one conversation runs one
at a time, so that two quick presses see each other's state.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from time import perf_counter
from typing import Any, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import OperatorError
from bot.http import HttpServer
from bot.slack import listeners
from bot.slack.convert import Origin
from bot.slack.dedupe import OncePerEvent
from bot.slack.locales import LocaleCache
from bot.slack.replies import ReplyWriter
from bot.slack.sender import SlackSender
from bot.slack.verify import refusal, request_key
from dialogs.events import Incoming, Reply
from scheduler.metrics import Metrics

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Where `events` leaves the key of a signed request for the middleware that handles it once.
REQUEST_KEY = "narvaro_request_key"
# How long the first Socket Mode connection may take before `narvaro run` gives up starting.
CONNECT_SECONDS = 30


class Dialogs(Protocol):
    async def handle(self, incoming: Incoming) -> list[Reply]: ...


def build_app(
    token: str, signing_secret: str, api_url: str, *, socket_mode: bool = False
) -> AsyncApp:
    """Over HTTP the signing secret is required (bolt refuses an empty one); in Socket Mode
    there is no signature to check, and no HTTP route either."""
    client = AsyncWebClient(token=token, base_url=api_url)
    # The token goes with the client only: bolt takes it from there (and warns if given twice).
    return AsyncApp(
        signing_secret=signing_secret,
        client=client,
        process_before_response=False,
        request_verification_enabled=not socket_mode,
    )


class SlackChannel:
    def __init__(
        self,
        app: AsyncApp,
        dialogs: Dialogs,
        *,
        api_url: str = "",
        app_token: str = "",
        signing_secret: str = "",
        once: OncePerEvent | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        """`app_token` (xapp-...) turns Socket Mode on; over HTTP, `signing_secret` is required.
        `once` tells which requests are new; by default only this process remembers them."""
        self.app = app
        self.client: AsyncWebClient = app.client
        self.sender = SlackSender(self.client)
        self.locales = LocaleCache(self.client)
        self.replies = ReplyWriter(self.client)
        self._dialogs = dialogs
        self._api_url = api_url
        self._app_token = app_token
        self._signing_secret = signing_secret
        self._socket: AsyncSocketModeHandler | None = None
        self._once = once or OncePerEvent()
        self._metrics = metrics or Metrics()
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        app.middleware(self._once_per_event)
        listeners.register_all(app, self)

    @property
    def uses_socket_mode(self) -> bool:
        return bool(self._app_token)

    def mount(self, http: HttpServer) -> None:
        """Serve Slack's requests on `http` (before it starts): HTTP mode."""
        if not self._signing_secret:
            raise ValueError("serving Slack's requests over HTTP needs the signing secret")
        http.add_route("POST", EVENTS_PATH, self.events)

    async def start(self) -> None:
        """Check the token (auth.test), as Telegram's start checks its own; in Socket Mode,
        connect, after which Slack's requests arrive."""
        await self._check_bot_token()
        if self.uses_socket_mode:
            await self._connect()

    async def _check_bot_token(self) -> None:
        try:
            identity = await self.client.auth_test()
        except SlackApiError as error:
            raise OperatorError(
                f"Slack refused the bot token (NARVARO_SLACK_BOT_TOKEN) at {self._api_url}: "
                f"{error.response.get('error')}"
            ) from None
        except OSError as error:
            raise OperatorError(f"cannot reach Slack at {self._api_url}: {error}") from None
        log.info("Slack app %s started in %s", identity.get("user"), identity.get("team"))

    async def _connect(self) -> None:
        url = await self._connection_url()
        # Built here, inside the running loop: the client starts its tasks as it is made.
        self._socket = AsyncSocketModeHandler(self.app, self._app_token, web_client=self.client)
        # The URL just issued serves the first connection; reconnections ask for new ones.
        self._socket.client.wss_uri = url
        try:
            async with asyncio.timeout(CONNECT_SECONDS):
                await self._socket.connect_async()
        except TimeoutError:
            raise OperatorError(
                f"cannot open Slack's Socket Mode connection (from {self._api_url})"
            ) from None
        log.info("Slack's Socket Mode connection is open")

    async def _connection_url(self) -> str:
        # Asked here rather than by the socket client, which would retry a refused token
        # forever instead of saying which setting is wrong.
        try:
            opened = await self.client.apps_connections_open(app_token=self._app_token)
        except SlackApiError as error:
            raise OperatorError(
                "Slack refused the app-level token (NARVARO_SLACK_APP_TOKEN) at "
                f"{self._api_url}: {error.response.get('error')}"
            ) from None
        except OSError as error:
            raise OperatorError(f"cannot reach Slack at {self._api_url}: {error}") from None
        return str(opened["url"])

    async def stop(self) -> None:
        """Stop receiving, finish the work already acknowledged, then let go of the
        connections."""
        await self._disconnect()
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        session = getattr(self.client, "session", None)
        if session is not None:
            await session.close()

    async def _disconnect(self) -> None:
        if self._socket is None:
            return
        client, self._socket = self._socket.client, None
        await client.close()
        # close() cancels the client's tasks without waiting: waited for here, so that none is
        # still pending when the event loop closes.
        tasks = (client.message_processor, client.current_session_monitor, client.message_receiver)
        await asyncio.gather(*(t for t in tasks if t is not None), return_exceptions=True)

    async def events(self, request: web.Request) -> web.Response:
        """One of Slack's requests, checked on its raw bytes before anything reads them."""
        body = await request.read()
        why = refusal(request.headers, body, self._signing_secret, time.time())
        if why is not None:
            log.warning("refused a request to %s: %s", EVENTS_PATH, why)
            return web.Response(status=401, text="invalid request")
        try:
            text = body.decode()
        except UnicodeDecodeError:
            log.warning("refused a signed request to %s: its body is not UTF-8", EVENTS_PATH)
            return web.Response(status=400, text="not UTF-8")
        bolt_request = AsyncBoltRequest(
            body=text,
            query=request.query_string,
            headers=dict(request.headers),
            context={REQUEST_KEY: request_key(request.headers, body)},
        )
        response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    def later(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` after the acknowledgement, after earlier work for the same conversation."""
        task = asyncio.create_task(self._in_turn(key, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(
        self,
        incoming: Incoming,
        *,
        trigger_id: str | None = None,
        pressed_in: Origin | None = None,
        submitted_from: Origin | None = None,
        quiet: bool = False,
    ) -> None:
        """The engine's answer to `incoming`, written where the person is (see ReplyWriter);
        `quiet`: handled, but its answer is not written (a modal they closed)."""
        start = perf_counter()
        locale = await self.locales.locale_of(incoming.key.user)
        incoming = dataclasses.replace(incoming, locale=locale)
        replies = await self._dialogs.handle(incoming)
        if quiet:
            self._metrics.update_handled("slack", perf_counter() - start)
            return
        await self.replies.write(
            incoming.key,
            replies,
            trigger_id=trigger_id,
            pressed_in=pressed_in,
            submitted_from=submitted_from,
        )
        self._metrics.update_handled("slack", perf_counter() - start)

    async def _in_turn(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                await work()
        except Exception:
            # The engine answers its own errors; this is Slack's side failing (the person may
            # have got no answer): the operator's log says so.
            log.exception("handling a Slack request for %s failed", key)
        finally:
            if not lock.locked():
                self._locks.pop(key, None)

    async def _once_per_event(
        self,
        body: dict[str, Any],
        context: dict[str, Any],
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse | None:
        """Each event once (Slack retries events), and each signed request once: button
        presses and forms carry no event id, and a copy of a signed request is as well signed
        as the original for five minutes."""
        event_id = body.get("event_id")
        key = event_id if isinstance(event_id, str) else context.get(REQUEST_KEY)
        if isinstance(key, str) and not await self._once.first_time(key):
            log.info("Slack's request %s came again: handled once", _shown(key))
            return BoltResponse(status=200, body="")
        return await next()


def _shown(key: str) -> str:
    """An event id as it is; a request's key shortened (a hash is no use whole in a log)."""
    return key[:20] if key.startswith("request:") else key
