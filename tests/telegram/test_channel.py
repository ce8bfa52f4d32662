"""The channel in this process, against the fake Bot API: the webhook route lets only
Telegram in, polling hands updates to the engine, and one chat's updates are handled in order
without holding up other chats."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.http import HttpServer
from bot.telegram.app import SECRET_HEADER, WEBHOOK_PATH, TelegramChannel, build_application
from bot.telegram.commands import command_descriptions
from dialogs.events import Button, Incoming, Reply
from tests.raw_http import raw_post
from tests.telegram.fake_bot_api import Chat, FakeBotApi, TelegramUser, press_update, text_update

SECRET = "s3cret-token_for-tests"
LENE = TelegramUser(8001, "Lene", "da")
TROND = TelegramUser(8002, "Trond", "nb")


class Dialogs:
    """Stands in for the engine: remembers what came in, echoes it as a reply."""

    def __init__(self) -> None:
        self.seen: list[Incoming] = []
        self.hold: dict[str, asyncio.Event] = {}

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        said = incoming.text or f"pressed {incoming.button}"
        if said in self.hold:
            await self.hold[said].wait()
        return [Reply(f"echo: {said}", (Button("1.0", "OK"),))]


@pytest.fixture
def dialogs() -> Dialogs:
    return Dialogs()


@pytest.fixture
async def webhook(api: FakeBotApi, dialogs: Dialogs) -> AsyncIterator[str]:
    """A running channel in webhook mode; yields the HTTP server's base URL."""
    application = build_application(api.token, api.url, mode="webhook")
    channel = TelegramChannel(
        application,
        dialogs,
        mode="webhook",
        api_url=api.url,
        webhook_url="https://narvaro.example/telegram/webhook",
        webhook_secret=SECRET,
    )
    http = HttpServer("127.0.0.1", 0)
    channel.mount(http)
    await channel.start()
    await http.start()
    await channel.receive()
    try:
        yield f"http://127.0.0.1:{http.port}"
    finally:
        await channel.stop_receiving()
        await http.stop()
        await channel.stop()


@pytest.fixture
async def polling(api: FakeBotApi, dialogs: Dialogs) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(
        build_application(api.token, api.url, mode="polling"), dialogs, api_url=api.url
    )
    await channel.start()
    await channel.receive()
    try:
        yield channel
    finally:
        await channel.stop_receiving()
        await channel.stop()


async def post(base: str, update: dict, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(base + WEBHOOK_PATH, json=update, headers=headers) as response,
    ):
        return response.status


async def test_the_webhook_is_registered_with_its_secret_and_the_updates_we_need(
    api: FakeBotApi, webhook: str
) -> None:
    (registered,) = api.calls_of("setWebhook")
    assert registered.params == {
        "url": "https://narvaro.example/telegram/webhook",
        "secret_token": SECRET,
        "allowed_updates": ["message", "callback_query"],
    }


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({SECRET_HEADER: "guess"}, 403), ({SECRET_HEADER: SECRET + "x"}, 403)],
)
async def test_a_post_without_the_secret_is_refused_and_not_handled(
    api: FakeBotApi, webhook: str, dialogs: Dialogs, headers: dict[str, str], status: int
) -> None:
    api.knows(Chat.private_with(LENE))
    assert await post(webhook, text_update(1, LENE, "/start ABC"), headers) == status
    await asyncio.sleep(0.2)  # time enough for an update, had one been let in
    assert (dialogs.seen, api.messages_to(LENE.id)) == ([], [])


async def test_a_post_with_the_secret_is_handled_and_answered(
    api: FakeBotApi, webhook: str, dialogs: Dialogs
) -> None:
    api.knows(Chat.private_with(LENE))
    assert await post(webhook, text_update(1, LENE, "hej"), {SECRET_HEADER: SECRET}) == 200
    (reply,) = await api.until(lambda: api.messages_to(LENE.id))
    assert (reply.text, reply.buttons) == ("echo: hej", (("OK", "1.0"),))
    (incoming,) = dialogs.seen
    assert (incoming.key.user, incoming.locale, incoming.private) == ("8001", "da", True)


async def test_a_button_press_is_acknowledged_then_handled(
    api: FakeBotApi, webhook: str, dialogs: Dialogs
) -> None:
    api.knows(Chat.private_with(LENE))
    update = press_update(2, LENE, "3.1")
    assert await post(webhook, update, {SECRET_HEADER: SECRET}) == 200
    await api.until(lambda: api.messages_to(LENE.id))
    (answered,) = api.calls_of("answerCallbackQuery")
    assert answered.params["callback_query_id"] == update["callback_query"]["id"]
    assert dialogs.seen[0].button == "3.1"
    # The pressed message's keyboard is taken off: its buttons have done their work.
    (cleared,) = api.calls_of("editMessageReplyMarkup")
    message = update["callback_query"]["message"]
    assert (cleared.params["chat_id"], cleared.params["message_id"]) == (
        message["chat"]["id"],
        message["message_id"],
    )
    assert "reply_markup" not in cleared.params


@pytest.mark.parametrize("body", ["{not json", "[]", "null", '{"update_id": 5, "message": {}}'])
async def test_what_is_not_an_update_is_refused(webhook: str, dialogs: Dialogs, body: str) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            webhook + WEBHOOK_PATH,
            data=body,
            headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
        ) as response,
    ):
        assert response.status == 400
    assert dialogs.seen == []


async def test_health_is_served_beside_the_webhook(webhook: str) -> None:
    async with aiohttp.ClientSession() as session, session.get(webhook + "/healthz") as response:
        assert (response.status, json.loads(await response.text())) == (200, {"status": "ok"})


async def test_the_command_menu_is_set_for_each_language_and_a_default(
    api: FakeBotApi, polling: TelegramChannel
) -> None:
    menus = {
        call.params.get("language_code"): call.params for call in api.calls_of("setMyCommands")
    }
    assert set(menus) == {"sv", "nb", "no", "nn", "da", None}
    for language in ("sv", "nb", "da"):
        assert [(c["command"], c["description"]) for c in menus[language]["commands"]] == (
            command_descriptions(language)
        )


async def test_a_command_menu_telegram_refuses_does_not_stop_the_bot(
    api: FakeBotApi, dialogs: Dialogs, caplog: pytest.LogCaptureFixture
) -> None:
    api.fail_next("setMyCommands", retry_after=5)
    channel = TelegramChannel(
        build_application(api.token, api.url, mode="polling"), dialogs, api_url=api.url
    )
    await channel.start()
    try:
        assert "could not set the Telegram command menus" in caplog.text
        await channel.receive()
        api.send_text(TROND, "hei")
        await api.until(lambda: api.messages_to(TROND.id))
    finally:
        await channel.stop_receiving()
        await channel.stop()


async def test_polling_hands_each_update_to_the_engine_and_answers(
    api: FakeBotApi, polling: TelegramChannel, dialogs: Dialogs
) -> None:
    api.send_text(TROND, "/start ABCDEFGHJK")
    (reply,) = await api.until(lambda: api.messages_to(TROND.id))
    assert reply.text == "echo: /start ABCDEFGHJK"
    api.press(TROND, "1.0", under=reply)
    await api.until(lambda: len(api.messages_to(TROND.id)) == 2)
    assert [i.button for i in dialogs.seen] == [None, "1.0"]
    # Polling removes a webhook left from webhook mode, or Telegram would refuse getUpdates.
    assert api.calls_of("deleteWebhook")


async def test_one_chat_waits_for_its_own_turn_but_not_for_other_chats(
    api: FakeBotApi, polling: TelegramChannel, dialogs: Dialogs
) -> None:
    dialogs.hold["first"] = asyncio.Event()
    api.send_text(TROND, "first")
    api.send_text(TROND, "second")
    api.send_text(LENE, "meanwhile")
    await api.until(lambda: api.messages_to(LENE.id))
    # Trond's second message waits for his first, which is still being handled.
    assert api.messages_to(TROND.id) == []
    assert [i.text for i in dialogs.seen if i.key.user == str(TROND.id)] == ["first"]
    dialogs.hold["first"].set()
    await api.until(lambda: len(api.messages_to(TROND.id)) == 2)
    assert [m.text for m in api.messages_to(TROND.id)] == ["echo: first", "echo: second"]


async def test_a_group_chat_is_passed_on_as_not_private(
    api: FakeBotApi, polling: TelegramChannel, dialogs: Dialogs
) -> None:
    group = Chat(-1001234, "group", "Föräldrar 7A")
    api.send_text(TROND, "/start@narvaro_test_bot", chat=group)
    await api.until(lambda: api.messages_to(group.id))
    assert (dialogs.seen[0].private, dialogs.seen[0].key.chat) == (False, str(group.id))


@pytest.mark.parametrize(
    "sent",
    ["hemlighet-ö".encode(), b"\xff\xfe-not-utf-8", SECRET.encode() + b"\x80"],
    ids=["non-ascii", "not-utf-8", "secret-and-more"],
)
async def test_a_malformed_secret_is_refused_with_one_line_in_the_log(
    webhook: str, dialogs: Dialogs, sent: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps(text_update(1, LENE, "hej")).encode()
    headers = [(SECRET_HEADER.encode(), sent), (b"Content-Type", b"application/json")]
    with caplog.at_level(logging.DEBUG):
        assert await raw_post(webhook + WEBHOOK_PATH, headers, body) == 403
    await asyncio.sleep(0.2)
    assert dialogs.seen == []
    refused = [r for r in caplog.records if r.name == "bot.telegram.app"]
    assert [r.getMessage() for r in refused] == [
        "refused a Telegram webhook post: wrong secret token"
    ]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
