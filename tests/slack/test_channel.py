"""The Slack channel in-process: bolt receiving signed requests on the shared HTTP server, a
recording stand-in for the engine, and the fake Web API for what it writes back. What the
end-to-end tests leave out: the slash command, the App Home tab, forms and modals."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import OperatorError
from bot.http import HttpServer
from bot.slack.app import SlackChannel, build_app
from bot.slack.convert import HOME, OPEN_FORM, reply_messages
from dialogs.events import Button, Form, FormField, Incoming, Reply
from tests.raw_http import raw_post
from tests.slack.fake_slack_api import TEAM, FakeSlackApi, Posted
from tests.slack.signing import SIGNING_SECRET, interaction_body, post, signed_headers

FORM = Form("5.note", "Anteckning", (FormField("note", "Vad?"),), "Skicka")


@dataclass
class RecordingDialogs:
    replies: list[Reply] = field(default_factory=lambda: [Reply("Meny", (Button("1.0", "A"),))])
    seen: list[Incoming] = field(default_factory=list)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return list(self.replies)


@dataclass
class Running:
    channel: SlackChannel
    dialogs: RecordingDialogs
    url: str

    async def post(self, body: str, content_type: str) -> int:
        status, _ = await asyncio.to_thread(post, self.url, body, content_type)
        await asyncio.sleep(0)
        await self.channel.stop()  # waits for the work after the acknowledgement
        return status


@pytest.fixture
async def running(slack_api: FakeSlackApi) -> AsyncIterator[Running]:
    dialogs = RecordingDialogs()
    channel = SlackChannel(
        build_app(slack_api.token, SIGNING_SECRET, slack_api.url),
        dialogs,
        signing_secret=SIGNING_SECRET,
    )
    http = HttpServer("127.0.0.1", 0)
    channel.mount(http)
    await channel.start()
    await http.start()
    try:
        yield Running(channel, dialogs, f"http://127.0.0.1:{http.port}/slack/events")
    finally:
        await http.stop()
        await channel.stop()


async def test_the_slash_command_shows_the_menu_in_the_dm(
    running: Running, slack_api: FakeSlackApi
) -> None:
    body = f"command=%2Fnarvaro&text=&team_id={TEAM}&user_id=U1&channel_id=C9&trigger_id=1"
    assert await running.post(body, "application/x-www-form-urlencoded") == 200
    (incoming,) = running.dialogs.seen
    assert (incoming.text, incoming.key.chat, incoming.key.user) == ("/today", "U1", "U1")
    assert [m.channel for m in slack_api.posted] == ["U1"]


async def test_the_home_tab_shows_the_menu(running: Running, slack_api: FakeSlackApi) -> None:
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    envelope = {"type": "event_callback", "team_id": TEAM, "event": event, "event_id": "Ev1"}
    assert await running.post(json.dumps(envelope), "application/json") == 200
    (incoming,) = running.dialogs.seen
    assert (incoming.key.chat, incoming.text) == (HOME, "/today")
    (call,) = slack_api.calls_of("views.publish")
    assert call.params["user_id"] == "U1"
    assert call.params["view"]["type"] == "home"
    assert slack_api.posted == []


async def test_a_reply_with_a_form_opens_it_as_a_modal(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Skriv en anteckning", form=FORM)]
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "trigger_id": "7.7",
        "container": {"type": "message"},
        "actions": [{"action_id": "4.1", "value": "4.1"}],
    }
    assert await running.post(*interaction_body(payload)) == 200
    (call,) = slack_api.calls_of("views.open")
    view = call.params["view"]
    assert (call.params["trigger_id"], view["callback_id"]) == ("7.7", "5.note")
    # The modal is the question: it says what is asked, and the DM gets no message for it.
    assert view["blocks"][0]["text"]["text"] == "Skriv en anteckning"
    assert slack_api.posted == []


PRESS_UNDER_A_MESSAGE = {
    "type": "block_actions",
    "team": {"id": TEAM},
    "user": {"id": "U1"},
    "trigger_id": "7.7",
    "container": {"type": "message", "channel_id": "DU1", "message_ts": "100.1"},
}
MENU_AGAIN = Reply("Vad mer?", (Button("9.0", "Upprop"),), repeats_menu=True)


def submission(private_metadata: str) -> dict:
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": "5.note",
            "private_metadata": private_metadata,
            "state": {"values": {"note": {"note": {"type": "plain_text_input", "value": "x"}}}},
        },
    }


@pytest.mark.parametrize(
    ("block_id", "origin"), [("reply.0", "reply:DU1:100.1"), ("", "outbox:DU1:100.1")]
)
async def test_a_modal_remembers_the_message_it_was_opened_from(
    running: Running, slack_api: FakeSlackApi, block_id: str, origin: str
) -> None:
    running.dialogs.replies = [Reply("Skriv en anteckning", form=FORM)]
    action = {"action_id": "4.1", "value": "4.1", "block_id": block_id}
    await running.post(*interaction_body(PRESS_UNDER_A_MESSAGE | {"actions": [action]}))
    (call,) = slack_api.calls_of("views.open")
    assert call.params["view"]["private_metadata"] == f"U1 {origin}"


async def test_an_outcome_replaces_the_reply_the_modal_came_from(
    running: Running, slack_api: FakeSlackApi
) -> None:
    (asked,) = await post_reply(slack_api, "Skriv en anteckning")
    running.dialogs.replies = [Reply("Sparat."), MENU_AGAIN]
    await running.post(*interaction_body(submission(f"U1 reply:{asked.conversation}:{asked.ts}")))
    (incoming,) = running.dialogs.seen
    assert (incoming.key.chat, incoming.form) == ("U1", {"note": "x"})
    (edited,) = slack_api.posted
    assert (edited.ts, edited.shown, edited.edits, edited.buttons) == (asked.ts, "Sparat.", 1, [])


async def test_an_outcome_the_outbox_message_shows_is_not_said_again(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Sparat.", shown_in_place=True), MENU_AGAIN]
    await running.post(*interaction_body(submission("U1 outbox:DU1:100.1")))
    assert slack_api.posted == [] and slack_api.calls_of("chat.update") == []


async def test_an_outcome_the_outbox_message_does_not_show_is_posted(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Knappen har gått ut."), MENU_AGAIN]
    await running.post(*interaction_body(submission("U1 outbox:DU1:100.1")))
    assert [m.shown for m in slack_api.posted] == ["Knappen har gått ut."]


async def test_a_form_asked_again_after_a_submission_is_posted_with_its_button(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Fyll i: Vad?"), Reply("Skriv en anteckning", form=FORM)]
    await running.post(*interaction_body(submission("U1 reply:DU1:100.1")))
    assert [m.shown for m in slack_api.posted] == ["Fyll i: Vad?", "Skriv en anteckning"]
    assert slack_api.posted[1].buttons == [("Anteckning", OPEN_FORM + "5.note")]
    assert slack_api.calls_of("chat.update") == []


async def test_the_menu_again_is_left_out_of_a_dm_answer(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Dagens frånvaro: ingen."), MENU_AGAIN]
    action = {"action_id": "4.1", "value": "4.1", "block_id": "reply.0"}
    await running.post(*interaction_body(PRESS_UNDER_A_MESSAGE | {"actions": [action]}))
    assert [m.shown for m in slack_api.posted] == ["Dagens frånvaro: ingen."]


async def test_a_menu_that_is_all_there_is_to_say_is_posted(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [MENU_AGAIN]
    action = {"action_id": "4.1", "value": "4.1", "block_id": "reply.0"}
    await running.post(*interaction_body(PRESS_UNDER_A_MESSAGE | {"actions": [action]}))
    assert [m.labels for m in slack_api.posted] == [["Upprop"]]


async def test_the_home_tab_keeps_the_menu_after_an_answer(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Dagens frånvaro: ingen."), MENU_AGAIN]
    press = PRESS_UNDER_A_MESSAGE | {
        "container": {"type": "view", "view_id": "V1"},
        "actions": [{"action_id": "4.1", "value": "4.1"}],
    }
    await running.post(*interaction_body(press))
    (call,) = slack_api.calls_of("views.publish")
    assert "Upprop" in json.dumps(call.params["view"], ensure_ascii=False)
    assert slack_api.posted == []


async def post_reply(slack_api: FakeSlackApi, text: str) -> list[Posted]:
    """A reply the app wrote earlier, as the DM holds it."""
    client = AsyncWebClient(token=slack_api.token, base_url=slack_api.url)
    for kwargs in reply_messages(Reply(text, form=FORM), form_button=True):
        await client.chat_postMessage(channel="U1", **kwargs)
    return slack_api.posted


async def test_a_form_slack_would_not_open_gets_a_button_that_opens_it(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Skriv en anteckning", form=FORM)]
    slack_api.fail_next("views.open", "expired_trigger_id")
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "trigger_id": "7.7",
        "container": {"type": "message"},
        "actions": [{"action_id": "4.1", "value": "4.1"}],
    }
    await running.post(*interaction_body(payload))
    (posted,) = slack_api.posted
    assert posted.buttons == [("Anteckning", OPEN_FORM + "5.note")]
    # Pressing it opens the form, without troubling the engine.
    press = payload | {"actions": [{"action_id": "x", "value": OPEN_FORM + "5.note"}]}
    await running.post(*interaction_body(press))
    assert len(running.dialogs.seen) == 1
    assert slack_api.calls_of("views.open")[-1].status == 200


async def test_a_submitted_modal_goes_to_its_conversation(running: Running) -> None:
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "view": {
            "type": "modal",
            "callback_id": "5.note",
            "private_metadata": "U1",
            "state": {"values": {"note": {"note": {"type": "plain_text_input", "value": "Hej"}}}},
        },
    }
    assert await running.post(*interaction_body(payload)) == 200
    (incoming,) = running.dialogs.seen
    assert (incoming.form, incoming.form_id, incoming.key.chat) == (
        {"note": "Hej"},
        "5.note",
        "U1",
    )


async def test_the_persons_slack_locale_is_the_hint(
    running: Running, slack_api: FakeSlackApi
) -> None:
    slack_api.locales["U1"] = "nb-NO"
    body = f"command=%2Fnarvaro&text=&team_id={TEAM}&user_id=U1&channel_id=C9&trigger_id="
    await running.post(body + "1", "application/x-www-form-urlencoded")
    await running.post(body + "2", "application/x-www-form-urlencoded")
    assert [i.locale for i in running.dialogs.seen] == ["nb-NO", "nb-NO"]
    assert len(slack_api.calls_of("users.info")) == 1  # asked once, then remembered


async def test_a_refused_token_stops_the_start_with_a_clear_error(
    slack_api: FakeSlackApi,
) -> None:
    channel = SlackChannel(
        build_app("xoxb-wrong", SIGNING_SECRET, slack_api.url),
        RecordingDialogs(),
        api_url=slack_api.url,
    )
    with pytest.raises(OperatorError, match=r"NARVARO_SLACK_BOT_TOKEN.*invalid_auth"):
        await channel.start()
    await channel.stop()


# Malformed authentication: refused unread, with one line in the log and no traceback


def signed_header_pairs(timestamp: bytes, signature: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"Content-Type", b"application/json"),
        (b"X-Slack-Request-Timestamp", timestamp),
        (b"X-Slack-Signature", signature),
    ]


def home_opened(event_id: str) -> bytes:
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
    envelope = {"type": "event_callback", "team_id": TEAM, "event": event, "event_id": event_id}
    return json.dumps(envelope).encode()


@pytest.mark.parametrize(
    ("timestamp", "signature", "why"),
    [
        (b"abc", None, "a timestamp that is not a number"),
        (b"1.7e9", None, "a timestamp that is not a number"),
        ("١٧٦٤٠٠٠٠٠٠".encode(), None, "a timestamp that is not a number"),
        (b"\xff\xfe", None, "a timestamp that is not a number"),
        (b"99999999999999999999999999", None, "a timestamp that is not a number"),
        (None, "v0=ä".encode(), "a malformed signature"),
        (None, b"v0=\xff", "a malformed signature"),
    ],
)
async def test_malformed_signature_headers_get_401_and_one_line(
    running: Running,
    caplog: pytest.LogCaptureFixture,
    timestamp: bytes | None,
    signature: bytes | None,
    why: str,
) -> None:
    body = home_opened("EvMALFORMED")
    now = str(int(time.time()))
    good = signed_headers(body.decode(), timestamp=int(now))["X-Slack-Signature"]
    headers = signed_header_pairs(timestamp or now.encode(), signature or good.encode())
    with caplog.at_level(logging.DEBUG):
        assert await raw_post(running.url, headers, body) == 401
    await running.channel.stop()
    assert running.dialogs.seen == []
    ours = [r.getMessage() for r in caplog.records if r.name == "bot.slack.app"]
    assert ours == [f"refused a request to /slack/events: {why}"]
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_a_signed_body_that_is_not_utf8_is_refused(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'{"type": "event_callback", "token": "\xff"}'
    stamp = str(int(time.time()))
    base = b"v0:" + stamp.encode() + b":" + body
    sig = "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    headers = signed_header_pairs(stamp.encode(), sig.encode())
    with caplog.at_level(logging.DEBUG):
        assert await raw_post(running.url, headers, body) == 400
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


# Copies of one signed request are handled once: interactive payloads have no event id


def press_payload(action_ts: str) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "trigger_id": f"trigger-{action_ts}",
        "container": {"type": "message", "channel_id": "D1", "message_ts": "1.0"},
        "channel": {"id": "D1"},
        "actions": [
            {"action_id": "1.0", "value": "1.0", "type": "button", "action_ts": action_ts}
        ],
    }


async def test_five_copies_of_a_signed_button_press_are_handled_once(
    running: Running,
) -> None:
    body, content_type = interaction_body(press_payload("1764000000.1"))
    headers = signed_headers(body)
    statuses = [
        (await asyncio.to_thread(post, running.url, body, content_type, headers=headers))[0]
        for _ in range(5)
    ]
    other, _ = interaction_body(press_payload("1764000000.2"))
    statuses.append((await asyncio.to_thread(post, running.url, other, content_type))[0])
    await running.channel.stop()
    assert statuses == [200] * 6  # a copy is acknowledged, not refused: it changes nothing
    assert [i.button for i in running.dialogs.seen] == ["1.0", "1.0"]


async def test_a_closed_modal_cancels_its_form_quietly(
    running: Running, slack_api: FakeSlackApi
) -> None:
    running.dialogs.replies = [Reply("Avbrutet."), MENU_AGAIN]
    closed = submission("U1 outbox:DU1:100.1") | {"type": "view_closed"}
    assert await running.post(*interaction_body(closed)) == 200
    (incoming,) = running.dialogs.seen
    assert (incoming.key.chat, incoming.text, incoming.form_id) == ("U1", "/cancel", "5.note")
    assert slack_api.posted == [] and slack_api.calls_of("chat.update") == []


async def test_a_modal_says_when_it_is_closed(running: Running, slack_api: FakeSlackApi) -> None:
    running.dialogs.replies = [Reply("Skriv en anteckning", form=FORM)]
    action = {"action_id": "4.1", "value": "4.1", "block_id": "reply.0"}
    await running.post(*interaction_body(PRESS_UNDER_A_MESSAGE | {"actions": [action]}))
    (call,) = slack_api.calls_of("views.open")
    assert call.params["view"]["notify_on_close"] is True
