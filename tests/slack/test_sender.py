"""The Slack sender against the fake Web API over real HTTP: what each answer means."""

from __future__ import annotations

import dataclasses
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
    (posted,) = slack_api.posted
    assert result == DeliveryResult.ok(ref=f"DU0SE0001:{posted.ts}")
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


# Versions of one message, edited in place


def version(text: str, replaces: str = "") -> OutboxMessage:
    return dataclasses.replace(message(), text=text, slot="summary:7A", replaces=replaces)


async def test_a_new_version_edits_the_posted_message(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    first = await sender.send(version("2 of 25 marked"))

    second = await sender.send(version("25 of 25 marked", replaces=first.ref))

    (shown,) = slack_api.posted_to("U0SE0001")
    assert (shown.shown, shown.buttons, shown.edits) == ("25 of 25 marked", [("Klar", "r.1")], 1)
    assert second == DeliveryResult.ok(ref=first.ref)
    [update] = slack_api.calls_of("chat.update")
    assert (update.params["channel"], update.params["text"]) == ("DU0SE0001", "25 of 25 marked")


async def test_a_message_that_cannot_be_edited_is_posted_anew(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    gone = await sender.send(version("deleted by the person"))
    slack_api.fail_next("chat.update", "cant_update_message")

    deleted = await sender.send(version("2 of 25", replaces=gone.ref))
    never_posted = await sender.send(version("3 of 25", replaces="DU0SE0001:1.000999"))

    assert [m.shown for m in slack_api.posted] == ["deleted by the person", "2 of 25", "3 of 25"]
    assert len({gone.ref, deleted.ref, never_posted.ref}) == 3
    assert deleted.ref == f"DU0SE0001:{slack_api.posted[1].ts}"


async def test_a_rate_limited_edit_is_tried_again_not_posted(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    first = await sender.send(version("1 of 25"))
    slack_api.rate_limit_next("chat.update", retry_after=3)

    result = await sender.send(version("2 of 25", replaces=first.ref))

    assert result == DeliveryResult.retry("ratelimited", after=timedelta(seconds=3))
    assert [(m.shown, m.edits) for m in slack_api.posted] == [("1 of 25", 0)]


async def test_other_errors_of_an_edit_are_as_of_a_post(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    first = await sender.send(version("1 of 25"))
    slack_api.fail_next("chat.update", "internal_error")
    slack_api.fail_next("chat.update", "channel_not_found")

    assert await sender.send(version("2", replaces=first.ref)) == DeliveryResult.retry(
        "internal_error"
    )
    assert await sender.send(version("2", replaces=first.ref)) == DeliveryResult.never(
        "channel_not_found"
    )
    assert len(slack_api.posted) == 1


async def test_an_edit_keeps_to_one_message(
    slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    sender = SlackSender(slack_client)
    long = version("\n".join(f"line {n}: " + "x" * 2900 for n in range(60)))
    posted = await sender.send(long)
    parts = len(slack_api.posted)

    await sender.send(dataclasses.replace(long, replaces=posted.ref))

    assert parts == 2
    assert posted.ref == f"DU0SE0001:{slack_api.posted[0].ts}"
    [update] = slack_api.calls_of("chat.update")
    assert len(update.params["blocks"]) == 50
    assert [m.edits for m in slack_api.posted] == [1, 0]
