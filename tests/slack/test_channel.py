"""The Slack channel in-process: bolt receiving signed requests on the shared HTTP server, a
recording stand-in for the engine, and the fake Web API for what it writes back. What the
end-to-end tests leave out: the slash command, the App Home tab, forms and modals."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.convert import HOME, OPEN_FORM, reply_messages
from dialogs.events import Reply
from tests.slack.channel_world import (
    FORM,
    MENU_AGAIN,
    PRESS_UNDER_A_MESSAGE,
    Running,
    running_channel,
    submission,
)
from tests.slack.fake_slack_api import TEAM, FakeSlackApi, Posted
from tests.slack.signing import interaction_body


@pytest.fixture
async def running(slack_api: FakeSlackApi) -> AsyncIterator[Running]:
    async with running_channel(slack_api) as channel:
        yield channel


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
    assert await running.post(*interaction_body(submission("U1", note="Hej"))) == 200
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
