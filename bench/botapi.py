"""A Telegram Bot API inside the benchmark's process: python-telegram-bot's `Bot` talks to it
through its request interface, with no network between, so that what is timed is the bot's
own work (PTB, the adapter, the engine, storage) and not an HTTP stack.

It answers what the adapter calls (getMe, sendMessage, answerCallbackQuery,
editMessageReplyMarkup, setMyCommands, ...), counts the calls by method, keeps each chat's
latest keyboard (for the driver to press its buttons) and every message sent. With `per_second`
it enforces a rate limit as Telegram does: a message beyond it gets a 429 with `retry_after`.
"""

from __future__ import annotations

import json
import time
from collections import Counter, deque
from typing import Any

from aiohttp import web
from telegram.request import BaseRequest, RequestData

TOKEN = "4242424242:BENCH-token"
BOT_USER = {"id": 4242424242, "is_bot": True, "first_name": "Närvaro", "username": "bench_bot"}
SENDS = frozenset({"sendMessage"})


class InProcessBotApi(BaseRequest):
    def __init__(self, *, per_second: int | None = None, retry_after: int = 1) -> None:
        self.calls: Counter[str] = Counter()
        self.keyboards: dict[int | str, list[tuple[str, str]]] = {}
        self.sent: list[tuple[int | str, str]] = []
        # When each message was taken (time.monotonic()), for the send rate.
        self.sent_at: list[float] = []
        self.refused = 0
        self._per_second = per_second
        self._retry_after = retry_after
        self._recent: deque[float] = deque()
        self._message_id = 0

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_timeouts: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data is not None else {}
        return self.answer(name, params)

    def answer(self, name: str, params: dict[str, Any]) -> tuple[int, bytes]:
        """The HTTP status and body Telegram would answer the call `name` with."""
        self.calls[name] += 1
        if name in SENDS and self._limited():
            self.refused += 1
            return 429, _error(429, f"Too Many Requests: retry after {self._retry_after}", self)
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _limited(self) -> bool:
        if self._per_second is None:
            return False
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self._per_second:
            return True
        self._recent.append(now)
        return False

    def _result(self, name: str, params: dict[str, Any]) -> object:
        if name == "getMe":
            return BOT_USER
        if name not in ("sendMessage", "editMessageReplyMarkup", "editMessageText"):
            return True
        chat_id = _chat_id(params.get("chat_id", 0))
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if name == "sendMessage":
            self.sent.append((chat_id, str(params.get("text", ""))))
            self.sent_at.append(time.monotonic())
            if markup:
                self.keyboards[chat_id] = [
                    (button["text"], button["callback_data"])
                    for row in markup["inline_keyboard"]
                    for button in row
                ]
        self._message_id += 1
        message: dict[str, Any] = {
            "message_id": params.get("message_id", self._message_id),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "someone"},
            "from": BOT_USER,
            "text": str(params.get("text", "…")),
        }
        return message


def _chat_id(value: object) -> int | str:
    """Telegram's chat ids are numbers; the morning benchmark's recipients are names."""
    text = str(value)
    return int(text) if text.lstrip("-").isdigit() else text


class LocalBotApi:
    """`InProcessBotApi` served over HTTP on 127.0.0.1, as PTB's own HTTP client talks to
    Telegram: `async with LocalBotApi(api) as url:` then `base_url=f"{url}/bot"`."""

    def __init__(self, api: InProcessBotApi) -> None:
        self.api = api
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._call)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _call(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        status, body = self.api.answer(request.match_info["method"], params)
        return web.Response(status=status, body=body, content_type="application/json")


def _error(code: int, description: str, api: InProcessBotApi) -> bytes:
    return json.dumps(
        {
            "ok": False,
            "error_code": code,
            "description": description,
            "parameters": {"retry_after": api._retry_after},
        }
    ).encode()


def message_update(update_id: int, user_id: int, text: str, language: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "G", "language_code": language}
    chat = {"id": user_id, "type": "private", "first_name": "G"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
    return {"update_id": update_id, "message": message}


def press_update(update_id: int, user_id: int, data: str, language: str) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "G", "language_code": language}
    chat = {"id": user_id, "type": "private", "first_name": "G"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": BOT_USER, "text": "…"}
    query = {"id": str(update_id), "from": user, "chat_instance": "c", "data": data}
    return {"update_id": update_id, "callback_query": query | {"message": message}}
