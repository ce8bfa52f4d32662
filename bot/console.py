"""A terminal chat with the dialog engine, for development and the demo.

It converts only: typed lines become `Incoming` events, replies become printed lines, and
buttons are shown numbered so that typing a number presses one.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import OperatorError
from dialogs.engine import Engine
from dialogs.events import Button, ConversationKey, Incoming, Reply
from routine.model import ChatAccount, Role
from routine.ports import UnitOfWork

PLATFORM = "console"
QUIT_COMMANDS = ("/quit", "/exit")


def render(reply: Reply) -> list[str]:
    lines = [
        f"narvaro › {line}" if i == 0 else f"          {line}"
        for i, line in enumerate(reply.text.splitlines() or [""])
    ]
    lines.extend(f"   {number}) {button.label}" for number, button in enumerate(reply.buttons, 1))
    return lines


def to_incoming(key: ConversationKey, line: str, buttons: tuple[Button, ...]) -> Incoming:
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Incoming(key=key, button=buttons[int(text) - 1].id)
    return Incoming(key=key, text=text)


class ConsoleChat:
    def __init__(
        self,
        engine: Engine,
        key: ConversationKey,
        *,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
    ) -> None:
        self.engine = engine
        self.key = key
        self.read = read
        self.write = write
        self.buttons: tuple[Button, ...] = ()

    async def send(self, incoming: Incoming) -> None:
        for reply in await self.engine.handle(incoming):
            for line in render(reply):
                self.write(line)
            if reply.buttons:
                self.buttons = reply.buttons
        self.write("")

    async def run(self, *, extra_exits: tuple[str, ...] = ()) -> str | None:
        """Chat until the person quits or input ends; returns the exit command typed, if any."""
        await self.send(Incoming(key=self.key, text="/start"))
        while True:
            try:
                line = self.read("you › ")
            except EOFError:
                return None
            if line.strip().lower() in QUIT_COMMANDS + extra_exits:
                return line.strip().lower()
            if line.strip():
                await self.send(to_incoming(self.key, line, self.buttons))


async def chat_as(
    engine: Engine,
    account: ChatAccount,
    *,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    extra_exits: tuple[str, ...] = (),
) -> str | None:
    key = ConversationKey(platform=PLATFORM, chat=account.account_id, user=account.account_id)
    chat = ConsoleChat(engine, key, read=read, write=write)
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
