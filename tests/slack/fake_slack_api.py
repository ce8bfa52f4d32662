"""A fake Slack Web API on 127.0.0.1, for slack_sdk's AsyncWebClient to talk to over HTTP.

It implements what the app calls (auth.test, chat.postMessage, chat.update, views.publish,
views.open, users.info with a locale), keeps what was sent, and can misbehave as Slack does:
answer 429 `ratelimited` with a Retry-After header, or `user_not_found`.

For Socket Mode it answers apps.connections.open (with the app-level token) with a WebSocket
URL on the same port; over that socket it says hello, sends the envelopes a test pushes, and
records the acknowledgements the app sends back.

As Slack does, a DM posted to a user id is answered with the DM's channel id ("D" + the user id)
and a ts, and only that pair names the message for chat.update, which edits it in place.

It runs in a thread of its own with its own event loop, so that a test can drive a separate
`narvaro run` process with plain blocking calls, or in-process code from async tests.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from aiohttp import web

from tests.loopback import LoopbackServer

TOKEN = "xoxb-fake-token-for-tests-only"
TEAM = "T0NARVARO"
BOT_USER = "U0BOT"
APP_TOKEN = "xapp-fake-app-token-for-tests-only"
# Parameters slack_sdk sends JSON-encoded inside a form.
JSON_PARAMS = {"blocks", "view", "attachments"}

T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    """A message the app posted, as the person sees it: text, then buttons (label, value)."""

    # As the app gave it: for a DM, the user id.
    channel: str
    text: str
    blocks: tuple[dict[str, Any], ...] = ()
    ts: str = ""
    # How many times chat.update has changed it.
    edits: int = 0

    @property
    def conversation(self) -> str:
        """The channel id Slack answers with, and wants back in chat.update."""
        return dm_channel(self.channel)

    @property
    def shown(self) -> str:
        """The sections' text, as Slack shows it (entities unescaped)."""
        texts = [b["text"]["text"] for b in self.blocks if b.get("type") == "section"]
        joined = "\n".join(texts)
        return joined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        return [
            (element["text"]["text"], element["value"])
            for block in self.blocks
            if block.get("type") == "actions"
            for element in block["elements"]
        ]

    @property
    def labels(self) -> list[str]:
        return [label for label, _value in self.buttons]

    def value_of(self, label: str) -> str:
        for shown, value in self.buttons:
            if shown == label:
                return value
        raise AssertionError(f"no button {label!r} under {self.shown!r}; there are {self.labels}")


def dm_channel(channel: str) -> str:
    """A user id names the DM with that user, whose id is a D-id; other ids stay as they are."""
    return "D" + channel if channel.startswith(("U", "W")) else channel


class SlackError(Exception):
    """Answered as Slack does: HTTP 200 with ok false and the error's name."""


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class _Failure:
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlackApi(LoopbackServer):
    name = "fake Slack API"

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self.locales: dict[str, str] = {}
        self._lock = threading.Lock()
        self._posted: list[Posted] = []
        self._calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._ts = itertools.count(1)
        self.app_token = APP_TOKEN
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: list[dict[str, Any]] = []
        self._envelope_ids = itertools.count(1)

    @property
    def url(self) -> str:
        """What NARVARO_SLACK_API_URL is."""
        return f"http://127.0.0.1:{self.port}/api/"

    def make_app(self) -> web.Application:
        app = web.Application()
        # Before the other methods: it takes the app-level token, not the bot token.
        app.router.add_route("*", "/api/apps.connections.open", self._apps_connections_open)
        app.router.add_get("/socket", self._socket)
        app.router.add_route("*", "/api/{method}", self._handle)
        return app

    # What the app sent

    @property
    def posted(self) -> list[Posted]:
        with self._lock:
            return list(self._posted)

    def posted_to(self, channel: str) -> list[Posted]:
        return [message for message in self.posted if message.channel == channel]

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def wait_until(self, condition: Callable[[], T | None], timeout: float = 20) -> T:
        deadline = time.monotonic() + timeout
        while (result := condition()) is None:
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; posted so far: {self.posted}")
            time.sleep(0.02)
        return result

    # Misbehaving as Slack does

    def rate_limit_next(self, method: str, times: int = 1, *, retry_after: int = 1) -> None:
        failure = _Failure(429, "ratelimited", {"Retry-After": str(retry_after)})
        with self._lock:
            self._failures[method].extend([failure] * times)

    def fail_next(self, method: str, error: str, times: int = 1) -> None:
        """Slack's way: HTTP 200 with ok false and the error's name."""
        with self._lock:
            self._failures[method].extend([_Failure(200, error)] * times)

    # Serving

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        authorization = request.headers.get("Authorization", "")
        with self._lock:
            failures = self._failures.get(method)
            failure = failures.pop(0) if failures else None
            status = failure.status if failure else 200
            self._calls.append(Call(method, params, status))
        if authorization != f"Bearer {self.token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if failure is not None:
            body = {"ok": False, "error": failure.error}
            return web.json_response(body, status=failure.status, headers=failure.headers)
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return web.json_response({"ok": False, "error": "unknown_method"}, status=404)
        try:
            return web.json_response({"ok": True, **answer(params)})
        except SlackError as error:
            return web.json_response({"ok": False, "error": str(error)})

    def _auth_test(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"user": "narvaro", "user_id": BOT_USER, "team": "Skolan", "team_id": TEAM}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.0f}.{next(self._ts):06d}"
        message = Posted(
            params["channel"], params.get("text", ""), tuple(params.get("blocks", ())), ts
        )
        with self._lock:
            self._posted.append(message)
        return {"channel": message.conversation, "ts": ts}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            for index, message in enumerate(self._posted):
                if (message.conversation, message.ts) == (params["channel"], params["ts"]):
                    self._posted[index] = replace(
                        message,
                        text=params.get("text", message.text),
                        blocks=tuple(params.get("blocks", message.blocks)),
                        edits=message.edits + 1,
                    )
                    return {"channel": params["channel"], "ts": params["ts"]}
        raise SlackError("message_not_found")

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0HOME", **params["view"]}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0MODAL", **params["view"]}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        """As Slack: the user's locale only when asked for it (`include_locale`)."""
        user = params["user"]
        if str(params.get("include_locale", "")).lower() not in {"1", "true"}:
            return {"user": {"id": user}}
        return {"user": {"id": user, "locale": self.locales.get(user, "en-US")}}

    # Socket Mode: Slack's side of the WebSocket the app opens

    @property
    def socket_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/socket"

    @property
    def connections(self) -> int:
        """How many Socket Mode connections the app holds open."""
        with self._lock:
            return len(self._sockets)

    @property
    def acks(self) -> list[dict[str, Any]]:
        """What the app sent back over its sockets ({"envelope_id": ...}), oldest first."""
        with self._lock:
            return list(self._acks)

    @property
    def acked(self) -> list[str]:
        return [ack["envelope_id"] for ack in self.acks]

    def push(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
    ) -> str:
        """Send an envelope ("events_api", "interactive", "slash_commands") over the app's
        latest connection, as Slack does; its envelope id."""
        envelope_id = envelope_id or f"env-{next(self._envelope_ids):06d}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": False,
        }
        if kind == "events_api":
            reason = "timeout" if retry_attempt else ""
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": reason}
        # The app may have its end of a new connection before this server has registered it.
        socket = self.wait_until(self._latest_socket, timeout=10)
        if self._loop is None:
            raise AssertionError("the fake Slack API is not running")
        asyncio.run_coroutine_threadsafe(socket.send_json(envelope), self._loop).result(10)
        return envelope_id

    def _latest_socket(self) -> web.WebSocketResponse | None:
        with self._lock:
            return self._sockets[-1] if self._sockets else None

    def wait_for_ack(self, envelope_id: str) -> str:
        return self.wait_until(lambda: envelope_id if envelope_id in self.acked else None)

    async def serve_until(self, stopping: asyncio.Event) -> None:
        await stopping.wait()
        # An open socket would hold up the server's cleanup.
        with self._lock:
            sockets = list(self._sockets)
        for socket in sockets:
            await socket.close()

    async def _apps_connections_open(self, request: web.Request) -> web.Response:
        with self._lock:
            self._calls.append(Call("apps.connections.open", await _params(request)))
        if request.headers.get("Authorization") != f"Bearer {self.app_token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        return web.json_response({"ok": True, "url": self.socket_url})

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        with self._lock:
            self._sockets.append(socket)
        try:
            async for message in socket:
                if message.type == web.WSMsgType.TEXT:
                    with self._lock:
                        self._acks.append(json.loads(message.data))
        finally:
            with self._lock:
                self._sockets.remove(socket)
        return socket


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        params |= await request.json()
    elif request.can_read_body:
        params |= dict(await request.post())
    for name in JSON_PARAMS & params.keys():
        if isinstance(params[name], str):
            params[name] = json.loads(params[name])
    return params
