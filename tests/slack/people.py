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
        question = self.question()
        status, _ = self.press_value(question.value_of(label), under=question)
        assert status == 200
        return self.answer(before, replies)

    def press_value(
        self, value: str, *, under: Posted | None = None, **options
    ) -> tuple[int, str]:
        """As Slack sends a press: with the message the button is `under`, its channel and
        ts, and the id of the button's block."""
        container = {"type": "message", "channel_id": "D" + self.user}
        # Each press has its own action_ts, as Slack's do: two presses are two requests.
        action = {
            "type": "button",
            "action_id": value,
            "value": value,
            "action_ts": f"{time.time():.6f}",
        }
        if under is not None:
            container |= {"channel_id": under.conversation, "message_ts": under.ts}
            action["block_id"] = next(
                block.get("block_id", "")
                for block in under.blocks
                if block.get("type") == "actions"
                and any(element.get("value") == value for element in block["elements"])
            )
        payload = {
            "type": "block_actions",
            "team": {"id": TEAM},
            "user": {"id": self.user, "team_id": TEAM},
            "api_app_id": "A0NARVARO",
            "trigger_id": "1.2.3",
            "container": container,
            "channel": {"id": container["channel_id"]},
            "actions": [action],
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


def chosen_options(view: dict, block_id: str) -> list[dict]:
    """The options a select in the modal starts with."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    element = block["element"]
    if "initial_options" in element:
        return list(element["initial_options"])
    return [element["initial_option"]] if "initial_option" in element else []


def options_of(view: dict, block_id: str) -> dict[str, dict]:
    """A select's options by their labels."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return {o["text"]["text"]: o for o in block["element"]["options"]}


def submit_view(
    member: StaffMember, view: dict, values: dict[str, list[str] | str]
) -> tuple[int, str]:
    """Submit a modal the app opened, as Slack would: each input block's state, with the
    options picked by label (selects) or the text typed (text inputs)."""
    state: dict[str, dict] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        name = element["action_id"]
        wanted = values.get(block["block_id"], values.get(name))
        kind = element["type"]
        if kind == "plain_text_input":
            state[block["block_id"]] = {name: {"type": kind, "value": wanted or None}}
            continue
        options = {o["text"]["text"]: o for o in element["options"]}
        picked = [options[label] for label in (wanted or []) if label in options]
        if kind == "multi_static_select":
            state[block["block_id"]] = {name: {"type": kind, "selected_options": picked}}
        else:
            state[block["block_id"]] = {
                name: {"type": kind, "selected_option": picked[0] if picked else None}
            }
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": member.user, "team_id": TEAM},
        "api_app_id": "A0NARVARO",
        "trigger_id": "4.5.6",
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": view["callback_id"],
            "private_metadata": view.get("private_metadata", ""),
            "state": {"values": state},
        },
    }
    body, content_type = interaction_body(payload)
    return post(member.events_url, body, content_type)
