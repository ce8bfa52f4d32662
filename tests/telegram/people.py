"""People on Telegram, scripted: they write, and press the buttons they see by their labels.

For a bot in another process (`narvaro run`): every call blocks until the bot has answered.
"""

from __future__ import annotations

from dialogs.i18n import _, use_locale
from tests.telegram.fake_bot_api import Chat, FakeBotApi, SentMessage, TelegramUser


def say_in(locale: str, msgid: str) -> str:
    """What the person reads in their language for this English msgid."""
    with use_locale(locale):
        return _(msgid)


class Person:
    def __init__(self, api: FakeBotApi, user: TelegramUser, chat: Chat | None = None) -> None:
        self.api = api
        self.user = user
        self.chat = chat or Chat.private_with(user)

    @property
    def messages(self) -> list[SentMessage]:
        """Everything the bot has written in this chat, oldest first."""
        return self.api.messages_to(self.chat.id)

    def say(self, text: str, *, replies: int | None = None) -> list[SentMessage]:
        """Write `text`; the bot's answer. Without `replies`, the answer is complete when it
        ends with a question, i.e. with buttons."""
        before = len(self.messages)
        self.api.send_text(self.user, text, chat=self.chat)
        return self._answer(before, replies)

    def press(self, label: str, *, replies: int | None = None) -> list[SentMessage]:
        """Press the button labelled `label` under the bot's latest question."""
        shown = self.question()
        return self.press_data(shown.data_of(label), under=shown, replies=replies)

    def press_data(
        self, data: str, *, under: SentMessage | None = None, replies: int | None = None
    ) -> list[SentMessage]:
        """Press a button carrying `data`, as a forged or stale press would."""
        before = len(self.messages)
        query = self.api.press(self.user, data, under=under, chat=self.chat)
        answer = self._answer(before, replies)
        acknowledged = {
            call.params["callback_query_id"] for call in self.api.calls_of("answerCallbackQuery")
        }
        assert query in acknowledged, "the press was never acknowledged: the button spins on"
        return answer

    def question(self) -> SentMessage:
        """The latest message with buttons."""
        return next(message for message in reversed(self.messages) if message.buttons)

    def _answer(self, before: int, replies: int | None) -> list[SentMessage]:
        def complete() -> list[SentMessage] | None:
            new = self.messages[before:]
            if replies is not None:
                return new if len(new) >= replies else None
            return new if new and new[-1].buttons else None

        return self.api.wait_until(complete)
