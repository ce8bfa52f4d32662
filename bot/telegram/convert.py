"""Telegram's shapes to the engine's and back. Pure functions: no I/O, no decisions.

In: a message's text or a pressed button's `callback_data`, with who pressed it where, the
person's `language_code` as a locale hint, and whether the chat is private.
Out: `send_message` keyword arguments for a reply or an outbox message, with an inline keyboard
of one button per row whose `callback_data` is the engine's opaque button id. The keyboard is
Telegram's JSON shape, a plain dict: PTB sends it as it would send an `InlineKeyboardMarkup`,
without building the objects and taking them apart again (a tenth of a reply's cost). Forms
are Slack's: Telegram shows their text and buttons only, so flows offered on Telegram also
accept text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from telegram import Update
from telegram.constants import ChatType

from dialogs.events import ConversationKey, Incoming, Reply
from routine.outbox import OutboxMessage

PLATFORM = "telegram"
# Telegram's limits: text per message in UTF-16 code units, callback_data in bytes.
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

SendKwargs = dict[str, Any]


def incoming_from_update(update: Update) -> Incoming | None:
    """None for what the engine has no use for (edited messages, channel posts, inline
    queries) and for button presses on messages outside any chat, which cannot be answered."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    key = ConversationKey(platform=PLATFORM, chat=str(chat.id), user=str(user.id))
    about = {"key": key, "locale": user.language_code, "private": chat.type == ChatType.PRIVATE}
    if update.callback_query is not None:
        return Incoming(button=update.callback_query.data or "", **about)
    if update.message is not None:
        # A photo or a sticker has no text: the engine asks again for what it needs.
        return Incoming(text=update.message.text, **about)
    return None


def reply_messages(reply: Reply) -> list[SendKwargs]:
    """One or more `send_message` calls' arguments (without `chat_id`), in order."""
    return messages(reply.text, ((button.id, button.label) for button in reply.buttons))


def outbox_messages(message: OutboxMessage) -> list[SendKwargs]:
    """Like `reply_messages`; the caller adds `chat_id=message.recipient`."""
    return messages(message.text, ((button.id, button.label) for button in message.buttons))


def messages(text: str, buttons: Iterable[tuple[str, str]]) -> list[SendKwargs]:
    """Text too long for one message goes in several; the buttons come with the last."""
    parts: list[SendKwargs] = [{"text": part} for part in split_text(text)]
    keyboard = inline_keyboard(list(buttons))
    if keyboard is not None:
        parts[-1]["reply_markup"] = keyboard
    return parts


def inline_keyboard(buttons: Sequence[tuple[str, str]]) -> dict[str, Any] | None:
    """One button per row, as the engine lists them: labels are often whole phrases."""
    if not buttons:
        return None
    for button_id, _label in buttons:
        if len(button_id.encode()) > MAX_CALLBACK_DATA:
            raise ValueError(f"button id {button_id!r} is longer than Telegram's 64 bytes")
    return {
        "inline_keyboard": [
            [{"text": label, "callback_data": button_id}] for button_id, label in buttons
        ]
    }


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut after a line where one ends in reach."""
    pieces: list[str] = []
    rest = text
    while telegram_length(rest) > limit:
        cut = _longest_prefix(rest, limit)
        line_end = rest.rfind("\n", 0, cut)
        if line_end > 0:
            cut = line_end + 1
        pieces.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:]
    pieces.append(rest)
    return [piece for piece in pieces if piece] or [text]


def telegram_length(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the BMP counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _longest_prefix(text: str, limit: int) -> int:
    length = 0
    for index, character in enumerate(text):
        length += telegram_length(character)
        if length > limit:
            return index
    return len(text)
