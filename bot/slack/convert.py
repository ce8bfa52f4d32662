"""Slack's shapes to the engine's and back. Pure functions: no I/O, no decisions.

In: a DM's text, a pressed button's value, a submitted modal's values, each with who did it in
which workspace. Out: `chat.postMessage` keyword arguments with Block Kit blocks (a mrkdwn
section for the text, `actions` blocks for the buttons), a modal view for a form, and the App
Home view. Slack's limits are kept here: 3000 characters per section, 25 elements per actions
block, 50 blocks per message (a longer reply becomes several messages), 24 characters in a
modal's title and submit label, 100 options per select (a field with more becomes several
selects) and 100 blocks per modal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.events import ConversationKey, Form, FormField, Incoming, Reply
from routine.outbox import OutboxMessage

PLATFORM = "slack"
# The App Home tab is a conversation of its own: its replies replace the tab's view.
HOME = "home"
# A press on this prefix opens the form of the same id in a modal, rather than reaching the
# engine: Slack opens modals only in answer to an interaction (a trigger_id).
OPEN_FORM = "open-form:"

MAX_SECTION_TEXT = 3000
MAX_ACTIONS = 25
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_BUTTON_TEXT = 75
MAX_VIEW_TITLE = 24
MAX_VIEW_BLOCKS = 100
MAX_OPTIONS = 100
MAX_LABEL = 2000
# Joins a field's name and the number of one of its parts, when its choices fill several selects.
PART = "~"
# The block ids of the buttons under a reply the app wrote in a DM, so that a press tells which
# kind of message it came from: a reply (whose form's outcome may replace it), or a message of
# the outbox (a roll call, a list: the outbox edits it when what it shows changes).
REPLY_BLOCK = "reply"

Blocks = list[dict[str, Any]]
PostKwargs = dict[str, Any]


def escape(text: str) -> str:
    """Slack reads &, < and > in mrkdwn as markup (links, mentions): shown as they are."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str, limit: int | None = None) -> dict[str, Any]:
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text, "emoji": True}


def sections(text: str) -> Blocks:
    """The text in mrkdwn sections of at most 3000 characters, cut after a line if one ends
    in reach (escaping may lengthen it, so the limit is applied after escaping)."""
    rest = escape(text)
    blocks: Blocks = []
    while len(rest) > MAX_SECTION_TEXT:
        cut = rest.rfind("\n", 0, MAX_SECTION_TEXT)
        if cut <= 0:
            cut = MAX_SECTION_TEXT
            # Never cut an entity such as &amp; in two.
            amp = rest.rfind("&", cut - 5, cut)
            cut = amp if amp > 0 and ";" not in rest[amp:cut] else cut
        blocks.append(_section(rest[:cut]))
        rest = rest[cut:].lstrip("\n")
    if rest.strip():
        blocks.append(_section(rest))
    return blocks


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def actions(buttons: Sequence[tuple[str, str]], block_id: str = "") -> Blocks:
    """Buttons as the engine lists them, 25 to an actions block. The engine's opaque id is both
    the action_id and the value: the press hands it back as it is. With `block_id`, the blocks
    are named `block_id.0`, `block_id.1`, …"""
    elements = [
        {
            "type": "button",
            "action_id": button_id,
            "value": button_id,
            "text": _plain(label, MAX_BUTTON_TEXT),
        }
        for button_id, label in buttons
    ]
    blocks: Blocks = [
        {"type": "actions", "elements": elements[start : start + MAX_ACTIONS]}
        for start in range(0, len(elements), MAX_ACTIONS)
    ]
    if block_id:
        for number, block in enumerate(blocks):
            block["block_id"] = f"{block_id}.{number}"
    return blocks


def reply_blocks(reply: Reply, *, form_button: bool = False, block_id: str = "") -> Blocks:
    """A reply's blocks; with `form_button`, its form becomes a button that opens it."""
    buttons = [(button.id, button.label) for button in reply.buttons]
    if form_button and reply.form is not None:
        buttons.insert(0, (OPEN_FORM + reply.form.id, reply.form.title))
    return sections(reply.text) + actions(buttons, block_id)


def messages(text: str, blocks: Blocks) -> list[PostKwargs]:
    """`chat.postMessage` arguments (without `channel`): at most 50 blocks each. `text` is
    the notification's fallback; it goes with the first message only."""
    chunks = [blocks[start : start + MAX_BLOCKS] for start in range(0, len(blocks), MAX_BLOCKS)]
    chunks = chunks or [[]]
    return [
        {"text": text if index == 0 else "…", "blocks": chunk}
        for index, chunk in enumerate(chunks)
    ]


def reply_messages(reply: Reply, *, form_button: bool = False) -> list[PostKwargs]:
    blocks = reply_blocks(reply, form_button=form_button, block_id=REPLY_BLOCK)
    return messages(reply.text, blocks)


def outcome_message(replies: Sequence[Reply]) -> PostKwargs | None:
    """The replies in one message, to replace the one a form came from; None if they need more
    than one message, or carry a form (the person is asked again, not told an outcome)."""
    if not replies or any(reply.form for reply in replies):
        return None
    blocks = [b for reply in replies for b in reply_blocks(reply, block_id=REPLY_BLOCK)]
    # Several replies' buttons in one message: their block ids must differ.
    for number, block in enumerate(b for b in blocks if b["type"] == "actions"):
        block["block_id"] = f"{REPLY_BLOCK}.{number}"
    text = "\n".join(reply.text for reply in replies)
    chunks = messages(text, blocks)
    return chunks[0] if len(chunks) == 1 else None


@dataclass(frozen=True)
class Origin:
    """The DM message a pressed button was under: `reply`, a reply the app wrote (its blocks
    are named REPLY_BLOCK), or a message of the outbox. Rides along in a modal's
    private_metadata as "kind:channel:ts"."""

    channel: str
    ts: str
    reply: bool

    def __str__(self) -> str:
        return f"{REPLY_BLOCK if self.reply else 'outbox'}:{self.channel}:{self.ts}"

    @classmethod
    def parse(cls, text: str) -> Origin | None:
        kind, _sep, rest = text.partition(":")
        channel, _sep, ts = rest.partition(":")
        if kind not in (REPLY_BLOCK, "outbox") or not channel or not ts:
            return None
        return cls(channel, ts, reply=kind == REPLY_BLOCK)


def pressed_in(body: Mapping[str, Any]) -> Origin | None:
    """The DM message whose button was pressed; None on the App Home tab, or if Slack did not
    say."""
    container = body.get("container") or {}
    channel, ts = container.get("channel_id"), container.get("message_ts")
    if container.get("type") != "message" or not channel or not ts:
        return None
    pressed = (body.get("actions") or [{}])[0]
    block_id = str(pressed.get("block_id") or "")
    return Origin(channel, ts, reply=block_id.startswith(REPLY_BLOCK + "."))


def submitted_from(body: Mapping[str, Any]) -> Origin | None:
    """The DM message a submitted modal was opened from (see `modal`)."""
    metadata = str((body.get("view") or {}).get("private_metadata") or "")
    _chat, _sep, origin = metadata.partition(" ")
    return Origin.parse(origin)


def outbox_messages(message: OutboxMessage) -> list[PostKwargs]:
    """A DM to the person: `channel` is the recipient's Slack user id."""
    buttons = [(button.id, button.label) for button in message.buttons]
    return [
        {"channel": message.recipient, **kwargs}
        for kwargs in messages(message.text, sections(message.text) + actions(buttons))
    ]


def home_view(replies: Iterable[Reply]) -> dict[str, Any]:
    """The App Home tab showing `replies`; the last blocks go if there are more than 100."""
    blocks: Blocks = []
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(reply_blocks(reply, form_button=True))
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def modal(
    form: Form, chat: str, *, intro: str = "", origin: Origin | None = None
) -> dict[str, Any]:
    """A form as a modal, under `intro` (what the person is asked, if there is room for it).
    `chat` rides along in private_metadata, so that the submission goes to the conversation
    that offered the form, and with it the message the form was opened from, `origin`. A form
    too big for one modal is a ValueError: it is the flow that must ask for less."""
    blocks = [block for field in form.fields for block in _inputs(field)]
    if len(blocks) > MAX_VIEW_BLOCKS:
        raise ValueError(f"form {form.id} needs {len(blocks)} blocks of {MAX_VIEW_BLOCKS}")
    above = sections(intro)
    if len(above) + len(blocks) <= MAX_VIEW_BLOCKS:
        blocks = above + blocks
    return {
        "type": "modal",
        "callback_id": form.id,
        "private_metadata": chat if origin is None else f"{chat} {origin}",
        # Closing it tells the app, which leaves the question (see `incoming_from_closed`).
        "notify_on_close": True,
        "title": _plain(form.title, MAX_VIEW_TITLE),
        "submit": _plain(form.submit_label, MAX_VIEW_TITLE),
        "blocks": blocks,
    }


def _inputs(field: FormField) -> Blocks:
    """A field's input blocks: one, unless its choices fill several selects. Those are named
    `name`, `name~2`, … and labelled "Label", "Label (2)", …; `submitted_values` joins them."""
    if field.is_date and not field.choices:
        return [_input(field.name, field.label, field.required, _date_picker(field))]
    if not field.choices:
        return [_input(field.name, field.label, field.required, _text_input(field))]
    parts = [
        field.choices[start : start + MAX_OPTIONS]
        for start in range(0, len(field.choices), MAX_OPTIONS)
    ]
    # Slack would demand a pick in every part of a required field; the engine asks for it.
    required = field.required and len(parts) == 1
    return [
        _input(
            field.name if number == 1 else f"{field.name}{PART}{number}",
            field.label if number == 1 else f"{field.label} ({number})",
            required,
            _select(field, part),
        )
        for number, part in enumerate(parts, 1)
    ]


def _input(block_id: str, label: str, required: bool, element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "optional": not required,
        "label": _plain(label, MAX_LABEL),
        "element": element,
    }


def _text_input(field: FormField) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field.name,
        "multiline": field.multiline,
    }
    if field.initial and field.initial[0]:
        element["initial_value"] = field.initial[0]
    return element


def _date_picker(field: FormField) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker", "action_id": field.name}
    if field.initial and field.initial[0]:
        element["initial_date"] = field.initial[0]
    return element


def _select(field: FormField, choices: Sequence[tuple[str, str]]) -> dict[str, Any]:
    options = [
        {"text": _plain(label, MAX_BUTTON_TEXT), "value": value} for value, label in choices
    ]
    element: dict[str, Any] = {
        "type": "multi_static_select" if field.multiple else "static_select",
        "action_id": field.name,
        "options": options,
    }
    selected = _initially_selected(field)
    initial = [option for option in options if option["value"] in selected]
    if initial and field.multiple:
        element["initial_options"] = initial
    elif initial:
        element["initial_option"] = initial[0]
    return element


def _initially_selected(field: FormField) -> set[str]:
    """The offered values among `initial`; of a single select's, the first choice only, so
    that a field split into parts starts with one selected in one part."""
    offered = [value for value, _label in field.choices if value in field.initial]
    return set(offered if field.multiple else offered[:1])


# In


def key(team: str, chat: str, user: str) -> ConversationKey:
    """A person's DM with the app is named by their user id, not the DM's channel id:
    chat.postMessage to a user id writes in that DM, and the slash command, which may be typed
    in any channel, then continues the same conversation as the DM itself."""
    return ConversationKey(platform=PLATFORM, workspace=team, chat=chat, user=user)


def incoming_from_message(event: Mapping[str, Any], team: str) -> Incoming | None:
    """A person's own DM to the app; None for anything else (bots, edits, joins, channels)."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    user = event.get("user")
    if not user:
        return None
    return Incoming(key=key(team, user, user), text=event.get("text") or "")


def incoming_from_action(body: Mapping[str, Any]) -> Incoming | None:
    """A button pressed in a DM or on the App Home tab."""
    pressed = (body.get("actions") or [None])[0]
    user = (body.get("user") or {}).get("id")
    if not pressed or not user:
        return None
    button = pressed.get("value") or pressed.get("action_id")
    return Incoming(key=key(_team(body), chat_of_action(body), user), button=button)


def chat_of_action(body: Mapping[str, Any]) -> str:
    """HOME for a press on the App Home tab, else the person's DM (see `key`)."""
    if (body.get("container") or {}).get("type") == "view":
        return HOME
    return (body.get("user") or {}).get("id") or HOME


def incoming_from_submission(body: Mapping[str, Any]) -> Incoming | None:
    view, user = body.get("view") or {}, (body.get("user") or {}).get("id")
    if not user or not view.get("callback_id"):
        return None
    chat = str(view.get("private_metadata") or "").partition(" ")[0] or HOME
    return Incoming(
        key=key(_team(body), chat, user),
        form=submitted_values(view.get("state", {}).get("values", {})),
        form_id=view["callback_id"],
    )


def incoming_from_closed(body: Mapping[str, Any]) -> Incoming | None:
    """A modal closed without submitting it: as /cancel of that form, which the engine
    heeds only while the form is still the question."""
    view, user = body.get("view") or {}, (body.get("user") or {}).get("id")
    if not user or not view.get("callback_id"):
        return None
    chat = str(view.get("private_metadata") or "").partition(" ")[0] or HOME
    return Incoming(key=key(_team(body), chat, user), text="/cancel", form_id=view["callback_id"])


def submitted_values(values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """`view.state.values` (block id → action id → element state) as field name → text; the
    action id is the field's name. Several selected values, from a multi select or from the
    parts of a field (see `_inputs`), are joined by "\n" in the order of the blocks. An empty
    optional field is left out."""
    picked: dict[str, list[str]] = {}
    for block in values.values():
        for name, state in block.items():
            picked.setdefault(name, []).extend(_picked(state))
    return {name: "\n".join(found) for name, found in picked.items() if found}


def _picked(state: Mapping[str, Any]) -> list[str]:
    if state.get("selected_options"):
        return [option["value"] for option in state["selected_options"]]
    if state.get("selected_option"):
        return [state["selected_option"]["value"]]
    if state.get("selected_date"):
        return [state["selected_date"]]
    return [state["value"]] if state.get("value") else []


def _team(body: Mapping[str, Any]) -> str:
    return (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or ""
