"""Slack's shapes to the engine's and back: pure conversions, Slack's limits kept."""

from __future__ import annotations

from bot.slack.convert import (
    HOME,
    MAX_ACTIONS,
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    OPEN_FORM,
    escape,
    home_view,
    incoming_from_action,
    incoming_from_message,
    incoming_from_submission,
    modal,
    outbox_messages,
    reply_messages,
    sections,
)
from dialogs.events import Button, ConversationKey, Form, FormField, Incoming, Reply
from routine.outbox import OutboxMessage, OutgoingButton

ANNA = ConversationKey(platform="slack", workspace="T1", chat="U1", user="U1")


def test_markup_characters_are_shown_as_they_are() -> None:
    assert escape("<@U1> & <!here>") == "&lt;@U1&gt; &amp; &lt;!here&gt;"


def test_a_reply_is_a_section_and_its_buttons() -> None:
    reply = Reply("Hej *Anna*", buttons=(Button("3.0", "Dagens frånvaro"), Button("3.1", "Språk")))
    (kwargs,) = reply_messages(reply)
    assert kwargs["text"] == "Hej *Anna*"
    section, actions = kwargs["blocks"]
    assert section == {"type": "section", "text": {"type": "mrkdwn", "text": "Hej *Anna*"}}
    assert [(e["action_id"], e["value"], e["text"]["text"]) for e in actions["elements"]] == [
        ("3.0", "3.0", "Dagens frånvaro"),
        ("3.1", "3.1", "Språk"),
    ]


def test_long_text_is_cut_after_lines_into_sections() -> None:
    text = "\n".join(f"• elev {n}: sjuk, hela dagen" for n in range(400))
    blocks = sections(text)
    assert len(blocks) > 1
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks)
    assert "\n".join(b["text"]["text"] for b in blocks) == text


def test_escaping_never_pushes_a_section_over_the_limit() -> None:
    blocks = sections("&" * 2000)
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks)
    assert "".join(b["text"]["text"] for b in blocks) == "&amp;" * 2000


def test_many_buttons_go_25_to_an_actions_block() -> None:
    reply = Reply("Välj", buttons=tuple(Button(f"1.{n}", f"val {n}") for n in range(60)))
    (kwargs,) = reply_messages(reply)
    actions = [b for b in kwargs["blocks"] if b["type"] == "actions"]
    assert [len(b["elements"]) for b in actions] == [MAX_ACTIONS, MAX_ACTIONS, 10]


def test_a_reply_of_more_than_50_blocks_becomes_several_messages() -> None:
    reply = Reply("x", buttons=tuple(Button(f"1.{n}", f"val {n}") for n in range(25 * 60)))
    parts = reply_messages(reply)
    assert [len(p["blocks"]) for p in parts] == [MAX_BLOCKS, 11]
    values = [e["value"] for p in parts for b in p["blocks"] if b["type"] == "actions"
              for e in b["elements"]]  # fmt: skip
    assert values == [f"1.{n}" for n in range(25 * 60)]


def test_an_outbox_message_is_a_dm_to_the_user() -> None:
    message = OutboxMessage(
        key="k", platform="slack", recipient="U7", text="Hej", kind="t", school_key="s",
        buttons=(OutgoingButton("p.1", "Klar"),),
    )  # fmt: skip
    (kwargs,) = outbox_messages(message)
    assert kwargs["channel"] == "U7"
    assert kwargs["blocks"][1]["elements"][0]["value"] == "p.1"


FORM = Form(
    id="4.note",
    title="En mycket lång rubrik för ett formulär",
    fields=(
        FormField("note", "Anteckning", multiline=True),
        FormField("reason", "Orsak", required=False, choices=(("ill", "Sjuk"), ("oth", "Annat"))),
    ),
    submit_label="Skicka",
)


def test_a_form_is_a_modal_that_names_its_conversation() -> None:
    view = modal(FORM, "U1")
    assert (view["callback_id"], view["private_metadata"]) == ("4.note", "U1")
    assert len(view["title"]["text"]) <= 24
    note, reason = view["blocks"]
    assert (note["optional"], note["element"]["multiline"]) == (False, True)
    assert reason["optional"] is True
    assert [o["value"] for o in reason["element"]["options"]] == ["ill", "oth"]


def test_without_a_trigger_a_form_is_a_button_that_opens_it() -> None:
    (kwargs,) = reply_messages(Reply("Skriv", form=FORM), form_button=True)
    (element,) = kwargs["blocks"][1]["elements"]
    assert element["value"] == OPEN_FORM + "4.note"


def test_the_home_tab_shows_the_replies() -> None:
    view = home_view([Reply("Hej", buttons=(Button("1.0", "Meny"),))])
    assert view["type"] == "home"
    assert [b["type"] for b in view["blocks"]] == ["section", "actions"]


def test_a_persons_dm_is_a_conversation_and_other_messages_are_not() -> None:
    dm = {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hej"}
    assert incoming_from_message(dm, "T1") == Incoming(key=ANNA, text="hej")
    assert incoming_from_message(dm | {"channel_type": "channel"}, "T1") is None
    assert incoming_from_message(dm | {"subtype": "message_changed"}, "T1") is None
    assert incoming_from_message(dm | {"bot_id": "B1"}, "T1") is None


def test_a_press_hands_back_the_buttons_id() -> None:
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "container": {"type": "message"},
        "actions": [{"action_id": "3.0", "value": "3.0"}],
    }
    assert incoming_from_action(body) == Incoming(key=ANNA, button="3.0")
    home = incoming_from_action(body | {"container": {"type": "view"}})
    assert home is not None and home.key.chat == HOME


def test_a_submitted_modal_is_the_forms_values() -> None:
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "view": {
            "callback_id": "4.note",
            "private_metadata": "U1",
            "state": {
                "values": {
                    "note": {"note": {"type": "plain_text_input", "value": "Tandläkare"}},
                    "reason": {"reason": {"type": "static_select", "selected_option": None}},
                }
            },
        },
    }
    assert incoming_from_submission(body) == Incoming(
        key=ANNA, form={"note": "Tandläkare"}, form_id="4.note"
    )
