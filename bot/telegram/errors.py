"""What Telegram's errors mean for a message: wait, try again, or give up on the chat."""

from __future__ import annotations

from datetime import timedelta

from telegram.error import BadRequest, RetryAfter


def retry_after(error: RetryAfter) -> timedelta:
    """How long Telegram asked us to wait (seconds before PTB's timedelta opt-in, after it a
    timedelta; see `bot.telegram`)."""
    wait = error.retry_after
    return wait if isinstance(wait, timedelta) else timedelta(seconds=wait)


def chat_not_found(error: BadRequest) -> bool:
    """The chat is gone or never talked to the bot: sending again cannot help."""
    return "chat not found" in error.message.lower()
