"""The "nothing new" update, over simulated days: the coordinator is prompted when the family
has not heard from the school for `[cases] nothing_new_days` school days and not before, once
per quiet spell; one press sends the ready message in each guardian's language; writing one's
own sends it as typed; each is logged on the case and does the case's "nothing new" task, and
the prompt is edited in place."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from dialogs.events import Button, ConversationKey, Incoming
from routine.case_tasks import TaskKind
from routine.cases import Case, CaseEvent, EventKind
from routine.model import CaseRules, ChatAccount, Guardian, Language
from scheduler.jobs import JOBS, JobContext
from tests.dialogs.conftest import MONDAY_MORNING

OPENED = MONDAY_MORNING - timedelta(days=20)


@pytest.fixture
async def case_id(world) -> int:
    """Elsa's case, opened 20 days ago; Nils coordinates (Slack U-NILS). Anna (sv) and a
    Danish-speaking second guardian, Lars, on Telegram; Per has no chat."""
    async with world() as uow:
        nils = await uow.staff.get("se", "S4")
        await uow.staff.save(dataclasses.replace(nils, slack_user_id="U-NILS"))
        await uow.guardians.save(Guardian("se", "G3", "Lars Berg", Language.DA, pupil_ids=("P1",)))
        await uow.guardians.save(Guardian("se", "G4", "Per Holm", Language.SV, pupil_ids=("P1",)))
        await uow.accounts.save(ChatAccount("telegram", "4242", "se", "guardian", "G1"))
        await uow.accounts.save(ChatAccount("telegram", "4343", "se", "guardian", "G3"))
        [case] = await uow.cases.add_new(
            [Case("se", "P1", "se.step2", OPENED, "rule:se.step2", "S1", "S4")]
        )
        await uow.commit()
    return case.id


async def run(world, clock) -> str:
    result = await JOBS["nothing-new"].run(JobContext(world, clock), "se", clock.now().date())
    return result.summary


def prompts(world) -> list:
    return sorted(
        (m for m in world.store.outbox.values() if m.kind == "nothing-new"), key=lambda m: m.id
    )


async def test_the_coordinator_is_prompted_after_the_quiet_days(world, clock, case_id) -> None:
    # 20 days after opening, with a plan sent on Friday 13 November: not yet; due 10 school
    # days later, on Friday 27 November.
    async with world() as uow:
        await uow.cases.add_events(
            [CaseEvent(case_id, MONDAY_MORNING - timedelta(days=10), EventKind.PLAN_SAVED, "x")]
        )
        # A tick reaches nobody outside the school: it does not count.
        await uow.cases.add_events(
            [CaseEvent(case_id, MONDAY_MORNING - timedelta(days=1), EventKind.TICKED, "x")]
        )
        await uow.commit()
    assert await run(world, clock) == "0 quiet case(s); 0 prompt(s) queued"
    clock.moment += timedelta(days=3)
    assert await run(world, clock) == "0 quiet case(s); 0 prompt(s) queued"
    clock.moment += timedelta(days=1)
    assert await run(world, clock) == "1 quiet case(s); 1 prompt(s) queued"
    # The next day: the same prompt, nothing new queued.
    clock.moment += timedelta(days=1)
    assert await run(world, clock) == "1 quiet case(s); 0 prompt(s) queued"
    [prompt] = prompts(world)
    assert prompt.recipient == "U-NILS"
    assert prompt.text.splitlines() == [
        "Familjen till Elsa Berg (7A) har inte hört något från skolan sedan fredag "
        "13 november 2026. En kort uppdatering håller dem informerade, även när inget är nytt.",
        "Klart att skicka, så som vårdnadshavarna läser det:",
        "> Hej! Her er en kort opdatering fra Ekbackens skola om Elsa Berg: der er ikke sket "
        "noget nyt, siden vi sidst var i kontakt, og vi fortsætter, som vi har aftalt. Du er "
        "altid velkommen til at kontakte os.",
        "> Hej! En kort uppdatering från Ekbackens skola om Elsa Berg: inget nytt har hänt "
        "sedan vi senast hördes, och vi fortsätter som vi kom överens om. Du är alltid "
        "välkommen att höra av dig till oss.",
    ]
    assert [b.label for b in prompt.buttons] == ["Skicka", "Skriv eget", "Vi har pratat"]


async def test_a_school_sets_how_often_the_family_hears(world, clock, case_id) -> None:
    async with world() as uow:
        school = await uow.schools.get("se")
        await uow.schools.save(dataclasses.replace(school, cases=CaseRules(nothing_new_days=20)))
        await uow.commit()
    assert await run(world, clock) == "0 quiet case(s); 0 prompt(s) queued"
    clock.moment += timedelta(days=10)
    assert await run(world, clock) == "1 quiet case(s); 1 prompt(s) queued"


async def press(engine, button: str, account: str = "se-S4") -> list[str]:
    key = ConversationKey(platform="test", chat=account, user=account)
    return [r.text for r in await engine.handle(Incoming(key=key, button=button))]


async def test_one_press_sends_the_ready_message(world, clock, engine, case_id) -> None:
    await run(world, clock)
    [prompt] = prompts(world)
    send = next(b.id for b in prompt.buttons if b.label == "Skicka")
    replies = await press(engine, send)
    assert replies[:2] == [
        "Skickat till vårdnadshavarna i 2 chattar.",
        "Ingen chatt når Per Holm: berätta det i ett brev eller ett samtal.",
    ]
    sent = {m.recipient: m.text for m in world.store.outbox.values() if m.kind == "family-update"}
    assert sent["4242"].startswith("Hej! En kort uppdatering från Ekbackens skola")
    assert sent["4343"].startswith("Hej! Her er en kort opdatering fra Ekbackens skola")
    # The prompt, edited in place: who sent it, and no buttons.
    latest = prompts(world)[-1]
    assert (latest.slot, latest.buttons) == (prompt.slot, ())
    assert latest.text.splitlines()[-1] == "Nils Holm skickade uppdateringen."
    [event] = [e for e in world.store.case_events if e.kind is EventKind.FAMILY_UPDATED]
    assert (event.actor, dict(event.detail)) == ("staff:S4", {"by": "ready"})
    # Now the family has heard: tomorrow brings no prompt.
    clock.moment += timedelta(days=1)
    assert await run(world, clock) == "0 quiet case(s); 0 prompt(s) queued"


async def test_an_update_no_chat_reaches_is_not_said_to_be_sent(
    world, clock, engine, case_id
) -> None:
    async with world() as uow:
        for account in ("4242", "4343"):
            await uow.accounts.delete("telegram", account)
        await uow.commit()
    await run(world, clock)
    [prompt] = prompts(world)
    send = next(b.id for b in prompt.buttons if b.label == "Skicka")
    replies = await press(engine, send)
    assert replies[:2] == [
        # Not "sent to the guardians in 0 chats".
        "Uppdateringen har inte skickats till någon chatt.",
        "Ingen chatt når Anna Berg, Lars Berg, Per Holm: berätta det i ett brev eller ett samtal.",
    ]
    assert [m for m in world.store.outbox.values() if m.kind == "family-update"] == []


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (Language.SV, "Uppdateringen har inte skickats till någon chatt."),
        (Language.NB, "Oppdateringen er ikke sendt til noen chat."),
        (Language.DA, "Opdateringen er ikke sendt til nogen chat."),
    ],
)
async def test_the_update_no_chat_reaches_is_named_in_each_language(
    world, clock, engine, case_id, language, said
) -> None:
    """Said alone, the answer names what was not sent (not "It has not been sent")."""
    async with world() as uow:
        nils = await uow.staff.get("se", "S4")
        await uow.staff.save(dataclasses.replace(nils, language=language))
        for account in ("4242", "4343"):
            await uow.accounts.delete("telegram", account)
        await uow.commit()
    await run(world, clock)
    [prompt] = prompts(world)
    send = next(b.id for b in prompt.buttons if b.id.endswith(".send"))
    replies = await press(engine, send)
    assert replies[0] == said
    assert [m for m in world.store.outbox.values() if m.kind == "family-update"] == []


async def test_writing_ones_own_sends_it_as_typed(world, clock, chat_as, case_id) -> None:
    await run(world, clock)
    [prompt] = prompts(world)
    nils = chat_as("se-S4")
    nils.buttons = tuple(Button(b.id, b.label) for b in prompt.buttons)
    replies = await nils.send("[Skriv eget]")
    assert replies[0].text == "Skriv din uppdatering till familjen till Elsa Berg."
    assert replies[0].form.fields[0].initial[0].startswith("Hej! En kort uppdatering")
    await nils.send("{text=Hej! Vi ses på mötet på torsdag. /Nils}")
    sent = [m.text for m in world.store.outbox.values() if m.kind == "family-update"]
    assert sent == ["Hej! Vi ses på mötet på torsdag. /Nils"] * 2
    [event] = [e for e in world.store.case_events if e.kind is EventKind.FAMILY_UPDATED]
    assert dict(event.detail) == {"by": "own"}


async def test_we_have_talked_is_logged_and_others_are_refused(
    world, clock, engine, case_id
) -> None:
    await run(world, clock)
    [prompt] = prompts(world)
    talked = next(b.id for b in prompt.buttons if b.label == "Vi har pratat")
    # Jonas (7B) may not act on Elsa's case; the refusal is logged.
    assert (await press(engine, talked, "se-S2"))[0] == (
        "Ärendet är avslutat eller inte längre ditt."
    )
    assert (await press(engine, talked))[0] == "Noterat: du har pratat med familjen."
    kinds = [e.kind for e in world.store.case_events]
    assert kinds == [EventKind.REFUSED, EventKind.FAMILY_CONTACTED]
    assert [m for m in world.store.outbox.values() if m.kind == "family-update"] == []


async def test_sending_the_update_does_the_nothing_new_task(world, clock, engine, case_id) -> None:
    await run(world, clock)
    [task] = [t for t in world.store.case_tasks.values() if t.kind is TaskKind.NOTHING_NEW]
    assert task.is_open and task.owner_id == "S4"
    [prompt] = prompts(world)
    await press(engine, next(b.id for b in prompt.buttons if b.label == "Skicka"))
    done = world.store.case_tasks[task.id]
    assert (done.is_open, done.done_by) == (False, "S4")
    # The next task counts from today's update.
    clock.moment += timedelta(days=1)
    await run(world, clock)
    [following] = [
        t for t in world.store.case_tasks.values() if t.kind is TaskKind.NOTHING_NEW and t.is_open
    ]
    assert following.due > clock.now().date()
