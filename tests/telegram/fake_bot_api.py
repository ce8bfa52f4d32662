"""A fake Telegram Bot API server on 127.0.0.1, for python-telegram-bot to talk to over HTTP.

It implements what the bot calls (getMe, getUpdates with long polling, sendMessage,
answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook, editMessageText, ...), keeps
what was sent, and lets a test act as Telegram's users: write a text, press a button. It can
also misbehave as Telegram does: answer 429 with `retry_after`, refuse a chat that blocked the
bot (403), or one that never wrote to it (400 "chat not found").

Once the bot has called setWebhook, the fake posts updates to that URL with the secret header,
as Telegram does, instead of handing them to getUpdates (which then answers 409).

It runs in a thread of its own with its own event loop, so that a test can drive a separate
`narvaro run` process with plain blocking calls, or an in-process bot from async code.
Parameters arrive as PTB sends them (form fields, each non-string value JSON-encoded), or as a
JSON body. The people, chats, sent messages and update JSON are in `telegram_objects`, and
importable from here.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

from tests.loopback import LoopbackServer

# Telegram's side of a chat, importable from here as the tests always have.
from tests.telegram.telegram_objects import (
    BOT_USER,
    TOKEN,
    Chat,
    SentMessage,
    TelegramUser,
    message_ids,
    press_update,
    text_update,
)

__all__ = [
    "BOT_USER",
    "TOKEN",
    "Call",
    "Chat",
    "FakeBotApi",
    "SentMessage",
    "TelegramUser",
    "press_update",
    "text_update",
]

# Long polls end after this at the latest, whatever timeout the bot asked for, so that a
# stopping bot never waits long for its last getUpdates.
LONGEST_POLL = 1.0
# Parameters that are strings even when they look like JSON ("123" as a text stays a text).
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STRING_PARAMS = {"text", "url", "secret_token", "callback_query_id", "language_code", "caption"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    status: int = 200


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


class FakeBotApi(LoopbackServer):
    name = "fake Bot API"

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._sent: list[SentMessage] = []
        self._calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._blocked: set[int] = set()
        self._chats: dict[int, Chat] = {}
        self._webhook: tuple[str, str] | None = None
        self.webhook_posts: list[tuple[int, int | None]] = []
        self._arrived: asyncio.Event | None = None

    # Running

    @property
    def url(self) -> str:
        """What the bot's NARVARO_TELEGRAM_API_URL is."""
        return f"http://127.0.0.1:{self.port}"

    def make_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        return app

    async def prepare(self) -> None:
        self._arrived = asyncio.Event()

    async def serve_until(self, stopping: asyncio.Event) -> None:
        assert self._arrived is not None
        delivering = asyncio.create_task(self._deliver_to_webhook())
        await stopping.wait()
        self._arrived.set()  # wakes any long poll, so cleanup need not wait for it
        await delivering

    async def _deliver_to_webhook(self) -> None:
        """While a webhook is set: post each update to it, in order, until it answers 200."""
        assert self._stopping is not None
        async with aiohttp.ClientSession() as session:
            while not self._stopping.is_set():
                await asyncio.sleep(0.02)
                with self._lock:
                    webhook, pending = self._webhook, list(self._updates)
                if webhook is None or not pending or not _on_this_machine(webhook[0]):
                    continue
                url, secret = webhook
                update = pending[0]
                headers = {SECRET_HEADER: secret} if secret else {}
                try:
                    async with session.post(url, json=update, headers=headers) as response:
                        status: int | None = response.status
                except aiohttp.ClientError:
                    status = None
                with self._lock:
                    self.webhook_posts.append((update["update_id"], status))
                    if status == 200:
                        self._updates.remove(update)

    # Acting as Telegram's users

    def send_text(self, user: TelegramUser, text: str, *, chat: Chat | None = None) -> None:
        chat = chat or Chat.private_with(user)
        self._queue(chat, text_update(0, user, text, chat))

    def press(
        self,
        user: TelegramUser,
        data: str,
        *,
        under: SentMessage | None = None,
        chat: Chat | None = None,
    ) -> str:
        """Press a button with this `callback_data` under a message the bot sent (or under
        none that exists, for a forged press); returns the callback query's id."""
        chat = chat or Chat.private_with(user)
        update = press_update(0, user, data, under=under, chat=chat)
        self._queue(chat, update)
        return update["callback_query"]["id"]

    def knows(self, chat: Chat) -> None:
        """As if someone had written in the chat (through a webhook, say): the bot may send
        there."""
        with self._lock:
            self._chats[chat.id] = chat

    def _queue(self, chat: Chat, update: dict[str, Any]) -> None:
        with self._lock:
            self._chats[chat.id] = chat
            self._updates.append(update | {"update_id": next(self._update_ids)})
        self._wake_pollers()

    def _wake_pollers(self) -> None:
        if self._loop is not None and self._arrived is not None:
            self._loop.call_soon_threadsafe(self._arrived.set)

    # Misbehaving as Telegram does

    def fail_next(self, method: str, times: int = 1, *, retry_after: int = 1) -> None:
        """The next `times` calls of `method` get HTTP 429, Too Many Requests."""
        failure = _Failure(
            429,
            f"Too Many Requests: retry after {retry_after}",
            {"retry_after": retry_after},
        )
        with self._lock:
            self._failures[method].extend([failure] * times)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: sending to their chat gets 403 from now on."""
        with self._lock:
            self._blocked.add(chat_id)

    # What happened

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        with self._lock:
            return [message for message in self._sent if message.chat_id == chat_id]

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def wait_until(self, condition: Callable[[], Any], timeout: float = 15) -> Any:
        """Blocking: for a bot in another process."""
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            if time.monotonic() > deadline:
                raise AssertionError("the fake Bot API never saw what the test waited for")
            time.sleep(0.02)
        return result

    async def until(self, condition: Callable[[], Any], timeout: float = 15) -> Any:
        """Awaiting: for a bot in the test's own event loop."""
        deadline = time.monotonic() + timeout
        while not (result := condition()):
            if time.monotonic() > deadline:
                raise AssertionError("the fake Bot API never saw what the test waited for")
            await asyncio.sleep(0.02)
        return result

    # The HTTP side

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        prefix, _slash, method = path.partition("/")
        if not prefix.startswith("bot") or "/" in method:
            return _error(404, "Not Found")
        if prefix.removeprefix("bot") != self.token:
            return _error(401, "Unauthorized")
        params = await _params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._answer(Call(method, params, 404), _error(404, "Not Found: method"))
        with self._lock:
            failure = self._failures[method].pop(0) if self._failures[method] else None
        if failure is not None:
            response = _error(failure.status, failure.description, failure.parameters)
            return self._answer(Call(method, params, failure.status), response)
        return await handler(params)

    def _answer(self, call: Call, response: web.Response) -> web.Response:
        with self._lock:
            self._calls.append(call)
        return response

    def _ok(self, method: str, params: dict[str, Any], result: Any) -> web.Response:
        return self._answer(
            Call(method, params), web.json_response({"ok": True, "result": result})
        )

    async def _api_getMe(self, params: dict[str, Any]) -> web.Response:
        return self._ok("getMe", params, BOT_USER)

    async def _api_getUpdates(self, params: dict[str, Any]) -> web.Response:
        if self._webhook is not None:
            description = "Conflict: can't use getUpdates method while webhook is active"
            return self._answer(Call("getUpdates", params, 409), _error(409, description))
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), LONGEST_POLL)
        deadline = time.monotonic() + wait
        while True:
            assert self._arrived is not None
            self._arrived.clear()
            with self._lock:
                # As Telegram does: asking from `offset` confirms every update before it.
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                pending = self._updates[: int(params.get("limit") or 100)]
            remaining = deadline - time.monotonic()
            if pending or remaining <= 0 or self._stopping is None or self._stopping.is_set():
                return self._ok("getUpdates", params, pending)
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)

    async def _api_sendMessage(self, params: dict[str, Any]) -> web.Response:
        chat_id = int(params["chat_id"])
        with self._lock:
            chat = self._chats.get(chat_id)
            blocked = chat_id in self._blocked
        if blocked:
            response = _error(403, "Forbidden: bot was blocked by the user")
            return self._answer(Call("sendMessage", params, 403), response)
        if chat is None:
            response = _error(400, "Bad Request: chat not found")
            return self._answer(Call("sendMessage", params, 400), response)
        markup = params.get("reply_markup") or {}
        buttons = tuple(
            (button["text"], button["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for button in row
        )
        message_id = next(message_ids)
        with self._lock:
            self._sent.append(SentMessage(message_id, chat_id, params["text"], buttons))
        result = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat.as_json(),
            "from": BOT_USER,
            "text": params["text"],
        }
        if markup:
            result["reply_markup"] = markup
        return self._ok("sendMessage", params, result)

    async def _api_editMessageText(self, params: dict[str, Any]) -> web.Response:
        return self._ok("editMessageText", params, True)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> web.Response:
        return self._ok("editMessageReplyMarkup", params, True)

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        return self._ok("answerCallbackQuery", params, True)

    async def _api_setMyCommands(self, params: dict[str, Any]) -> web.Response:
        return self._ok("setMyCommands", params, True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> web.Response:
        with self._lock:
            self._webhook = (
                (params["url"], params.get("secret_token", "")) if params["url"] else None
            )
        return self._ok("setWebhook", params, True)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> web.Response:
        with self._lock:
            self._webhook = None
        return self._ok("deleteWebhook", params, True)


def _on_this_machine(url: str) -> bool:
    """The fake posts to loopback only: a test's public-looking webhook URL is never called."""
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    form = await request.post()
    return {name: _decoded(name, value) for name, value in form.items()}


def _decoded(name: str, value: Any) -> Any:
    if not isinstance(value, str) or name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _error(
    status: int, description: str, parameters: dict[str, Any] | None = None
) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)
