""" "My cases": the day summary (App Home tab, `/narvaro`) lists the cases waiting for the
person with a button that shows the card, and the menu's "My cases" flow shows a card with its
checklist to tick and a stage's questions to go through; viewing a case is logged."""

from __future__ import annotations

import pytest

from dialogs.events import Incoming
from routine.cases import EventKind
from routine.guides import GUIDES
from routine.model import ChatAccount, Role, StaffMember
from tests.dialogs.cases_world import open_the_cases
from tests.fakes import FakeUnitOfWorkFactory

STAGE = "se.step2"


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


def guide_lines(template: str) -> str:
    """The transcript with the stage guide's own words filled in (the guides may change): the
    first checklist item and question by name, the others as lines and buttons."""
    guide = GUIDES[STAGE]
    checklist = [i for i in guide.checklist if not i.principal_only]
    questions = guide.questions[0]

    def lines(items, start: int = 2) -> str:
        return "".join(f"\n    < {n}. ☐ {i.text.sv}" for n, i in enumerate(items, start))

    def buttons(label: str, count: int) -> str:
        return "".join(f" [{label} {n}]" for n in range(2, count + 1))

    return template.format(
        stage=guide.name.sv,
        next=GUIDES["se.step3"].name.sv,
        item1=checklist[0].text.sv,
        items=lines(checklist[1:]),
        ticks=buttons("Bocka av", len(checklist)),
        sets=" ".join(f"[Frågor: {q.title.sv}]" for q in guide.questions),
        set=questions.title.sv,
        q1=questions.items[0].text.sv,
        questions=lines(questions.items[1:]),
        covered="".join(f" {label}" for label in question_buttons(questions.items)),
        covered_after="".join(f"{label} " for label in question_buttons(questions.items)),
    )


def question_buttons(items) -> list[str]:
    """The questions' buttons after the first question's [Avklarad 1] (shown until it is
    ticked): a note's only where the question is not covered-only."""
    labels = []
    for number, item in enumerate(items, 1):
        if number > 1:
            labels.append(f"[Avklarad {number}]")
        if not item.covered_only:
            labels.append(f"[Anteckning till {number}]")
    return labels


def viewed(world: FakeUnitOfWorkFactory, case_id: int) -> list[str]:
    return [
        e.actor
        for e in world.store.case_events
        if e.case_id == case_id and e.kind is EventKind.VIEWED
    ]


CARD = """
    < Elsa Berg, klass 7A
    < Steg: {stage}
    < Ansvarig: Karin Ek
    < Samordnare: Nils Holm
    < Öppnat sön 22 nov.: Frånvaro: 3 av 20 kända skoldagar (15 %), mån 26 okt.–fre 20 nov.
    < Checklista:
"""
BUTTONS = (
    "{sets} [Gå vidare till ”{next}”] [Plan] [Informera elevhälsan] [Avsluta ärendet] "
    "[Tillbaka till mina ärenden] [Avbryt]"
)


async def test_the_coordinator_ticks_and_goes_through_the_questions(world, cases, chat_as) -> None:
    coordinator = chat_as("se-S4")
    await coordinator.send("hej")
    await coordinator.verify(
        guide_lines(
            f"""
    > [Mina ärenden]
    < Vilket ärende?
    [Elsa Berg, klass 7A] [Avbryt]
    > [Elsa Berg, klass 7A]
    {CARD}
    < 1. ☐ {{item1}}{{items}}
    < Elevhälsan är inte informerad än.
    [Bocka av 1]{{ticks}} {BUTTONS}
    > [Bocka av 1]
    < Avbockat.
    <<
    {CARD}
    < 1. ☑ {{item1}} (avbockad av Nils Holm, mån 23 nov.){{items}}
    < Elevhälsan är inte informerad än.
    [Ångra 1]{{ticks}} {BUTTONS}
    > [Frågor: {{set}}]
    < {{set}}
    < 1. ☐ {{q1}}{{questions}}
    < Bocka av en fråga när ni har pratat om den.
    [Avklarad 1]{{covered}} [Tillbaka till ärendet] [Avbryt]
    > [Avklarad 1]
    < Avbockat.
    <<
    < {{set}}
    < 1. ☑ {{q1}}{{questions}}
    < Bocka av en fråga när ni har pratat om den.
    {{covered_after}}[Tillbaka till ärendet] [Avbryt]
    """
        )
    )
    case_id = cases["se"]
    ticks = [
        (e.actor, e.detail["item"])
        for e in world.store.case_events
        if e.case_id == case_id and e.kind is EventKind.TICKED
    ]
    guide = GUIDES[STAGE]
    questions = guide.questions[0]
    assert ticks == [
        ("staff:S4", guide.checklist[0].id),
        ("staff:S4", f"{questions.id}/{questions.items[0].id}"),
    ]
    # Seen once in this conversation, however often the card is shown again.
    assert viewed(world, case_id) == ["staff:S4"]


async def test_nobody_else_s_case_waits_for_a_mentor_of_another_class(
    world, cases, chat_as
) -> None:
    other = chat_as("se-S2")
    await other.send("hej")
    menu = (
        "[Upprop] [Dagens anmälda frånvaro] [Kontaktförfrågningar] [Mina ärenden] "
        "[Rätta närvaron] [Jag är orolig för en elev] [Mina uppföljningsuppgifter] "
        "[Lämna över mina uppgifter] [Språk]"
    )
    await other.verify(
        f"""
    > [Mina ärenden]
    < Inga ärenden väntar på dig.
    <<
    < Vad mer kan jag hjälpa dig med?
    {menu}
    """
    )


async def test_the_day_summary_lists_my_cases_and_shows_a_card(world, cases, chat_as) -> None:
    mentor = chat_as("se-S1")
    summary, _menu = await mentor.send("/today")
    assert summary.text.splitlines()[-2:] == [
        "1 ärende väntar på dig:",
        f"• Elsa Berg, klass 7A: {GUIDES[STAGE].name.sv}",
    ]
    assert [b.label for b in summary.buttons][-1] == "Elsa Berg, klass 7A"
    assert summary.buttons[-1].id == f"cs.{cases['se']}.show"
    assert viewed(world, cases["se"]) == []
    mentor.buttons = summary.buttons  # the summary's, not the menu's after it
    (card,) = await mentor.send("[Elsa Berg, klass 7A]")
    assert card.text.splitlines()[:3] == [
        "Elsa Berg, klass 7A",
        f"Steg: {GUIDES[STAGE].name.sv}",
        "Ansvarig: Karin Ek",
    ]
    assert viewed(world, cases["se"]) == ["staff:S1"]
    # The principal is not on the case at the mentor's stage: nothing waits for her.
    principal_summary, _menu = await chat_as("se-S3").send("/today")
    assert "ärende" not in principal_summary.text


async def test_the_summary_in_norwegian_and_danish(world, cases, chat_as) -> None:
    (norwegian, _menu) = await chat_as("no-S2").send("/today")
    assert norwegian.text.splitlines()[-2] == "1 sak venter på deg:"
    assert norwegian.text.splitlines()[-1].startswith("• Ola Nordmann, klasse 8A: ")
    assert [b.label for b in norwegian.buttons] == ["Ola Nordmann, klasse 8A"]
    (danish, _menu) = await chat_as("dk-S2").send("/today")
    assert danish.text.splitlines()[-2] == "1 sag venter på dig:"
    assert [b.label for b in danish.buttons] == ["Emil Hansen, klasse 6A"]


async def test_a_show_button_for_a_case_one_may_not_see_is_refused_and_logged(
    world, cases, chat_as
) -> None:
    other = chat_as("se-S2")
    replies = await other.engine.handle(Incoming(key=other.key, button=f"cs.{cases['se']}.show"))
    assert replies[0].text == "Den här knappen fungerar inte längre."
    refused = [
        (e.actor, dict(e.detail))
        for e in world.store.case_events
        if e.case_id == cases["se"] and e.kind is EventKind.REFUSED
    ]
    assert refused == [("staff:S2", {"tried": "viewed"})]
    assert viewed(world, cases["se"]) == []


async def test_the_card_hands_over_to_the_plan(world, cases, chat_as) -> None:
    """From a card in the chat (the console's way to a case), [Plan] opens the plan's form for
    that case; saving it comes back to the menu."""
    coordinator = chat_as("se-S4")
    await coordinator.send("hej")
    await coordinator.send("[Mina ärenden]")
    await coordinator.send("[Elsa Berg, klass 7A]")
    replies = await coordinator.send("[Plan]")
    [form] = [r.form for r in replies if r.form is not None]
    assert form.id.endswith("case_plan")
    assert replies[0].text.startswith("Planen för Elsa Berg (7A).")


async def test_pupil_health_finds_a_case_once_informed(world, cases, chat_as) -> None:
    """Told "you can follow it from now on", pupil health finds the case under "My cases"."""
    async with world() as uow:
        await uow.staff.save(StaffMember("se", "S7", "Lena Ström", frozenset({Role.PUPIL_HEALTH})))
        await uow.accounts.save(ChatAccount("test", "se-S7", "se", "staff", "S7"))
        await uow.commit()
    health = chat_as("se-S7")
    await health.send("hej")
    before = await health.send("[Mina ärenden]")
    assert before[0].text == "Inga ärenden väntar på dig."
    coordinator = chat_as("se-S4")
    informed = await coordinator.engine.handle(
        Incoming(key=coordinator.key, button=f"cs.{cases['se']}.health")
    )
    assert informed[0].text == "Elevhälsan är informerad och kan nu se ärendet."
    await health.send("/menu")
    listed = await health.send("[Mina ärenden]")
    assert [b.label for b in listed[0].buttons] == ["Elsa Berg, klass 7A", "Avbryt"]
    (card,) = await health.send("[Elsa Berg, klass 7A]")
    assert card.text.splitlines()[0] == "Elsa Berg, klass 7A"
    assert viewed(world, cases["se"]) == ["staff:S7"]
    # Another school's pupil health sees nothing of it.
    async with world() as uow:
        await uow.staff.save(StaffMember("no", "S7", "Ola Lie", frozenset({Role.PUPIL_HEALTH})))
        await uow.accounts.save(ChatAccount("test", "no-S7", "no", "staff", "S7"))
        await uow.commit()
    other = chat_as("no-S7", locale="nb")
    await other.send("hei")
    elsewhere = await other.send("[Mine saker]")
    assert elsewhere[0].text == "Ingen saker venter på deg."


async def test_cancelling_from_a_case_says_the_ticks_are_kept(world, cases, chat_as) -> None:
    """Ticks are saved as they are made: cancelling from the card says so, not "Nothing was
    sent", and the tick stays."""
    coordinator = chat_as("se-S4")
    for said in ["hej", "[Mina ärenden]", "[Elsa Berg, klass 7A]", "[Bocka av 1]"]:
        await coordinator.send(said)
    replies = await coordinator.send("[Avbryt]")
    assert replies[0].text == (
        "Tillbaka till menyn. Det du har bockat av och antecknat är sparat."
    )
    assert [e.actor for e in world.store.case_events if e.kind is EventKind.TICKED] == ["staff:S4"]


async def test_the_next_stage_asks_first_when_items_are_unticked(world, cases, chat_as) -> None:
    """[Nästa steg] says how many checklist items are unticked and asks; "No" keeps the case
    where it is, "Yes" moves it on."""
    guide = GUIDES[STAGE]
    unticked = len([i for i in guide.checklist if not i.principal_only])
    coordinator = chat_as("se-S4")
    for said in ["hej", "[Mina ärenden]", "[Elsa Berg, klass 7A]"]:
        await coordinator.send(said)
    next_stage = f"[Gå vidare till ”{GUIDES['se.step3'].name.sv}”]"
    asked = await coordinator.send(next_stage)
    assert asked[0].text == (
        f"{unticked} punkter i checklistan är inte avbockade. Flytta ärendet vidare till nästa "
        "steg?"
    )
    assert [b.label for b in asked[0].buttons] == [
        "Ja, flytta det vidare",
        "Nej, stanna kvar i det här steget",
        "Avbryt",
    ]
    await coordinator.send("[Nej, stanna kvar i det här steget]")
    assert world.store.cases[cases["se"]].stage == STAGE
    await coordinator.send(next_stage)
    await coordinator.send("[Ja, flytta det vidare]")
    assert world.store.cases[cases["se"]].stage == "se.step3"
