"""Staff on Slack, scripted: they write DMs and press the buttons they see, by their labels.

For an app in another process (`narvaro run`): every call blocks until the app has answered.
"""

from __future__ import annotations

import itertools
import time

from tests.slack.fake_slack_api import TEAM, FakeSlackApi, Posted
from tests.slack.signing import event_body, interaction_body, post

EVENT_IDS = itertools.count(1)


class StaffMember:
    def __init__(self, api: FakeSlackApi, events_url: str, user: str, locale: str) -> None:
        self.api = api
        self.events_url = events_url
        self.user = user
        api.locales[user] = locale

    @property
    def messages(self) -> list[Posted]:
        """Everything the app has written to this person, oldest first."""
        return self.api.posted_to(self.user)

    def say(self, text: str, *, replies: int | None = None) -> list[Posted]:
        before = len(self.messages)
        status, _ = self.send_event(self.message_event(text))
        assert status == 200
        return self.answer(before, replies)

    def message_event(self, text: str) -> dict:
        return {
            "type": "message",
            "channel": "D" + self.user,
            "channel_type": "im",
            "user": self.user,
            "text": text,
            "ts": f"{time.time():.6f}",
        }

    def send_event(
        self, event: dict, *, event_id: str | None = None, **options
    ) -> tuple[int, str]:
        body, content_type = event_body(
            event, team=TEAM, event_id=event_id or f"Ev{next(EVENT_IDS):08d}"
        )
        return post(self.events_url, body, content_type, **options)

    def press(self, label: str, *, replies: int | None = None) -> list[Posted]:
        """Press the button labelled `label` under the app's latest question."""
        before = len(self.messages)
        status, _ = self.press_value(self.question().value_of(label))
        assert status == 200
        return self.answer(before, replies)

    def press_value(self, value: str, **options) -> tuple[int, str]:
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": self.user, "team_id": TEAM},
            "api_app_id": "A0NARVARO",
            "trigger_id": "1.2.3",
            "container": {"type": "message", "channel_id": "D" + self.user},
            "channel": {"id": "D" + self.user},
            "actions": [{"type": "button", "action_id": value, "value": value}],
        }
        body, content_type = interaction_body(payload)
        return post(self.events_url, body, content_type, **options)

    def question(self) -> Posted:
        return next(message for message in reversed(self.messages) if message.buttons)

    def answer(self, before: int, replies: int | None) -> list[Posted]:
        def complete() -> list[Posted] | None:
            new = self.messages[before:]
            if replies is not None:
                return new if len(new) >= replies else None
            return new if new and new[-1].buttons else None

        return self.api.wait_until(complete)
