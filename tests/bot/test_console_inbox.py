"""The console shows what the service queued for its person, and its buttons can be pressed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from bot.console import chat_as, link_console_account
from bot.console_inbox import RECENT, Inbox
from dialogs.engine import Engine
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from dialogs.unreported import follow_up_unreported
from routine.cases import EventKind
from routine.model import AttendanceMark, ChatAccount, MarkKind, ReasonCategory
from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from routine.roster import default_absence_codes
from tests.dialogs.cases_world import open_the_cases
from tests.dialogs.conftest import MONDAY_MORNING, SCHOOLS, FixedClock, seed
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


FROM_NARVARO = sv("✉ Message from narvaro:")
UPDATED = sv("✉ Updated message from narvaro:")


def keyboard(*lines: str) -> Callable[[str], str]:
    remaining = list(lines)

    def read(prompt: str) -> str:
        if not remaining:
            raise EOFError
        return remaining.pop(0)

    return read


async def console(
    world: FakeUnitOfWorkFactory, role: str, person_id: str, *lines: str
) -> list[str]:
    """What the console wrote, chatting as the person at the Swedish school."""
    async with world() as uow:
        account = await link_console_account(uow, role, person_id, "se")
        await uow.commit()
    engine = Engine(uow_factory=world, flows=all_flows(), clock=FixedClock(MONDAY_MORNING))
    written: list[str] = []
    inbox = Inbox(world, account)
    await chat_as(engine, account, read=keyboard(*lines), write=written.append, inbox=inbox)
    return written


def number_of(written: list[str], label: str) -> str:
    """The number typed to press the last button shown with `label`."""
    line = [line for line in written if line.endswith(f") {label}")][-1]
    return line.split(")", 1)[0].strip()


def message(n: int, recipient: str, text: str, *, slot: str = "") -> OutboxMessage:
    return OutboxMessage(
        key=f"test:{n}",
        platform="slack",
        recipient=recipient,
        text=text,
        kind="test",
        school_key="se",
        buttons=(OutgoingButton(f"x.{n}", f"Knapp {n}"),),
        created_at=MONDAY_MORNING,
        slot=slot,
    )


async def queue(world: FakeUnitOfWorkFactory, *messages: OutboxMessage) -> None:
    async with world() as uow:
        for each in messages:
            await uow.outbox.add(each)
        await uow.commit()


async def test_a_coordinator_sees_a_case_card_queued_for_them_and_presses_a_button() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    case = (await open_the_cases(world))["se"]
    (card,) = [m for m in world.store.outbox.values() if m.recipient == "U-se-S4"]
    # The menu first, then the card, its buttons numbered on after the menu's.
    first = await console(world, "coordinator", "S4")
    shown = first.index(f"narvaro › {FROM_NARVARO}")
    assert first[shown + 1] == f"          {card.text.splitlines()[0]}"
    tick = card.buttons[0]
    assert int(number_of(first, tick.label)) > 1
    written = await console(world, "coordinator", "S4", number_of(first, tick.label))
    ticks = [e for e in world.store.case_events if e.case_id == case.id]
    assert [(e.kind, e.actor) for e in ticks if e.kind is EventKind.TICKED] == [
        (EventKind.TICKED, "staff:S4")
    ]
    assert "narvaro › Avbockat." in written
    # Shown, not sent: the dispatcher still has every message to deliver (the card ticked
    # is a new version; the one shown before is superseded, as on Slack).
    outbox = world.store.outbox.values()
    assert {m.status for m in outbox} == {DeliveryStatus.PENDING, DeliveryStatus.SUPERSEDED}
    assert {(m.attempts, m.ref) for m in outbox} == {(0, "")}


async def test_a_guardian_sees_the_prompt_for_their_telegram_chat_and_answers_it() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    async with world() as uow:
        await uow.accounts.save(ChatAccount("telegram", "4711", "se", "guardian", "G1"))
        for code in default_absence_codes(SCHOOLS["se"]):
            await uow.codes.save(code)
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        await follow_up_unreported(uow, SCHOOLS["se"], MONDAY, MONDAY_MORNING)
        await uow.commit()
    (prompt,) = [m for m in world.store.outbox.values() if m.recipient == "4711"]
    written = await console(world, "guardian", "G1")
    assert f"          {prompt.text}" in written
    ill = number_of(written, sv("Ill"))
    await console(world, "guardian", "G1", ill)
    (report,) = world.store.reports.values()
    assert (report.pupil_id, report.reason) == ("P1", ReasonCategory.ILLNESS)


async def test_a_person_never_sees_a_message_to_someone_else() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        await uow.accounts.save(ChatAccount("telegram", "4712", "se", "guardian", "G2"))
        await uow.commit()
    other_guardian = dataclasses.replace(
        message(3, "4712", "Till Per"), platform="telegram", buttons=()
    )
    await queue(world, message(1, "U-S1", "Till Karin"), message(2, "U-S2", "Till Jonas"))
    await queue(world, other_guardian)
    karin = await console(world, "mentor", "S1", "/inbox")
    anna = await console(world, "guardian", "G1", "/inbox")
    assert "          Till Karin" in karin
    assert not any("Till Jonas" in line or "Till Per" in line for line in karin)
    assert not any("Till " in line for line in anna)
    assert f"narvaro › {sv('No messages from narvaro yet.')}" in anna


async def test_each_message_is_shown_once_and_an_update_in_place_as_its_latest_version() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    async with world() as uow:
        (karin,) = [m for m in await uow.staff.list_for_school("se") if m.staff_id == "S1"]
        await uow.staff.save(dataclasses.replace(karin, slack_user_id="U-S1"))
        account = await link_console_account(uow, "mentor", "S1", "se")
        await uow.commit()
    inbox = Inbox(world, account)
    await queue(world, message(1, "U-S1", "Upprop: 2 av 20", slot="roll"))
    first = await inbox.new()
    assert [r.text for r in first] == [f"{FROM_NARVARO}\nUpprop: 2 av 20"]
    assert await inbox.new() == []
    await queue(world, message(2, "U-S1", "Upprop: 3 av 20", slot="roll"))
    await queue(world, message(3, "U-S1", "Påminnelse"))
    assert [r.text for r in await inbox.new()] == [
        f"{UPDATED}\nUpprop: 3 av 20",
        f"{FROM_NARVARO}\nPåminnelse",
    ]
    assert [b.id for r in await inbox.recent() for b in r.buttons] == ["x.2", "x.3"]


async def test_inbox_shows_the_last_ones_again_bounded() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    async with world() as uow:
        (karin,) = [m for m in await uow.staff.list_for_school("se") if m.staff_id == "S1"]
        await uow.staff.save(dataclasses.replace(karin, slack_user_id="U-S1"))
        await uow.commit()
    await queue(world, *(message(n, "U-S1", f"Nummer {n}") for n in range(1, RECENT + 3)))
    written = await console(world, "mentor", "S1", "/inbox")
    shown = [line.strip() for line in written if line.strip().startswith("Nummer ")]
    last = [f"Nummer {n}" for n in range(3, RECENT + 3)]
    # Once after the greeting, once for /inbox: the last ten, oldest first, each time.
    assert shown == last + last
