"""A fake Slack Web API on 127.0.0.1, for slack_sdk's AsyncWebClient to talk to over HTTP.

It implements what the app calls (auth.test, chat.postMessage, chat.update, views.publish,
views.open, users.info with a locale), keeps what was sent, and can misbehave as Slack does:
answer 429 `ratelimited` with a Retry-After header, or `user_not_found`.

It runs in a thread of its own with its own event loop, so that a test can drive a separate
`narvaro run` process with plain blocking calls, or in-process code from async tests.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

from tests.loopback import LoopbackServer

TOKEN = "xoxb-fake-token-for-tests-only"
TEAM = "T0NARVARO"
BOT_USER = "U0BOT"
# Parameters slack_sdk sends JSON-encoded inside a form.
JSON_PARAMS = {"blocks", "view", "attachments"}

T = TypeVar("T")


@dataclass(frozen=True)
class Posted:
    """A message the app posted, as the person sees it: text, then buttons (label, value)."""

    channel: str
    text: str
    blocks: tuple[dict[str, Any], ...] = ()

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

    @property
    def url(self) -> str:
        """What NARVARO_SLACK_API_URL is."""
        return f"http://127.0.0.1:{self.port}/api/"

    def make_app(self) -> web.Application:
        app = web.Application()
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
        return web.json_response({"ok": True, **answer(params)})

    def _auth_test(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"user": "narvaro", "user_id": BOT_USER, "team": "Skolan", "team_id": TEAM}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.0f}.{next(self._ts):06d}"
        message = Posted(
            params["channel"], params.get("text", ""), tuple(params.get("blocks", ()))
        )
        with self._lock:
            self._posted.append(message)
        return {"channel": params["channel"], "ts": ts}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": params["channel"], "ts": params["ts"]}

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0HOME", **params["view"]}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V0MODAL", **params["view"]}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params["user"]
        return {"user": {"id": user, "locale": self.locales.get(user, "en-US")}}


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
