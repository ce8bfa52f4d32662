"""The fake Bot API reads requests as Telegram does: PTB's form fields with JSON-encoded values,
or a JSON body; and it refuses a wrong token or an unknown method as Telegram does."""

from __future__ import annotations

import json

import aiohttp

from tests.telegram.fake_bot_api import Chat, FakeBotApi, TelegramUser

EVA = TelegramUser(9001, "Eva", "sv")
KEYBOARD = {"inline_keyboard": [[{"text": "Sjuk", "callback_data": "2.0"}]]}


async def call(api: FakeBotApi, method: str, token: str | None = None, **body) -> tuple[int, dict]:
    url = f"{api.url}/bot{token or api.token}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, **body) as response:
        return response.status, await response.json()


async def test_form_fields_and_json_bodies_are_read_alike(api: FakeBotApi) -> None:
    api.knows(Chat.private_with(EVA))
    form = {"chat_id": str(EVA.id), "text": "123", "reply_markup": json.dumps(KEYBOARD)}
    as_form = await call(api, "sendMessage", data=form)
    as_json = await call(api, "sendMessage", json={**form, "reply_markup": KEYBOARD})
    assert (as_form[0], as_json[0]) == (200, 200)
    # A text that looks like JSON stays a text.
    assert [(m.text, m.buttons) for m in api.messages_to(EVA.id)] == [
        ("123", (("Sjuk", "2.0"),))
    ] * 2


async def test_a_wrong_token_or_an_unknown_method_is_refused(api: FakeBotApi) -> None:
    assert (await call(api, "getMe", token="1:wrong"))[0] == 401
    status, body = await call(api, "sendPigeon")
    assert (status, body["ok"]) == (404, False)
