"""Slack's shapes to the engine's and back: pure conversions, Slack's limits kept."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import pytest

from bot.slack.convert import (
    HOME,
    MAX_ACTIONS,
    MAX_BLOCKS,
    MAX_BUTTON_TEXT,
    MAX_OPTIONS,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
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
    submitted_values,
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


def test_a_date_field_is_a_date_picker_and_its_pick_reaches_the_engine_as_text() -> None:
    day = FormField("day", "Dag", is_date=True, initial=("2026-11-20",))
    form = Form(id="5.correction", title="Rätta", fields=(day,), submit_label="Spara")
    (block,) = modal(form, "U1")["blocks"]
    assert block["element"] == {
        "type": "datepicker",
        "action_id": "day",
        "initial_date": "2026-11-20",
    }
    picked = {"day": {"day": {"type": "datepicker", "selected_date": "2026-11-19"}}}
    assert submitted_values(picked) == {"day": "2026-11-19"}
    assert submitted_values({"day": {"day": {"type": "datepicker", "selected_date": None}}}) == {}


def pupils(count: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"P{n:03}", f"Elev {n}") for n in range(1, count + 1))


def roll_call(count: int, initial: tuple[str, ...]) -> Form:
    absent = FormField(
        "absent", "Frånvarande", required=False, choices=pupils(count), multiple=True,
        initial=initial,
    )  # fmt: skip
    return Form(id="7.roll-call", title="Upprop 7A", fields=(absent,), submit_label="Spara")


def state_values(
    view: Mapping[str, Any], chosen: Mapping[str, Collection[str]] | None = None
) -> dict[str, Any]:
    """`view.state.values` as Slack sends them on submission: every field as the modal opened
    it, except those in `chosen`, where the person selected those values (or typed that text)."""
    chosen = chosen or {}
    values = {}
    for block in view["blocks"]:
        element = block["element"]
        name = element["action_id"]
        values[block["block_id"]] = {name: element_state(element, chosen.get(name))}
    return values


def element_state(element: Mapping[str, Any], chosen: Collection[str] | None) -> dict[str, Any]:
    kind = element["type"]
    if kind == "plain_text_input":
        typed = element.get("initial_value") if chosen is None else "".join(chosen)
        return {"type": kind, "value": typed}
    if chosen is None:
        initial = element.get("initial_option")
        selected = element.get("initial_options") or ([initial] if initial else [])
    else:
        selected = [option for option in element["options"] if option["value"] in chosen]
    if kind == "multi_static_select":
        return {"type": kind, "selected_options": selected}
    return {"type": kind, "selected_option": selected[0] if selected else None}


def test_a_multiple_field_is_a_multi_select_with_its_initial_options() -> None:
    view = modal(roll_call(40, initial=("P003", "P017")), "U1")
    (block,) = view["blocks"]
    element = block["element"]
    assert (block["block_id"], element["type"]) == ("absent", "multi_static_select")
    assert len(element["options"]) == 40
    assert element["initial_options"] == [
        {"text": {"type": "plain_text", "text": "Elev 3", "emoji": True}, "value": "P003"},
        {"text": {"type": "plain_text", "text": "Elev 17", "emoji": True}, "value": "P017"},
    ]


def test_a_class_of_40_comes_back_as_the_values_selected() -> None:
    view = modal(roll_call(40, initial=("P003", "P017")), "U1")
    assert submitted_values(state_values(view)) == {"absent": "P003\nP017"}
    changed = state_values(view, {"absent": {"P001", "P017", "P040"}})
    assert submitted_values(changed) == {"absent": "P001\nP017\nP040"}
    assert submitted_values(state_values(view, {"absent": ()})) == {}


def test_a_class_of_250_is_split_into_selects_of_at_most_100() -> None:
    view = modal(roll_call(250, initial=("P005", "P150", "P249", "P250")), "U1")
    blocks = view["blocks"]
    assert [b["block_id"] for b in blocks] == ["absent", "absent~2", "absent~3"]
    assert [b["label"]["text"] for b in blocks] == [
        "Frånvarande",
        "Frånvarande (2)",
        "Frånvarande (3)",
    ]
    assert [len(b["element"]["options"]) for b in blocks] == [MAX_OPTIONS, MAX_OPTIONS, 50]
    assert [[o["value"] for o in b["element"]["initial_options"]] for b in blocks] == [
        ["P005"],
        ["P150"],
        ["P249", "P250"],
    ]
    assert {b["element"]["action_id"] for b in blocks} == {"absent"}


def test_a_class_of_250_comes_back_as_one_value() -> None:
    view = modal(roll_call(250, initial=("P005", "P150", "P249")), "U1")
    assert submitted_values(state_values(view)) == {"absent": "P005\nP150\nP249"}
    changed = state_values(view, {"absent": {"P001", "P100", "P101", "P201"}})
    assert submitted_values(changed) == {"absent": "P001\nP100\nP101\nP201"}


def test_a_part_without_initial_options_names_none() -> None:
    view = modal(roll_call(250, initial=("P005",)), "U1")
    assert ["initial_options" in b["element"] for b in view["blocks"]] == [True, False, False]


def test_the_parts_of_a_required_field_are_each_optional() -> None:
    field = FormField("absent", "Frånvarande", choices=pupils(150), multiple=True)
    view = modal(Form("7.roll-call", "Upprop", (field,), "Spara"), "U1")
    assert [b["optional"] for b in view["blocks"]] == [True, True]
    alone = FormField("absent", "Frånvarande", choices=pupils(40), multiple=True)
    (block,) = modal(Form("7.roll-call", "Upprop", (alone,), "Spara"), "U1")["blocks"]
    assert block["optional"] is False


CONTACT = Form(
    id="9.guardian-contact",
    title="Kontakt med vårdnadshavare",
    fields=(
        FormField("whom", "Vem?", choices=(("G1", "Anna Berg"), ("x", "Någon annan")),
                  initial=("G1",)),
        FormField("topics", "Vad?", required=False, choices=(("a", "Orsak"), ("b", "Nästa dag")),
                  multiple=True),
        FormField("time", "När?", initial=("08:30",)),
        FormField("note", "Anteckning", required=False, multiline=True),
    ),
    submit_label="Spara",
)  # fmt: skip


def test_initial_values_are_the_selects_initial_option_and_the_inputs_initial_value() -> None:
    whom, topics, time, note = modal(CONTACT, "U1")["blocks"]
    assert whom["element"]["type"] == "static_select"
    assert whom["element"]["initial_option"]["value"] == "G1"
    assert (topics["element"]["type"], "initial_options" in topics["element"]) == (
        "multi_static_select",
        False,
    )
    assert time["element"]["initial_value"] == "08:30"
    assert "initial_value" not in note["element"]


def test_a_contact_form_left_as_it_opened_comes_back_with_its_initial_values() -> None:
    view = modal(CONTACT, "U1")
    assert submitted_values(state_values(view)) == {"whom": "G1", "time": "08:30"}
    typed = state_values(view, {"whom": {"x"}, "topics": {"b", "a"}, "note": ["Ringde"]})
    assert submitted_values(typed) == {
        "whom": "x",
        "topics": "a\nb",
        "time": "08:30",
        "note": "Ringde",
    }


def test_a_single_select_in_parts_starts_with_its_choice_in_its_part_only() -> None:
    field = FormField("pupil", "Elev", choices=pupils(150), initial=("P120",))
    blocks = modal(Form("3.pick", "Välj", (field,), "Ok"), "U1")["blocks"]
    assert ["initial_option" in b["element"] for b in blocks] == [False, True]
    assert blocks[1]["element"]["initial_option"]["value"] == "P120"
    assert submitted_values(state_values({"blocks": blocks})) == {"pupil": "P120"}


def test_long_option_labels_are_cut() -> None:
    field = FormField("pupil", "Elev", choices=(("P1", "x" * 200),), multiple=True)
    (block,) = modal(Form("3.pick", "Välj", (field,), "Ok"), "U1")["blocks"]
    assert len(block["element"]["options"][0]["text"]["text"]) == MAX_BUTTON_TEXT


def test_a_form_of_more_than_100_blocks_is_refused() -> None:
    fields = tuple(FormField(f"f{n}", f"Fält {n}") for n in range(MAX_VIEW_BLOCKS))
    assert len(modal(Form("1.big", "Stor", fields, "Ok"), "U1")["blocks"]) == MAX_VIEW_BLOCKS
    too_many = (*fields, FormField("extra", "En till"))
    with pytest.raises(ValueError, match="101 blocks"):
        modal(Form("1.big", "Stor", too_many, "Ok"), "U1")


def test_a_submitted_multi_select_reaches_the_engine_as_one_value() -> None:
    view = modal(roll_call(250, initial=()), "U1")
    body = {
        "team": {"id": "T1"},
        "user": {"id": "U1"},
        "view": view | {"state": {"values": state_values(view, {"absent": {"P002", "P222"}})}},
    }
    assert incoming_from_submission(body) == Incoming(
        key=ANNA, form={"absent": "P002\nP222"}, form_id="7.roll-call"
    )
