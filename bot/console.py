"""A terminal chat with the dialog engine, for development and the demo.

It converts only: typed lines become `Incoming` events, replies become printed lines, and
buttons are shown numbered so that typing a number presses one. A form is filled in field by
field as soon as it is offered. Its hints are in English, like the rest of this operator's
tool; the form's own labels come translated from the engine.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.console_inbox import Inbox
from bot.errors import OperatorError
from dialogs.engine import Engine
from dialogs.events import Button, ConversationKey, Form, FormField, Incoming, Reply
from routine.model import ChatAccount, Role
from routine.ports import UnitOfWork

PLATFORM = "console"
QUIT_COMMANDS = ("/quit", "/exit")
CANCEL_COMMAND = "/cancel"
# Shows the last messages the service sent to the person again (see `bot.console_inbox`).
INBOX_COMMAND = "/inbox"
# Typed at a choice field: select none, where Enter would keep the initial selection.
SELECT_NONE = "-"


def render(reply: Reply, first: int = 1) -> list[str]:
    """The reply's lines, its buttons numbered from `first`."""
    lines = [
        f"narvaro › {line}" if i == 0 else f"          {line}"
        for i, line in enumerate(reply.text.splitlines() or [""])
    ]
    lines.extend(
        f"   {number}) {button.label}" for number, button in enumerate(reply.buttons, first)
    )
    return lines


def to_incoming(key: ConversationKey, line: str, buttons: tuple[Button, ...]) -> Incoming:
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Incoming(key=key, button=buttons[int(text) - 1].id)
    return Incoming(key=key, text=text)


def offered_form(replies: Sequence[Reply]) -> Form | None:
    """The form to fill in: the last one offered, as the engine asks it last."""
    return next((reply.form for reply in reversed(replies) if reply.form is not None), None)


def form_heading(form: Form) -> str:
    return f"   ── {form.title} ── ({CANCEL_COMMAND} cancels)"


def field_lines(field: FormField) -> list[str]:
    """A choice field's choices, numbered; the initially selected ones are marked."""
    initial = initial_values(field)
    marks = ("[x]", "[ ]") if field.multiple else ("(x)", "( )")
    return [
        f"   {marks[0] if value in initial else marks[1]} {number}) {label}"
        for number, (value, label) in enumerate(field.choices, 1)
    ]


def field_prompt(field: FormField) -> str:
    """The field's label; a text field's initial text is shown as what Enter keeps."""
    kept = "".join(f" [{text}]" for text in initial_values(field) if not field.choices)
    return f"   {field.label}{kept} › "


def initial_values(field: FormField) -> list[str]:
    """What Enter keeps: the initial text, or the initial choices that were offered (a single
    choice field keeps only the first of them)."""
    if not field.choices:
        return [text for text in field.initial[:1] if text]
    offered = [value for value, _label in field.choices if value in field.initial]
    return offered if field.multiple else offered[:1]


def answer_field(field: FormField, line: str) -> str:
    """The value to submit for a line typed at the field (see `FormField`). A line the field
    cannot take is a ValueError whose message says what it takes."""
    text = line.strip()
    if not text:
        value = "\n".join(initial_values(field))
    elif field.choices and text == SELECT_NONE:
        value = ""
    elif field.choices:
        value = "\n".join(_numbered(field, text))
    else:
        value = text
    if field.required and not value:
        raise ValueError(how_to_answer(field))
    return value


def _numbered(field: FormField, text: str) -> list[str]:
    """The values of the choices whose numbers were typed, in the order of the choices."""
    numbers = [number for number in re.split(r"[,\s]+", text) if number]
    valid = all(n.isdecimal() and 1 <= int(n) <= len(field.choices) for n in numbers)
    if not valid or (len(numbers) > 1 and not field.multiple):
        raise ValueError(how_to_answer(field))
    chosen = {int(number) for number in numbers}
    return [value for n, (value, _label) in enumerate(field.choices, 1) if n in chosen]


def how_to_answer(field: FormField) -> str:
    if not field.choices:
        return "Please type an answer."
    count = len(field.choices)
    if field.multiple:
        ways = [f"type numbers from 1 to {count}, separated by commas or spaces"]
    else:
        ways = [f"type a number from 1 to {count}"]
    if initial_values(field):
        ways.append("Enter keeps the marked " + ("ones" if field.multiple else "one"))
    if not field.required:
        ways.append(f"{SELECT_NONE} selects none")
    return "Please " + "; ".join(ways) + "."


class _ExitTyped(Exception):
    """An exit command, typed wherever the console was reading: `run` returns it."""

    def __init__(self, command: str) -> None:
        super().__init__(command)
        self.command = command


class ConsoleChat:
    def __init__(
        self,
        engine: Engine,
        key: ConversationKey,
        *,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
        inbox: Inbox | None = None,
    ) -> None:
        self.engine = engine
        self.key = key
        self.read = read
        self.write = write
        self.inbox = inbox
        self.buttons: tuple[Button, ...] = ()
        self.exits = QUIT_COMMANDS

    async def send(self, incoming: Incoming) -> None:
        """Hand `incoming` to the engine and show the replies. A form among them is filled in
        and submitted at once, and the replies to that are shown in turn. Then the messages
        the service queued for the person meanwhile."""
        pending: Incoming | None = incoming
        while pending is not None:
            replies = await self.engine.handle(pending)
            self.show(replies)
            form = offered_form(replies)
            pending = self.fill(form) if form is not None else None
        if self.inbox is not None:
            self.show(await self.inbox.new(), keep=True)

    async def show_inbox(self) -> None:
        if self.inbox is None:
            self.write("   The inbox is shown in the demo and `narvaro console` only.\n")
            return
        self.show(await self.inbox.recent(), keep=True)

    def show(self, replies: Sequence[Reply], *, keep: bool = False) -> None:
        """The replies, their buttons numbered on from one reply to the next, so that every
        button shown can be pressed (a saved plan's [The pupil agrees] above the menu).
        With `keep`, numbered on after the buttons shown before, which stay pressable: the
        service's messages shown below the answer to the person."""
        if keep and not replies:
            return
        kept = list(self.buttons) if keep else []
        offered: list[Button] = []
        for reply in replies:
            for line in render(reply, len(kept) + len(offered) + 1):
                self.write(line)
            offered.extend(reply.buttons)
        if offered:
            self.buttons = tuple(kept + offered)
        self.write("")

    def fill(self, form: Form) -> Incoming:
        """The form filled in, or /cancel for the engine if the person typed it at a field."""
        self.write(form_heading(form))
        values = {}
        for field in form.fields:
            value = self._fill_field(field)
            if value is None:
                return Incoming(key=self.key, text=CANCEL_COMMAND)
            values[field.name] = value
        return Incoming(key=self.key, form=values, form_id=form.id)

    def _fill_field(self, field: FormField) -> str | None:
        for line in field_lines(field):
            self.write(line)
        while True:
            line = self._read(field_prompt(field))
            if line.strip().lower() == CANCEL_COMMAND:
                return None
            try:
                return answer_field(field, line)
            except ValueError as error:
                self.write(f"   {error}")

    def _read(self, prompt: str) -> str:
        line = self.read(prompt)
        if line.strip().lower() in self.exits:
            raise _ExitTyped(line.strip().lower())
        return line

    async def run(self, *, extra_exits: tuple[str, ...] = ()) -> str | None:
        """Chat until the person quits or input ends; returns the exit command typed, if any,
        also when it was typed in the middle of a form."""
        self.exits = QUIT_COMMANDS + extra_exits
        try:
            await self.send(Incoming(key=self.key, text="/start"))
            while True:
                line = self._read("you › ")
                if line.strip().lower() == INBOX_COMMAND:
                    await self.show_inbox()
                elif line.strip():
                    await self.send(to_incoming(self.key, line, self.buttons))
        except EOFError:
            return None
        except _ExitTyped as typed:
            return typed.command


async def chat_as(
    engine: Engine,
    account: ChatAccount,
    *,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    extra_exits: tuple[str, ...] = (),
    inbox: Inbox | None = None,
) -> str | None:
    """Chat as `account`; with an `inbox`, the messages the service queued for them too."""
    key = ConversationKey(platform=PLATFORM, chat=account.account_id, user=account.account_id)
    chat = ConsoleChat(engine, key, read=read, write=write, inbox=inbox)
    return await chat.run(extra_exits=extra_exits)


async def link_console_account(
    uow: UnitOfWork, role: str, person_id: str, school_key: str | None
) -> ChatAccount:
    """The console is an operator's tool: it may act as anyone the operator names."""
    school_key = school_key or await _only_school_with(uow, role, person_id)
    if await uow.schools.get(school_key) is None:
        raise OperatorError(f"no school with the key {school_key!r}")
    if role == "guardian":
        if await uow.guardians.get(school_key, person_id) is None:
            raise OperatorError(f"no guardian with the id {person_id!r} at {school_key}")
        kind = "guardian"
    else:
        staff = await uow.staff.get(school_key, person_id)
        if staff is None:
            raise OperatorError(f"no staff member with the id {person_id!r} at {school_key}")
        if not staff.has_role(Role(role)):
            raise OperatorError(f"{person_id} at {school_key} does not have the role {role}")
        kind = "staff"
    account_id = f"{school_key}/{kind}/{person_id}"
    account = ChatAccount(PLATFORM, account_id, school_key, kind, person_id)
    await uow.accounts.save(account)
    return account


async def _only_school_with(uow: UnitOfWork, role: str, person_id: str) -> str:
    matches = []
    for school in await uow.schools.list():
        if role == "guardian":
            found = await uow.guardians.get(school.key, person_id)
        else:
            found = await uow.staff.get(school.key, person_id)
        if found is not None:
            matches.append(school.key)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise OperatorError(f"no {role} with the id {person_id!r} in any school")
    raise OperatorError(f"{person_id!r} exists at {', '.join(matches)}: choose one with --school")
