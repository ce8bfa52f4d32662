"""Slack in Socket Mode: the app opens a WebSocket (the URL from apps.connections.open, asked
with the app-level token) and Slack's requests come over it as envelopes, each acknowledged by
its id. No public URL, and no signing secret.

First the channel in-process, with a recording stand-in for the engine; then the real
`narvaro run` process against the fake Slack, on both databases, with the demo schools.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.errors import OperatorError
from bot.slack.app import SlackChannel, build_app
from dialogs.events import Button, Incoming, Reply
from tests.conftest import BACKENDS
from tests.slack.fake_slack_api import TEAM, FakeSlackApi
from tests.slack.people import StaffMember
from tests.slack.service import running_slack_service
from tests.telegram.people import say_in
from tests.telegram.service import load_demo_schools, module_database

EVENT_IDS = itertools.count(1)


def message_envelope(user: str, text: str, *, event_id: str | None = None) -> dict[str, Any]:
    """The payload of an events_api envelope: the Events API callback, as over HTTP."""
    event = {
        "type": "message",
        "channel": "D" + user,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": f"{time.time():.6f}",
    }
    return {
        "type": "event_callback",
        "team_id": TEAM,
        "api_app_id": "A0NARVARO",
        "event": event,
        "event_id": event_id or f"EvSOCKET{next(EVENT_IDS):06d}",
        "event_time": int(time.time()),
    }


def button_press(user: str, value: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user, "team_id": TEAM},
        "api_app_id": "A0NARVARO",
        "trigger_id": "1.2.3",
        "container": {"type": "message", "channel_id": "D" + user},
        "channel": {"id": "D" + user},
        "actions": [{"type": "button", "action_id": value, "value": value}],
    }


# The channel in-process


@dataclass
class RecordingDialogs:
    seen: list[Incoming] = field(default_factory=list)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return [Reply("Meny", (Button("1.0", "A"),))]


def socket_channel(api: FakeSlackApi, dialogs: RecordingDialogs, app_token: str) -> SlackChannel:
    # No signing secret: Socket Mode needs none.
    app = build_app(api.token, "", api.url, socket_mode=True)
    return SlackChannel(app, dialogs, api_url=api.url, app_token=app_token)


@dataclass
class Connected:
    channel: SlackChannel
    dialogs: RecordingDialogs
    api: FakeSlackApi

    async def push(self, kind: str, payload: dict[str, Any], **options: Any) -> str:
        """Send an envelope and wait until the app acknowledges it."""
        envelope_id = await asyncio.to_thread(self.api.push, kind, payload, **options)
        return await asyncio.to_thread(self.api.wait_for_ack, envelope_id)


@pytest.fixture
async def connected(slack_api: FakeSlackApi) -> AsyncIterator[Connected]:
    dialogs = RecordingDialogs()
    channel = socket_channel(slack_api, dialogs, slack_api.app_token)
    try:
        await channel.start()
        yield Connected(channel, dialogs, slack_api)
    finally:
        await channel.stop()


async def test_every_kind_of_envelope_is_acknowledged_and_answered(
    connected: Connected, slack_api: FakeSlackApi
) -> None:
    command = {"command": "/narvaro", "text": "", "team_id": TEAM, "user_id": "U3"}
    acked = [
        await connected.push("events_api", message_envelope("U1", "hej")),
        await connected.push("interactive", button_press("U2", "1.0")),
        await connected.push("slash_commands", command),
    ]
    await connected.channel.stop()  # waits for the work after the acknowledgements

    assert slack_api.acked == acked
    seen = connected.dialogs.seen
    assert [(i.key.user, i.button) for i in seen] == [("U1", None), ("U2", "1.0"), ("U3", None)]
    assert seen[0].text == "hej"
    assert sorted(m.channel for m in slack_api.posted) == ["U1", "U2", "U3"]


async def test_the_connection_url_comes_from_the_configured_api(
    connected: Connected, slack_api: FakeSlackApi
) -> None:
    assert len(slack_api.calls_of("apps.connections.open")) == 1
    assert await asyncio.to_thread(slack_api.wait_until, lambda: slack_api.connections or None)


async def test_stop_closes_the_connection(connected: Connected, slack_api: FakeSlackApi) -> None:
    await connected.channel.stop()
    assert await asyncio.to_thread(
        slack_api.wait_until, lambda: slack_api.connections == 0 or None
    )


async def test_an_envelope_for_an_event_already_handled_is_acknowledged_only(
    connected: Connected, slack_api: FakeSlackApi
) -> None:
    payload = message_envelope("U1", "hej", event_id="EvAGAIN")
    first = await connected.push("events_api", payload)
    retried = await connected.push("events_api", payload, retry_attempt=1)
    await connected.channel.stop()
    assert slack_api.acked == [first, retried]
    assert len(connected.dialogs.seen) == 1


async def test_a_refused_app_token_stops_the_start_with_a_clear_error(
    slack_api: FakeSlackApi,
) -> None:
    channel = socket_channel(slack_api, RecordingDialogs(), "xapp-wrong")
    with pytest.raises(OperatorError, match=r"NARVARO_SLACK_APP_TOKEN.*invalid_auth"):
        await channel.start()
    await channel.stop()
    assert slack_api.connections == 0


# The real `narvaro run`, in Socket Mode


@dataclass
class SocketService:
    api: FakeSlackApi
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class SocketStaffMember(StaffMember):
    """Staff whose DMs and presses reach the app over its Socket Mode connection: each call
    returns once the app has acknowledged the envelope."""

    def __init__(self, api: FakeSlackApi, user: str, locale: str) -> None:
        super().__init__(api, "", user, locale)

    def send_event(
        self, event: dict, *, event_id: str | None = None, **options: Any
    ) -> tuple[int, str]:
        payload = message_envelope(self.user, event["text"], event_id=event_id)
        self.api.wait_for_ack(self.api.push("events_api", payload, **options))
        return 200, ""

    def press_value(self, value: str, **_options: Any) -> tuple[int, str]:
        self.api.wait_for_ack(self.api.push("interactive", button_press(self.user, value)))
        return 200, ""


@pytest.fixture(scope="module", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SocketService]:
    folder = tmp_path_factory.mktemp(f"slack-socket-{request.param}")
    with module_database(request, request.param, folder) as database:
        asyncio.run(load_demo_schools(database))
        with FakeSlackApi().running() as api:
            with running_slack_service(database, api, folder, socket_mode=True) as running:
                assert api.wait_until(lambda: api.connections or None) == 1
                yield SocketService(api, running.port)
            assert api.wait_until(lambda: api.connections == 0 or None)


def test_health_answers_and_slack_events_are_not_taken_over_http(
    service: SocketService,
) -> None:
    with urllib.request.urlopen(f"{service.url}/healthz", timeout=5) as response:
        assert response.status == 200
    request = urllib.request.Request(f"{service.url}/slack/events", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    refused.value.close()
    assert refused.value.code == 404


def test_a_mentor_talks_with_the_app_over_the_socket(service: SocketService) -> None:
    anna = SocketStaffMember(service.api, "U0SE0001", "sv-SE")
    (menu,) = anna.say("hej")
    greeting = say_in("sv", "Hello {name}! What would you like to do?").format(
        name="Anna Lindqvist"
    )
    assert menu.shown == greeting

    # The answer, without the menu again: that is on the Home tab.
    answer = anna.press(say_in("sv", "Today's reported absences"), replies=1)
    assert say_in("sv", "Class {name}").format(name="7A") in answer[0].shown
    assert all(message.channel == "U0SE0001" for message in anna.messages)


def test_an_event_delivered_twice_is_handled_once(service: SocketService) -> None:
    maria = SocketStaffMember(service.api, "U0SE0003", "sv-SE")
    event = maria.message_event("hej")
    maria.send_event(event, event_id="EvSOCKETTWICE")
    service.api.wait_until(lambda: maria.messages or None)
    maria.send_event(event, event_id="EvSOCKETTWICE", retry_attempt=1)
    # Another event after the retry: once it is answered, the retry would have been too.
    maria.say("/menu")
    assert len(maria.messages) == 2
