"""What Telegram's side of a chat looks like in the fake Bot API: the bot's own user, people and
chats, the messages the bot sent as a person sees them, and the JSON of the updates Telegram
hands the bot when someone writes or presses a button.

Kept apart from the server (`fake_bot_api`), which records what the bot called and answers it;
tests that only build updates (a webhook's body, say) need no server.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Any

TOKEN = "4242424242:FAKE-token-for-tests_only"
BOT_USER = {
    "id": 4242424242,
    "is_bot": True,
    "first_name": "Närvaro",
    "username": "narvaro_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    language_code: str | None = None

    def as_json(self) -> dict[str, Any]:
        user = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        return user | ({"language_code": self.language_code} if self.language_code else {})


@dataclass(frozen=True)
class Chat:
    id: int
    type: str = "private"
    title: str = ""

    @classmethod
    def private_with(cls, user: TelegramUser) -> Chat:
        return cls(id=user.id)

    def as_json(self) -> dict[str, Any]:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": "someone"}
        return {"id": self.id, "type": self.type, "title": self.title or "a group"}


@dataclass(frozen=True)
class SentMessage:
    """A message the bot sent, as the person sees it: text, then buttons (label, data)."""

    message_id: int
    chat_id: int
    text: str
    buttons: tuple[tuple[str, str], ...] = ()

    @property
    def labels(self) -> list[str]:
        return [label for label, _data in self.buttons]

    def data_of(self, label: str) -> str:
        for shown, data in self.buttons:
            if shown == label:
                return data
        raise AssertionError(f"no button {label!r} under {self.text!r}; there are {self.labels}")


# Ids as Telegram hands them out: unique, whichever test or fake asks.
message_ids = itertools.count(1)
_query_ids = itertools.count(1)


def text_update(
    update_id: int, user: TelegramUser, text: str, chat: Chat | None = None
) -> dict[str, Any]:
    """The JSON of an update in which `user` wrote `text` (in private, unless `chat`)."""
    chat = chat or Chat.private_with(user)
    message: dict[str, Any] = {
        "message_id": next(message_ids),
        "date": int(time.time()),
        "chat": chat.as_json(),
        "from": user.as_json(),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id, "message": message}


def press_update(
    update_id: int,
    user: TelegramUser,
    data: str,
    *,
    under: SentMessage | None = None,
    chat: Chat | None = None,
) -> dict[str, Any]:
    """The JSON of an update in which `user` pressed a button with this `callback_data`."""
    chat = chat or Chat.private_with(user)
    message = {
        "message_id": under.message_id if under else next(message_ids),
        "date": int(time.time()),
        "chat": chat.as_json(),
        "from": BOT_USER,
        "text": under.text if under else "…",
    }
    query = {
        "id": f"q{next(_query_ids)}",
        "from": user.as_json(),
        "chat_instance": f"instance-{chat.id}",
        "data": data,
        "message": message,
    }
    return {"update_id": update_id, "callback_query": query}
