"""What the engine offered a conversation, and how an answer is checked against it.

A prompt is rendered with fresh button ids, and what they stand for is kept in the
conversation's data under keys beginning with `_` (the engine's own; a flow's data never does).
A press or a form is honoured only if it is what the conversation was offered at its current
step, so a forged or stale one can never act on anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from dialogs.events import Button, Form, Reply
from dialogs.flow import Context
from routine.model import Conversation

CANCEL = "__cancel"
START_FLOW = "flow:"
# The menu's buttons: one id per flow, which stays valid while other questions come and go, so
# that a menu left higher up in a chat (Slack shows it only when asked for) keeps working.
MENU_BUTTON = "m."
OFFERED = "_offered"
OFFERED_FORM = "_form"
SEQUENCE = "_seq"
LABELS = "_labels"
ACCEPTS_TEXT = "_accepts_text"


def offer(
    ctx: Context,
    conv: Conversation,
    text: str,
    choices: list[tuple[str, str]],
    *,
    accepts_text: bool,
    form: Form | None = None,
    menu: bool = False,
    again: bool = False,
) -> None:
    """Render a prompt with fresh button ids; every earlier button and form stops working,
    except the menu's (MENU_BUTTON). `again`: the menu offered again after an answer."""
    sequence = conv.data.get(SEQUENCE, 0) + 1
    buttons = tuple(
        Button(
            MENU_BUTTON + value.removeprefix(START_FLOW) if menu else f"{sequence}.{i}",
            label,
        )
        for i, (value, label) in enumerate(choices)
    )
    conv.data[SEQUENCE] = sequence
    conv.data[OFFERED] = {b.id: value for b, (value, _l) in zip(buttons, choices, strict=True)}
    conv.data[LABELS] = {b.id: b.label for b in buttons}
    conv.data[ACCEPTS_TEXT] = accepts_text
    conv.data[OFFERED_FORM] = _form_state(form, sequence) if form else None
    if form is not None:
        form = dataclasses.replace(form, id=f"{sequence}.{form.id}")
    ctx.replies.append(Reply(text, buttons, form, repeats_menu=menu and again))


def asks(conv: Conversation, form_id: str) -> bool:
    """Whether the form `form_id` is what the conversation asks now."""
    offered = conv.data.get(OFFERED_FORM)
    return offered is not None and offered["id"] == form_id


def _form_state(form: Form, sequence: int) -> dict:
    """What a submission is checked against. Of the choices only the values are kept: a class's
    pupils would otherwise bring their names into every stored conversation."""
    return {
        "id": f"{sequence}.{form.id}",
        "fields": [field.name for field in form.fields],
        "required": {field.name: field.label for field in form.fields if field.required},
        "choices": {f.name: [value for value, _l in f.choices] for f in form.fields if f.choices},
        "multiple": [field.name for field in form.fields if field.multiple and field.choices],
    }


def clean_form(offered: dict, values: Mapping[str, str]) -> dict[str, str] | None:
    """The values as the step gets them (see `FormField`), or None if a choice field holds a
    value that was not offered: the person filled in some other version of the form, and
    dropping the value silently could lose a mark they meant to make."""
    choices: dict[str, list[str]] = offered.get("choices", {})
    multiple = set(offered.get("multiple", ()))
    cleaned = {}
    for name in offered["fields"]:
        text = (values.get(name) or "").strip()
        if name not in choices:
            cleaned[name] = text
            continue
        picked = _picked(text) if name in multiple else {text} - {""}
        if not picked <= set(choices[name]):
            return None
        cleaned[name] = "\n".join(value for value in choices[name] if value in picked)
    return cleaned


def _picked(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def leave_flow(ctx: Context, conv: Conversation) -> None:
    conv.flow = conv.state = None
    ctx.data.clear()


def engine_keys(data: dict) -> dict:
    """The engine's own part of a conversation's data (what was offered), not the flow's."""
    return {k: v for k, v in data.items() if k.startswith("_")}
