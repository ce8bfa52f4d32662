"""The Bot API calls of a conversation's hot path, without PTB's objects for their answers.

PTB's `send_message` and `edit_message_reply_markup` build a `Message` (with its chat, sender
and keyboard) from Telegram's answer; a reply never reads it, and building it cost as much as
the rest of the call. These go through `Bot._post`, the one way in that PTB's own methods take:
the same request, the same defaults, `None` values left out, and the same errors raised
(`RetryAfter`, `BadRequest`, `Forbidden`, `NetworkError`, ...); they return Telegram's JSON.
"""

from __future__ import annotations

from typing import Any

from telegram import Bot


async def send_message(bot: Bot, chat_id: int | str, **message: Any) -> Any:
    """`bot.send_message(chat_id=..., **message)`, answered with Telegram's JSON."""
    return await bot._post("sendMessage", {"chat_id": chat_id, **message})


async def answer_callback_query(bot: Bot, query_id: str) -> Any:
    """Stop the spinner on a pressed button."""
    return await bot._post("answerCallbackQuery", {"callback_query_id": query_id})


async def remove_keyboard(
    bot: Bot, chat_id: int | str, message_id: int, business_connection_id: str | None = None
) -> Any:
    """Take the inline keyboard off a message."""
    return await bot._post(
        "editMessageReplyMarkup",
        {
            "chat_id": chat_id,
            "message_id": message_id,
            "business_connection_id": business_connection_id,
        },
    )
