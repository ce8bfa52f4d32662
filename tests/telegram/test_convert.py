"""Telegram's updates become the engine's events; its replies become send_message arguments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import CallbackQuery, Chat, InlineKeyboardMarkup, Message, Update, User

from bot.telegram.convert import (
    incoming_from_update,
    outbox_messages,
    reply_messages,
    split_text,
    telegram_length,
)
from dialogs.events import Button, ConversationKey, Incoming, Reply
from routine.outbox import OutboxMessage, OutgoingButton

KARIN = User(id=5001, first_name="Karin", is_bot=False, language_code="sv")
PRIVATE = Chat(id=5001, type="private")
GROUP = Chat(id=-100777, type="supergroup", title="Klass 7A")
NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def text_update(text: str | None, chat: Chat = PRIVATE, user: User = KARIN) -> Update:
    return Update(1, message=Message(10, NOW, chat, from_user=user, text=text))


def press_update(data: str, chat: Chat = PRIVATE, user: User = KARIN) -> Update:
    shown = Message(11, NOW, chat, text="Vad vill du göra?")
    return Update(2, callback_query=CallbackQuery("q1", user, "ci", message=shown, data=data))


def test_a_private_text_is_the_person_s_text_with_their_language_as_a_hint() -> None:
    assert incoming_from_update(text_update("/start ABCDE12345")) == Incoming(
        key=ConversationKey(platform="telegram", chat="5001", user="5001"),
        text="/start ABCDE12345",
        locale="sv",
        private=True,
    )


def test_a_pressed_button_is_its_callback_data() -> None:
    incoming = incoming_from_update(press_update("3.1"))
    assert incoming is not None
    assert (incoming.button, incoming.text, incoming.key.chat) == ("3.1", None, "5001")


def test_in_a_group_the_event_says_it_is_not_private() -> None:
    incoming = incoming_from_update(text_update("hej", chat=GROUP))
    assert incoming is not None
    assert (incoming.private, incoming.key.chat, incoming.key.user) == (False, "-100777", "5001")


def test_a_message_without_text_reaches_the_engine_without_text() -> None:
    incoming = incoming_from_update(text_update(None))
    assert incoming is not None and incoming.text is None and incoming.button is None


def test_an_unknown_language_is_passed_on_for_the_engine_to_judge() -> None:
    someone = User(id=9, first_name="Jo", is_bot=False, language_code="en")
    incoming = incoming_from_update(text_update("hi", user=someone))
    assert incoming is not None and incoming.locale == "en"


def test_updates_the_engine_has_no_use_for_are_dropped() -> None:
    edited = Update(3, edited_message=Message(10, NOW, PRIVATE, from_user=KARIN, text="x"))
    inline_press = Update(4, callback_query=CallbackQuery("q", KARIN, "ci", data="1.0"))
    assert (incoming_from_update(edited), incoming_from_update(inline_press)) == (None, None)


def keyboard(kwargs: dict) -> list[list[tuple[str, str | None]]]:
    """The keyboard as Telegram reads it: PTB's own `InlineKeyboardMarkup` of the JSON sent."""
    markup = InlineKeyboardMarkup.de_json(kwargs["reply_markup"], None)
    return [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]


def test_a_reply_s_buttons_are_one_per_row_with_the_engine_s_ids() -> None:
    reply = Reply("När?", (Button("4.0", "I dag"), Button("4.1", "Andra dagar")))
    (message,) = reply_messages(reply)
    assert message["text"] == "När?"
    assert keyboard(message) == [[("I dag", "4.0")], [("Andra dagar", "4.1")]]


def test_a_reply_without_buttons_has_no_keyboard() -> None:
    assert reply_messages(Reply("Tack!")) == [{"text": "Tack!"}]


def test_an_outbox_message_converts_like_a_reply() -> None:
    message = OutboxMessage(
        key="k",
        platform="telegram",
        recipient="5001",
        text="Alva är frånvarande i dag.",
        kind="unreported-prompt",
        school_key="se-bjorkangen",
        buttons=(OutgoingButton("p.tok.ill", "Sjuk"),),
    )
    (sent,) = outbox_messages(message)
    assert (sent["text"], keyboard(sent)) == (message.text, [[("Sjuk", "p.tok.ill")]])


def test_a_button_id_longer_than_telegram_allows_is_refused_not_cut() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        reply_messages(Reply("x", (Button("å" * 33, "Ja"),)))


def test_a_long_text_is_split_at_line_ends_and_the_buttons_come_last() -> None:
    lines = [f"• Elev {n}: Sjuk, hela dagen" for n in range(400)]
    reply = Reply("\n".join(lines), (Button("1.0", "OK"),))
    parts = reply_messages(reply)
    assert len(parts) > 1
    assert all(telegram_length(part["text"]) <= 4096 for part in parts)
    assert "\n".join(part["text"] for part in parts).splitlines() == lines
    assert ["reply_markup" in part for part in parts] == [False] * (len(parts) - 1) + [True]


def test_splitting_counts_as_telegram_does_and_cuts_a_line_with_no_end_in_reach() -> None:
    assert telegram_length("😀a") == 3
    assert split_text("😀" * 5, limit=4) == ["😀😀", "😀😀", "😀"]
    assert split_text("short") == ["short"]
