"""What Slack sends, registered on the bolt app feature by feature. Every listener acknowledges
at once and leaves the work for later (`SlackChannel.later`): Slack wants its answer within
3 seconds, and the engine and the replies may take longer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.slack.convert import (
    HOME,
    OPEN_FORM,
    Origin,
    incoming_from_action,
    incoming_from_closed,
    incoming_from_message,
    incoming_from_submission,
    key,
    pressed_in,
    submitted_from,
)
from dialogs.events import Incoming

if TYPE_CHECKING:
    from bot.slack.app import SlackChannel

COMMAND = "/narvaro"
# Every button is ours: the engine's opaque ids and the forms' open buttons.
ANY_ACTION = re.compile(".*")
ANY_VIEW = re.compile(".*")


def register_all(app: AsyncApp, channel: SlackChannel) -> None:
    register_messages(app, channel)
    register_actions(app, channel)
    register_forms(app, channel)
    register_command(app, channel)
    register_home(app, channel)


def register_messages(app: AsyncApp, channel: SlackChannel) -> None:
    @app.event("message")
    async def on_message(ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        incoming = incoming_from_message(event, body.get("team_id", ""))
        if incoming is not None:
            _later(channel, incoming)


def register_actions(app: AsyncApp, channel: SlackChannel) -> None:
    @app.action(ANY_ACTION)
    async def on_action(ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        incoming = incoming_from_action(body)
        if incoming is None:
            return
        trigger_id = body.get("trigger_id")
        origin = pressed_in(body)
        if incoming.button and incoming.button.startswith(OPEN_FORM) and trigger_id:
            form_id = incoming.button.removeprefix(OPEN_FORM)

            async def open_form() -> None:
                # Opened at once: the trigger_id expires after 3 seconds.
                replies = channel.replies
                if not await replies.open_remembered(incoming.key, form_id, trigger_id, origin):
                    await channel.handle(incoming)

            channel.later(incoming.key.id, open_form)
            return
        _later(channel, incoming, trigger_id=trigger_id, pressed_in=origin)


def register_forms(app: AsyncApp, channel: SlackChannel) -> None:
    @app.view_submission(ANY_VIEW)
    async def on_submission(ack: AsyncAck, body: dict[str, Any]) -> None:
        # Slack shows missing required fields itself (input blocks that are not optional);
        # everything else is the engine's to judge, and its answer comes as a message.
        await ack()
        incoming = incoming_from_submission(body)
        if incoming is not None:
            _later(channel, incoming, submitted_from=submitted_from(body))

    @app.view_closed(ANY_VIEW)
    async def on_closed(ack: AsyncAck, body: dict[str, Any]) -> None:
        # The person closed the modal: they know. The question is left, quietly.
        await ack()
        incoming = incoming_from_closed(body)
        if incoming is not None:
            _later(channel, incoming, quiet=True)


def register_command(app: AsyncApp, channel: SlackChannel) -> None:
    @app.command(COMMAND)
    async def on_command(ack: AsyncAck, command: dict[str, Any]) -> None:
        await ack()
        user, team = command.get("user_id", ""), command.get("team_id", "")
        if user:
            _later(channel, Incoming(key=key(team, user, user), text="/today"))


def register_home(app: AsyncApp, channel: SlackChannel) -> None:
    @app.event("app_home_opened")
    async def on_home(ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> None:
        await ack()
        user = event.get("user")
        if event.get("tab") != "home" or not user:
            return
        home = key(body.get("team_id", ""), HOME, user)
        _later(channel, Incoming(key=home, text="/today"))


def _later(
    channel: SlackChannel,
    incoming: Incoming,
    *,
    trigger_id: str | None = None,
    pressed_in: Origin | None = None,
    submitted_from: Origin | None = None,
    quiet: bool = False,
) -> None:
    async def work() -> None:
        await channel.handle(
            incoming,
            trigger_id=trigger_id,
            pressed_in=pressed_in,
            submitted_from=submitted_from,
            quiet=quiet,
        )

    channel.later(incoming.key.id, work)
