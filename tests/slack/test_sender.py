"""The Slack sender against the fake Web API over real HTTP: what each answer means."""

from __future__ import annotations

import socket
from datetime import timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.sender import SlackSender
from routine.outbox import DeliveryResult, OutboxMessage, OutgoingButton
from tests.slack.fake_slack_api import FakeSlackApi


def message(recipient: str = "U0SE0001") -> OutboxMessage:
    return OutboxMessage(
        key=f"test:slack:{recipient}",
        platform="slack",
        recipient=recipient,
        text="Dags för närvaron i 7A",
        kind="test",
        school_key="se-bjorkangen",
        buttons=(OutgoingButton("r.1", "Klar"),),
    )


async def test_a_message_is_a_dm_with_its_buttons(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    result = await SlackSender(slack_client).send(message())
    assert result == DeliveryResult.ok()
    (posted,) = slack_api.posted
    assert (posted.channel, posted.shown, posted.buttons) == (
        "U0SE0001",
        "Dags för närvaron i 7A",
        [("Klar", "r.1")],
    )


async def test_rate_limited_means_retry_after_slacks_wait(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    slack_api.rate_limit_next("chat.postMessage", retry_after=7)
    result = await SlackSender(slack_client).send(message())
    assert result == DeliveryResult.retry("ratelimited", after=timedelta(seconds=7))
    assert slack_api.posted == []


async def test_people_who_left_cannot_be_reached(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    for error in ("user_not_found", "account_inactive", "channel_not_found"):
        slack_api.fail_next("chat.postMessage", error)
        assert await sender.send(message()) == DeliveryResult.never(error)


async def test_other_errors_are_tried_again(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    slack_api.fail_next("chat.postMessage", "internal_error")
    assert await SlackSender(slack_client).send(message()) == DeliveryResult.retry(
        "internal_error"
    )


async def test_an_unreachable_slack_is_tried_again() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = AsyncWebClient(token="xoxb-x", base_url=f"http://127.0.0.1:{port}/api/")
    client.retry_handlers = []  # the SDK would try once more itself; one failure is enough here
    result = await SlackSender(client).send(message())
    assert not result.sent and not result.unreachable and result.retry_after is None
    assert result.error.startswith("ClientConnectorError")
