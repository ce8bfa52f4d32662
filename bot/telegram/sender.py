"""The outbox's sender for Telegram: delivers one message, and says what became of it.

The dispatcher decides when to try again and when to give up; this only tells it what
Telegram said: wait this long, try again later, or this chat cannot be reached any more.
"""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.telegram.convert import outbox_messages
from bot.telegram.errors import chat_not_found, retry_after
from routine.outbox import DeliveryResult, OutboxMessage


class TelegramSender:
    """The `Sender` port for the platform "telegram"; the recipient is the chat id."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        try:
            for part in outbox_messages(message):
                await self._bot.send_message(chat_id=message.recipient, **part)
        except RetryAfter as error:
            return DeliveryResult.retry(error.message, after=retry_after(error))
        except Forbidden as error:
            # Blocked by the user, or the account is deleted: only the person can undo that.
            return DeliveryResult.never(error.message)
        except BadRequest as error:
            if chat_not_found(error):
                return DeliveryResult.never(error.message)
            return DeliveryResult.retry(error.message)
        except TelegramError as error:
            # Timeouts and network failures (NetworkError, TimedOut) and anything else passing.
            return DeliveryResult.retry(f"{type(error).__name__}: {error.message}")
        return DeliveryResult.ok()
