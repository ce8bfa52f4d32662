"""Replies in a conversation: sent in order, a few quick retries, and never lost silently."""

from __future__ import annotations

import logging

import pytest
from telegram import Bot

from bot.telegram import replies
from bot.telegram.replies import send_replies
from dialogs.events import Button, Reply
from tests.telegram.fake_bot_api import FakeBotApi, TelegramUser

PER = TelegramUser(7001, "Per", "nb")
ANSWER = [Reply("Takk! Skolen har fått meldingen."), Reply("Hva mer?", (Button("5.0", "Meny"),))]


class Waits:
    """Stands in for asyncio.sleep: remembers how long it was asked to wait, and returns."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


async def test_replies_arrive_in_order_with_their_buttons(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.send_text(PER, "hei")
    assert await send_replies(telegram_bot, PER.id, ANSWER)
    first, second = api.messages_to(PER.id)
    assert (first.text, first.buttons) == ("Takk! Skolen har fått meldingen.", ())
    assert (second.text, second.buttons) == ("Hva mer?", (("Meny", "5.0"),))


async def test_flood_control_is_waited_out_and_the_reply_still_arrives(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.send_text(PER, "hei")
    api.fail_next("sendMessage", times=2, retry_after=2)
    waits = Waits()
    assert await send_replies(telegram_bot, PER.id, ANSWER, sleep=waits)
    assert [m.text for m in api.messages_to(PER.id)] == [r.text for r in ANSWER]
    assert waits.seconds == [2, 2]


async def test_a_wait_too_long_for_a_chat_gives_up_and_says_so(
    api: FakeBotApi, telegram_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    api.send_text(PER, "hei")
    api.fail_next("sendMessage", retry_after=3600)
    with caplog.at_level(logging.WARNING, logger=replies.__name__):
        assert not await send_replies(telegram_bot, PER.id, ANSWER, sleep=Waits())
    # The menu after a lost answer would make no sense, so it is not sent either.
    assert api.messages_to(PER.id) == []
    assert "gave up on 2 of 2 message(s)" in caplog.text


async def test_a_blocked_chat_is_not_tried_again(api: FakeBotApi, telegram_bot: Bot) -> None:
    api.send_text(PER, "hei")
    api.block(PER.id)
    waits = Waits()
    assert not await send_replies(telegram_bot, PER.id, ANSWER, sleep=waits)
    assert (len(api.calls_of("sendMessage")), waits.seconds) == (1, [])


async def test_a_network_that_stays_down_gets_a_bounded_number_of_tries(
    api: FakeBotApi, telegram_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    api.stop()
    waits = Waits()
    with caplog.at_level(logging.ERROR, logger=replies.__name__):
        assert not await send_replies(telegram_bot, PER.id, ANSWER, sleep=waits)
    assert waits.seconds == [0.5, 1.0, 2.0]
    assert "gave up on 2 of 2 message(s)" in caplog.text
