"""Conversations tested as transcripts, after Zulip's `verify_dialog`.

    > text          the person types text
    > [Label]       the person presses the button labelled Label in the latest message
    > {a=1 | b=x}   the person submits the latest form offered, with these values by field name
    < text          a line of the assistant's reply (a new reply starts after each `<<`)
      [A] [B]       the buttons under that reply
      {Title: A | B}  the form offered with that reply: its title and its fields' labels

Each person turn is followed by exactly the replies it should get, so a transcript reads like
the chat the person sees, and any change in wording or order shows up as a diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogs.engine import Engine
from dialogs.events import Button, ConversationKey, Form, Incoming, Reply


@dataclass
class Turn:
    said: str
    expected: list[str] = field(default_factory=list)


def parse(transcript: str) -> list[Turn]:
    turns: list[Turn] = []
    for raw in transcript.strip("\n").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith(">"):
            turns.append(Turn(said=line[1:].strip()))
        else:
            turns[-1].expected.append(line)
    return turns


def render(replies: list[Reply]) -> list[str]:
    lines: list[str] = []
    for number, reply in enumerate(replies):
        if number:
            lines.append("<<")
        lines.extend(f"< {text}".rstrip() for text in reply.text.splitlines())
        if reply.buttons:
            lines.append(" ".join(f"[{button.label}]" for button in reply.buttons))
        if reply.form:
            labels = " | ".join(field.label for field in reply.form.fields)
            lines.append(f"{{{reply.form.title}: {labels}}}")
    return lines


class Chat:
    """One person's side of a conversation, pressing buttons by their labels."""

    def __init__(self, engine: Engine, key: ConversationKey, locale: str | None = None) -> None:
        self.engine = engine
        self.key = key
        self.locale = locale
        self.buttons: tuple[Button, ...] = ()
        self.form: Form | None = None

    async def send(self, said: str) -> list[Reply]:
        replies = await self.engine.handle(self._incoming(said))
        for reply in replies:
            if reply.buttons:
                self.buttons = reply.buttons
            if reply.form:
                self.form = reply.form
        return replies

    def _incoming(self, said: str) -> Incoming:
        if said.startswith("{") and said.endswith("}"):
            assert self.form is not None, "no form was offered"
            pairs = (pair.partition("=") for pair in said[1:-1].split(" | "))
            values = {name.strip(): value.strip() for name, _eq, value in pairs}
            return Incoming(key=self.key, form=values, form_id=self.form.id, locale=self.locale)
        if said.startswith("[") and said.endswith("]"):
            label = said[1:-1]
            matches = [b for b in self.buttons if b.label == label]
            assert matches, f"no button {label!r} among {[b.label for b in self.buttons]}"
            return Incoming(key=self.key, button=matches[0].id, locale=self.locale)
        return Incoming(key=self.key, text=said, locale=self.locale)

    async def verify(self, transcript: str) -> None:
        for turn in parse(transcript):
            actual = render(await self.send(turn.said))
            assert (turn.said, actual) == (turn.said, turn.expected), (
                f"after {turn.said!r}\n--- expected\n{turn.expected}\n--- actual\n{actual}"
            )


# Pressing a button by its id and submitting a form by its fields' names, where a test means the
# button or the field itself, not the label a person reads.


async def press(chat: Chat, button_id: str) -> list[Reply]:
    return await chat.engine.handle(Incoming(key=chat.key, button=button_id))


async def submit(chat: Chat, reply: Reply, **values: str) -> list[Reply]:
    assert reply.form is not None
    return await chat.engine.handle(Incoming(key=chat.key, form=values, form_id=reply.form.id))


def with_form(replies: list[Reply]) -> Reply:
    """The one reply among `replies` that offers a form."""
    (reply,) = [r for r in replies if r.form is not None]
    return reply
