"""What the in-process Slack channel tests share: bolt on the shared HTTP server with a recording
stand-in for the engine, and the payloads of a press under a message and of a modal."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.http import HttpServer
from bot.slack.app import SlackChannel, build_app
from dialogs.events import Button, Form, FormField, Incoming, Reply
from tests.slack.fake_slack_api import TEAM, FakeSlackApi
from tests.slack.signing import SIGNING_SECRET, post

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


@asynccontextmanager
async def running_channel(slack_api: FakeSlackApi) -> AsyncIterator[Running]:
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


PRESS_UNDER_A_MESSAGE = {
    "type": "block_actions",
    "team": {"id": TEAM},
    "user": {"id": "U1"},
    "trigger_id": "7.7",
    "container": {"type": "message", "channel_id": "DU1", "message_ts": "100.1"},
}


MENU_AGAIN = Reply("Vad mer?", (Button("9.0", "Upprop"),), repeats_menu=True)


def submission(private_metadata: str, note: str = "x") -> dict:
    """The note modal submitted by U1, with `private_metadata` saying what it answers."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "view": {
            "id": "V0MODAL",
            "type": "modal",
            "callback_id": "5.note",
            "private_metadata": private_metadata,
            "state": {"values": {"note": {"note": {"type": "plain_text_input", "value": note}}}},
        },
    }
