"""Sending the engine's replies to the chat they answer, in order.

Replies do not go through the outbox: the person is waiting for them now. They get a few quick
retries when Telegram asks us to wait or the network falters; after that, or if the chat
cannot be written to, the rest are given up on, and the operator's log says so.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.telegram import calls
from bot.telegram.convert import SendKwargs, reply_messages
from bot.telegram.errors import retry_after
from dialogs.events import Reply

log = logging.getLogger(__name__)

TRIES = 4
# After a network failure: 0.5 s, 1 s, 2 s.
FIRST_BACKOFF = timedelta(seconds=0.5)
# A reply that would come later than this is no longer an answer; Telegram rarely asks for it.
LONGEST_WAIT = timedelta(seconds=30)

Sleep = Callable[[float], Awaitable[object]]


async def send_replies(
    bot: Bot, chat_id: int | str, replies: Sequence[Reply], *, sleep: Sleep = asyncio.sleep
) -> bool:
    """True if every reply was sent. One given up on ends the sending: those after it would
    make no sense without it."""
    messages = [message for reply in replies for message in reply_messages(reply)]
    for sent, message in enumerate(messages):
        if not await send_with_retries(bot, chat_id, message, sleep=sleep):
            log.error(
                "gave up on %d of %d message(s) replying in a Telegram chat",
                len(messages) - sent,
                len(messages),
            )
            return False
    return True


async def send_with_retries(
    bot: Bot, chat_id: int | str, message: SendKwargs, *, sleep: Sleep = asyncio.sleep
) -> bool:
    for attempt in range(1, TRIES + 1):
        try:
            await calls.send_message(bot, chat_id, **message)
            return True
        except RetryAfter as error:
            wait = retry_after(error)
            if wait > LONGEST_WAIT:
                log.warning("Telegram asked to wait %s before replying: too long", wait)
                return False
            log.info(
                "Telegram asked to wait %s before replying; attempt %d of %d", wait, attempt, TRIES
            )
        except (BadRequest, Forbidden) as error:
            # The chat is gone, or the message cannot be sent as it is: again would not help.
            log.warning("Telegram refused a reply: %s", error.message)
            return False
        except NetworkError as error:
            wait = FIRST_BACKOFF * 2 ** (attempt - 1)
            log.info("sending a reply failed (%s); attempt %d of %d", error, attempt, TRIES)
        except TelegramError as error:
            log.warning("Telegram refused a reply: %s", error.message)
            return False
        if attempt < TRIES:
            await sleep(wait.total_seconds())
    return False
