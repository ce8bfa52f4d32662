"""Neutral messages: what adapters hand to the engine and what they get back.

Only adapters know Telegram's inline keyboards or Slack's Block Kit; flows see these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConversationKey:
    """Who is talking, where: one conversation per platform, workspace, chat and user."""

    platform: str
    chat: str
    user: str
    workspace: str = ""

    @property
    def id(self) -> str:
        return "|".join((self.platform, self.workspace, self.chat, self.user))

    @classmethod
    def parse(cls, key_id: str) -> ConversationKey:
        platform, workspace, chat, user = key_id.split("|")
        return cls(platform=platform, chat=chat, user=user, workspace=workspace)


@dataclass(frozen=True)
class Incoming:
    """One thing a person did: typed text, pressed a button, or submitted a form
    (`form` holds the values by field name, `form_id` the id of the form they filled in).
    "/cancel" with a `form_id` is a form closed unsubmitted: it cancels only while that form
    is still the question.

    `locale` is the platform's hint (a Telegram `language_code`, a Slack user locale); a
    language the person chose themselves wins over it. `private` is False in group chats,
    where the assistant says only that it talks in private.
    """

    key: ConversationKey
    text: str | None = None
    button: str | None = None
    form: Mapping[str, str] | None = None
    form_id: str | None = None
    locale: str | None = None
    private: bool = True


@dataclass(frozen=True)
class Button:
    """`id` is an opaque token the engine checks against what it offered; it carries no trust."""

    id: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One field of a form: free text, or a pick among `choices` (value, label pairs).

    `multiple` (only with choices) lets the person pick any number of the choices. `initial` is
    what the field starts with: the choice values selected beforehand, or for a text field a
    single element, the text. `is_date`: a text field for a date, which adapters may show as a
    date picker (its value and initial text are then YYYY-MM-DD; typed text is any date the
    step can read).

    What comes back in `Incoming.form` is text by field name: a text field's text, a choice
    field's chosen value, a multiple field's chosen values joined by "\n" (adapters may send
    them in any order; the step gets them in the order of `choices`, each once). An empty
    optional field may be absent or "".
    """

    name: str
    label: str
    required: bool = True
    multiline: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    multiple: bool = False
    initial: tuple[str, ...] = ()
    is_date: bool = False


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    fields: tuple[FormField, ...]
    submit_label: str


@dataclass(frozen=True)
class Reply:
    """Already translated for its reader. Buttons are offered in this order.

    Two hints for platforms that have other places to show things (Slack): `repeats_menu`, the
    menu offered again after an answer, which a platform with the menu on a tab of its own
    (Slack's App Home) leaves out of a DM; `shown_in_place`, an outcome that the message it is
    about already shows, as the outbox edits that message (a roll call taken, a contact
    recorded, a leave request decided), which a platform need not say again when the form
    came from that message.
    """

    text: str
    buttons: tuple[Button, ...] = field(default=())
    form: Form | None = None
    repeats_menu: bool = False
    shown_in_place: bool = False
