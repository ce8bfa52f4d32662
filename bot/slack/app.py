"""The Slack channel inside `narvaro run`: slack-bolt's AsyncApp, receiving Slack's requests at
`POST /slack/events` on the shared HTTP server, handing each to the dialog engine, and its
replies back as Block Kit.

Bolt checks every request's signature and timestamp (a bad or old one gets 401 and is not
read). Every listener acknowledges first, within Slack's 3 seconds, and works afterwards in a
task of its own; `stop()` waits for those. Work for one conversation runs one at a time, so
that two quick presses see each other's state.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import OperatorError
from bot.http import HttpServer
from bot.slack import listeners
from bot.slack.dedupe import SeenEvents
from bot.slack.locales import LocaleCache
from bot.slack.replies import ReplyWriter
from bot.slack.sender import SlackSender
from dialogs.events import Incoming, Reply

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class Dialogs(Protocol):
    async def handle(self, incoming: Incoming) -> list[Reply]: ...


def build_app(token: str, signing_secret: str, api_url: str) -> AsyncApp:
    client = AsyncWebClient(token=token, base_url=api_url)
    # The token goes with the client only: bolt takes it from there (and warns if given twice).
    return AsyncApp(
        signing_secret=signing_secret,
        client=client,
        process_before_response=False,
    )


class SlackChannel:
    def __init__(self, app: AsyncApp, dialogs: Dialogs, *, api_url: str = "") -> None:
        self.app = app
        self.client: AsyncWebClient = app.client
        self.sender = SlackSender(self.client)
        self.locales = LocaleCache(self.client)
        self.replies = ReplyWriter(self.client)
        self._dialogs = dialogs
        self._api_url = api_url
        self._seen = SeenEvents()
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        app.middleware(self._once_per_event)
        listeners.register_all(app, self)

    def mount(self, http: HttpServer) -> None:
        """Serve Slack's requests on `http` (before it starts)."""
        http.add_route("POST", EVENTS_PATH, self.events)

    async def start(self) -> None:
        """Check the token (auth.test), as Telegram's start checks its own."""
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

    async def stop(self) -> None:
        """Finish the work already acknowledged, then let go of the connections."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        session = getattr(self.client, "session", None)
        if session is not None:
            await session.close()

    async def events(self, request: web.Request) -> web.Response:
        response = await self.app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    def later(self, key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work` after the acknowledgement, after earlier work for the same conversation."""
        task = asyncio.create_task(self._in_turn(key, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def handle(self, incoming: Incoming, *, trigger_id: str | None = None) -> None:
        """The engine's answer to `incoming`, written where the person is."""
        locale = await self.locales.locale_of(incoming.key.user)
        incoming = dataclasses.replace(incoming, locale=locale)
        replies = await self._dialogs.handle(incoming)
        await self.replies.write(incoming.key, replies, trigger_id=trigger_id)

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
        self, body: dict[str, Any], next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not self._seen.first_time(event_id):
            log.info("Slack delivered event %s again: handled once", event_id)
            return BoltResponse(status=200, body="")
        return await next()
