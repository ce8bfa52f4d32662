"""The outbox's sender for Slack: delivers one message as a DM, and says what became of it.

The dispatcher decides when to try again and when to give up; this only tells it what Slack
said: wait this long (429 with Retry-After), try again later, or this person cannot be reached.

A message that replaces an earlier version (`OutboxMessage.replaces`, "channel:ts") edits it with
`chat.update`; should that message be gone, the new version is posted instead. What was posted
is reported by its "channel:ts", for the next version to edit.
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.convert import outbox_messages
from routine.outbox import DeliveryResult, OutboxMessage

# Errors that sending again cannot mend: the person left, was deactivated, or never existed.
UNREACHABLE = frozenset({"user_not_found", "account_inactive", "channel_not_found"})
# Errors of chat.update after which posting anew is the way to show the message.
NOT_EDITABLE = frozenset({"message_not_found", "cant_update_message"})
# When Slack says "ratelimited" without saying for how long.
DEFAULT_WAIT = timedelta(seconds=30)


class SlackSender:
    """The `Sender` port for the platform "slack"; the recipient is the Slack user id."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        try:
            if message.replaces and await self._edited(message):
                return DeliveryResult.ok(ref=message.replaces)
            return DeliveryResult.ok(ref=await self._post(message))
        except SlackApiError as error:
            return result_of(error)
        except (ClientError, TimeoutError, OSError) as error:
            return DeliveryResult.retry(f"{type(error).__name__}: {error}")

    async def _post(self, message: OutboxMessage) -> str:
        """Post the message (in as many parts as it takes); the first part's ref, as the part
        a later version edits."""
        ref = ""
        for kwargs in outbox_messages(message):
            response = await self._client.chat_postMessage(**kwargs)
            ref = ref or f"{response['channel']}:{response['ts']}"
        return ref

    async def _edited(self, message: OutboxMessage) -> bool:
        """Edit the replaced message; False if it cannot be edited (any more)."""
        channel, _, ts = message.replaces.partition(":")
        # One message on screen stays one: a version too long for it loses its last blocks.
        first, *_rest = outbox_messages(message)
        try:
            await self._client.chat_update(
                channel=channel, ts=ts, text=first["text"], blocks=first["blocks"]
            )
        except SlackApiError as error:
            if error.response.get("error") in NOT_EDITABLE:
                return False
            raise
        return True


def result_of(error: SlackApiError) -> DeliveryResult:
    code = str(error.response.get("error", "")) or f"HTTP {error.response.status_code}"
    if error.response.status_code == 429 or code == "ratelimited":
        return DeliveryResult.retry(code, after=retry_after(error.response.headers))
    if code in UNREACHABLE:
        return DeliveryResult.never(code)
    return DeliveryResult.retry(code)


def retry_after(headers: dict) -> timedelta:
    """Slack's Retry-After is in seconds; header names may come in any case."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list) else value
            try:
                return timedelta(seconds=max(0, int(raw)))
            except ValueError:
                break
    return DEFAULT_WAIT
