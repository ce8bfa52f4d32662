"""The demo: pick a person at one of the three demo schools and chat as them.

The persona menu is for whoever is trying the product, so it is in English; the chat itself
speaks the person's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import bootstrap
from bot.console import INBOX_COMMAND, QUIT_COMMANDS, chat_as, link_console_account
from bot.console_inbox import Inbox
from bot.demo_history import open_cases
from dialogs.unreported import GUARDIAN_PLATFORM
from routine.cases import Case
from routine.model import ChatAccount, Role, School
from routine.ports import UnitOfWork, UnitOfWorkFactory

SWITCH = "/switch"
COUNTRY_NAMES = {"SE": "Sweden", "NO": "Norway", "DK": "Denmark"}
LANGUAGE_NAMES = {"sv": "Swedish", "nb": "Norwegian", "da": "Danish"}
STAFF_ROLES = (Role.MENTOR, Role.COORDINATOR, Role.PRINCIPAL, Role.PUPIL_HEALTH)


@dataclass(frozen=True)
class Persona:
    school_key: str
    role: str
    person_id: str
    label: str


async def personas(uow: UnitOfWork) -> list[Persona]:
    """Per school: the guardian with the most children, then the mentor of that guardian's
    first child, a coordinator, the principal and pupil health, so a report can be followed
    across roles."""
    found = []
    schools = sorted(await uow.schools.list(), key=lambda s: ["SE", "NO", "DK"].index(s.country))
    for school in schools:
        where = (
            f"{school.name} ({COUNTRY_NAMES[school.country]}, {LANGUAGE_NAMES[school.language]})"
        )
        guardians = await uow.guardians.list_for_school(school.key)
        staff = await uow.staff.list_for_school(school.key)
        class_of_child = ""
        if guardians:
            guardian = max(guardians, key=lambda g: (len(g.pupil_ids), g.guardian_id))
            children = [await uow.pupils.get(school.key, i) for i in guardian.pupil_ids]
            names = sorted((c.name, c.class_name) for c in children if c is not None)
            class_of_child = names[0][1] if names else ""
            label = f"{where}: guardian {guardian.name} ({', '.join(n for n, _c in names)})"
            found.append(Persona(school.key, "guardian", guardian.guardian_id, label))
        for role in STAFF_ROLES:
            candidates = [s for s in staff if s.has_role(role)]
            preferred = [s for s in candidates if class_of_child in s.classes]
            member = next(iter(preferred or candidates), None)
            if member is not None:
                classes = f" (class {', '.join(member.classes)})" if member.classes else ""
                label = f"{where}: {role.value.replace('_', ' ')} {member.name}{classes}"
                found.append(Persona(school.key, role.value, member.staff_id, label))
    return found


async def link_demo_chats(factory: UnitOfWorkFactory) -> int:
    """Each demo guardian gets a made-up chat on the guardians' platform, as a family that has
    linked their phone: what the service sends them (an absence prompt, a leave decision, a
    plan) is then queued as for a real family, and the console shows it to the guardian. No
    token is configured, so nothing leaves the machine. How many were linked."""
    async with factory() as uow:
        schools = await uow.schools.list()
        linked = 0
        for school in schools:
            for guardian in await uow.guardians.list_for_school(school.key):
                chat_id = f"demo-{school.key}-{guardian.guardian_id}"
                account = ChatAccount(
                    GUARDIAN_PLATFORM, chat_id, school.key, "guardian", guardian.guardian_id
                )
                await uow.accounts.save(account)
                linked += 1
        await uow.commit()
    return linked


def intro(database: Path) -> str:
    return (
        "narvaro demo: one school per country, fictitious people, stored in "
        f"{database}.\nChoose who you are. In the chat, type the number of a choice, or text "
        "when asked. What the service sends on its own appears marked \u2709, and "
        f"{INBOX_COMMAND} shows it again. {SWITCH} changes person, /quit leaves."
    )


def describe_cases(cases: list[tuple[School, Case, str]]) -> str:
    """The open cases to walk through, from the weeks of history the demo starts with."""
    if not cases:
        return "No open cases yet: the demo's history falls outside the schools' terms."
    lines = ["Open cases to walk through (from the weeks of history before today):"]
    lines.extend(
        f"  {school.name}: {name}, stage {case.stage}, opened "
        f"{case.opened_at.astimezone(ZoneInfo(school.timezone)):%a %d %b} ({case.opened_by})"
        for school, case, name in cases
    )
    return "\n".join(lines)


async def play(
    app: bootstrap.App,
    database: Path,
    *,
    read: Callable[[str], str],
    write: Callable[[str], None],
) -> None:
    write(intro(database))
    write(describe_cases(await open_cases(app.uow_factory)))
    inboxes: dict[str, Inbox] = {}
    while True:
        async with app.uow_factory() as uow:
            people = await personas(uow)
        persona = choose(people, read=read, write=write)
        if persona is None:
            return
        async with app.uow_factory() as uow:
            account = await link_console_account(
                uow, persona.role, persona.person_id, persona.school_key
            )
            await uow.commit()
        write(f"\n— You are now: {persona.label} —")
        exit_command = await chat_as(
            app.dialogs,
            account,
            read=read,
            write=write,
            extra_exits=(SWITCH,),
            # Per person, for the demo's whole run: back from /switch, nothing is shown twice.
            inbox=inboxes.setdefault(account.account_id, Inbox(app.uow_factory, account)),
        )
        if exit_command != SWITCH:
            return


def choose(
    people: list[Persona], *, read: Callable[[str], str], write: Callable[[str], None]
) -> Persona | None:
    write("")
    for number, persona in enumerate(people, 1):
        write(f"  {number:2}) {persona.label}")
    while True:
        try:
            answer = read("who are you? › ").strip().lower()
        except EOFError:
            return None
        if answer in QUIT_COMMANDS:
            return None
        if answer.isdigit() and 1 <= int(answer) <= len(people):
            return people[int(answer) - 1]
        write(f"Please type a number from 1 to {len(people)}, or /quit.")
