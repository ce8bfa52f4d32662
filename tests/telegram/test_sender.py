"""The outbox's Telegram sender, over HTTP against the fake Bot API: what Telegram answers
becomes sent, try again (after how long), or never."""

from __future__ import annotations

from datetime import timedelta

from telegram import Bot

from bot.telegram.sender import TelegramSender
from routine.outbox import DeliveryResult, OutboxMessage, OutgoingButton
from tests.telegram.fake_bot_api import FakeBotApi, TelegramUser

KARIN = TelegramUser(6001, "Karin", "sv")


def message(recipient: int = KARIN.id, **changes) -> OutboxMessage:
    fields = {
        "key": "unreported:telegram:6001:se:P-1:2026-11-23",
        "platform": "telegram",
        "recipient": str(recipient),
        "text": "Alva är frånvarande i dag och skolan har inte fått någon anmälan.",
        "kind": "unreported-prompt",
        "school_key": "se-bjorkangen",
        "buttons": (OutgoingButton("p.tok.ill", "Sjuk"), OutgoingButton("p.tok.call", "Ring mig")),
    }
    return OutboxMessage(**(fields | changes))


async def test_a_message_is_sent_to_the_recipient_s_chat_with_its_buttons(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.send_text(KARIN, "hej")  # the chat exists once the person has written to the bot
    result = await TelegramSender(telegram_bot).send(message())
    assert result == DeliveryResult.ok()
    (sent,) = api.messages_to(KARIN.id)
    assert sent.text == message().text
    assert sent.buttons == (("Sjuk", "p.tok.ill"), ("Ring mig", "p.tok.call"))


async def test_flood_control_asks_to_retry_after_what_telegram_said(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.send_text(KARIN, "hej")
    api.fail_next("sendMessage", retry_after=3)
    result = await TelegramSender(telegram_bot).send(message())
    assert (result.sent, result.unreachable, result.retry_after) == (
        False,
        False,
        timedelta(seconds=3),
    )
    assert api.messages_to(KARIN.id) == []


async def test_a_user_who_blocked_the_bot_is_never_tried_again(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.send_text(KARIN, "hej")
    api.block(KARIN.id)
    result = await TelegramSender(telegram_bot).send(message())
    assert (result.sent, result.unreachable) == (False, True)
    assert "blocked" in result.error


async def test_a_chat_telegram_does_not_know_is_never_tried_again(telegram_bot: Bot) -> None:
    result = await TelegramSender(telegram_bot).send(message(recipient=6999))
    assert (result.sent, result.unreachable, result.error) == (
        False,
        True,
        "Chat not found",
    )


async def test_when_telegram_cannot_be_reached_it_is_tried_again(
    api: FakeBotApi, telegram_bot: Bot
) -> None:
    api.stop()
    result = await TelegramSender(telegram_bot).send(message())
    assert (result.sent, result.unreachable, result.retry_after) == (False, False, None)
    assert result.error.startswith("NetworkError")
