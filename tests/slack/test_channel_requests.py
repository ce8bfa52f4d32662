"""The Slack channel in-process, at the door: a refused token stops the start with a clear
error, malformed or unsigned requests are refused unread with one line in the log, and copies
of one signed press are handled once."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator

import pytest

from bot.errors import OperatorError
from bot.slack.app import SlackChannel, build_app
from tests.raw_http import raw_post
from tests.slack.channel_world import RecordingDialogs, Running, running_channel
from tests.slack.fake_slack_api import TEAM, FakeSlackApi
from tests.slack.signing import SIGNING_SECRET, interaction_body, post, signed_headers


@pytest.fixture
async def running(slack_api: FakeSlackApi) -> AsyncIterator[Running]:
    async with running_channel(slack_api) as channel:
        yield channel


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
