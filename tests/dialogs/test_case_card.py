"""The case card: rendered in each reader's language, ticks logged and every card edited in
place, items only the principal sees, refused presses logged, the step-one history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from routine.cases import EventKind
from routine.follow_up import ContactMeans, ContactOutcome, FollowUp, GuardianContact
from routine.guides import GUIDES
from routine.model import Language
from routine.outbox import DeliveryStatus
from tests.dialogs.case_cards import (
    cards,
    first_item,
    labels,
    latest,
    log,
    move_on,
    principal_item,
    say,
    short,
    visible,
)
from tests.dialogs.cases_world import NIGHT, open_the_cases
from tests.dialogs.transcript import press
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


# Rendering, in each reader's language ------------------------------------------------------


async def test_the_card_in_swedish(world, cases) -> None:
    stage, sv = "se.step2", Language.SV
    card = latest(world, "U-se-S1")
    assert card.slot == f"case:{cases['se']}"
    assert card.text.splitlines() == [
        "Elsa Berg, klass 7A",
        f"Steg: {GUIDES[stage].name.sv}",
        "Ansvarig: Karin Ek",
        "Samordnare: Nils Holm",
        f"Öppnat {short('sv', NIGHT.date())}: Frånvaro: 3 av 20 kända skoldagar (15 %), "
        "mån 26 okt.–fre 20 nov.",
        "Checklista:",
        *visible(stage, sv),
        "Elevhälsan är inte informerad än.",
    ]
    questions = [q.title.sv for q in GUIDES[stage].questions]
    assert labels(card) == [
        *(f"Bocka av {n}" for n in range(1, len(visible(stage, sv)) + 1)),
        *(f"Frågor: {title}" for title in questions),
        f"Gå vidare till ”{GUIDES['se.step3'].name.sv}”",
        "Plan",
        "Informera elevhälsan",
        "Avsluta ärendet",
    ]


async def test_the_card_in_norwegian(world, cases) -> None:
    stage = "no.concern"
    card = latest(world, "U-no-S2")
    assert card.text.splitlines() == [
        "Ola Nordmann, klasse 8A",
        f"Steg: {GUIDES[stage].name.nb}",
        # Norway's concern is the attendance team's (002: 598–600): the coordinator holds it.
        "Ansvarlig: Per Dahl",
        "Koordinator: Per Dahl",
        f"Åpnet {short('nb', NIGHT.date())}: Ugyldig fravær: 4 av 20 skoledager, "
        "man. 26. okt.–fre. 20. nov.",
        "Sjekkliste:",
        *visible(stage, Language.NB),
        "Helsesykepleier og PPT er ikke informert ennå.",
    ]
    assert labels(card)[-4:] == [
        f"Gå videre til «{GUIDES['no.early_effort'].name.nb}»",
        "Plan",
        "Informer helsesykepleier og PPT",
        "Avslutt saken",
    ]


async def test_the_card_in_danish(world, cases) -> None:
    stage = "dk.detection"
    card = latest(world, "U-dk-S1")
    assert card.text.splitlines() == [
        "Emil Hansen, klasse 6A",
        f"Trin: {GUIDES[stage].name.da}",
        "Ansvarlig: Søren Madsen",
        "Tovholder: Mette Krogh",
        f"Oprettet {short('da', NIGHT.date())}: Ulovligt fravær: 2 af 19 kendte skoledage "
        "(11 %), man. 26. okt.–fre. 20. nov.",
        "Tjekliste:",
        *visible(stage, Language.DA),
        "PPR er ikke informeret endnu.",
    ]
    assert labels(card)[-2:] == ["Informér PPR", "Afslut sagen"]


async def test_the_cards_go_to_the_owner_and_the_coordinator_only(world, cases) -> None:
    recipients = {m.recipient for m in world.store.outbox.values() if m.kind == "case-card"}
    assert recipients == {"U-se-S1", "U-se-S4", "U-no-S2", "U-dk-S1", "U-dk-S2"}


# Ticks --------------------------------------------------------------------------------------


async def test_a_tick_is_logged_and_every_card_is_edited_in_place(world, cases, chat_as) -> None:
    case_id, stage = cases["se"], "se.step2"
    item = first_item(stage)
    before = {r: cards(world, r)[-1] for r in ("U-se-S1", "U-se-S4")}
    replies = await press(chat_as("se-S1"), f"cs.{case_id}.tick.{item.id}@{stage}")
    assert replies[0].text == "Avbockat."
    ticked = [e for e in log(world, case_id) if e.kind is EventKind.TICKED]
    assert [(e.actor, dict(e.detail)) for e in ticked] == [
        ("staff:S1", {"stage": stage, "item": item.id})
    ]
    day = short("sv", replies and ticked[0].at.date())
    for recipient, earlier in before.items():
        versions = cards(world, recipient)
        # One slot per case and reader: the new version edits the message on screen.
        assert {m.slot for m in versions} == {f"case:{case_id}"}
        now = versions[-1]
        assert now.id != earlier.id
        assert f"1. ☑ {item.text.sv} (avbockad av Karin Ek, {day})" in now.text.splitlines()
        assert labels(now)[0] == "Ångra 1"
        assert world.store.outbox[earlier.id].status is DeliveryStatus.SUPERSEDED
    # Ticking it again changes nothing and logs nothing.
    again = await press(chat_as("se-S4"), f"cs.{case_id}.tick.{item.id}@{stage}")
    assert again[0].text == "Ingen ändring: det var redan så."
    assert len([e for e in log(world, case_id) if e.kind is EventKind.TICKED]) == 1
    # Unticking is logged too, and the card shows the item open again.
    undone = await press(chat_as("se-S4"), f"cs.{case_id}.untick.{item.id}@{stage}")
    assert undone[0].text == "Bocken är borttagen."
    assert log(world, case_id)[-1].kind is EventKind.UNTICKED
    assert f"1. ☐ {item.text.sv}" in latest(world, "U-se-S1").text.splitlines()


async def test_a_mentor_never_sees_an_item_only_the_principal_sees(world, cases, chat_as) -> None:
    case_id = cases["se"]
    moved = await move_on(chat_as("se-S1"), f"cs.{case_id}.next.se.step2")
    assert moved[0].text == "Ärendet har gått vidare till nästa steg."
    stage = "se.step3"
    secret = principal_item(stage)
    principal, mentor = latest(world, "U-se-S3"), latest(world, "U-se-S1")
    # The principal owns this stage now; the mentor who led the last one stays on the case.
    assert "Ansvarig: Eva Rydberg" in principal.text.splitlines()
    assert secret.text.sv in principal.text
    assert visible(stage, Language.SV) == [
        line for line in mentor.text.splitlines() if line[:1].isdigit()
    ]
    assert secret.text.sv not in mentor.text
    assert len(labels(mentor)) < len(labels(principal))
    # A forged press on it from the mentor's account changes nothing and is logged.
    forged = await press(chat_as("se-S1"), f"cs.{case_id}.tick.{secret.id}@{stage}")
    assert forged[0].text == "Den här knappen fungerar inte längre."
    last = log(world, case_id)[-1]
    assert (last.kind, last.actor, dict(last.detail)) == (
        EventKind.REFUSED,
        "staff:S1",
        {"tried": "ticked"},
    )
    ticked = await press(chat_as("se-S3"), f"cs.{case_id}.tick.{secret.id}@{stage}")
    assert ticked[0].text == "Avbockat."


@pytest.mark.parametrize("account", ["se-S2", "no-S1"])
async def test_a_press_by_someone_who_may_not_act_is_refused(
    world, cases, chat_as, account
) -> None:
    """Another class's mentor, or a member of staff of another school."""
    case_id, stage = cases["se"], "se.step2"
    item = first_item(stage)
    queued = len(world.store.outbox)
    replies = await press(chat_as(account), f"cs.{case_id}.tick.{item.id}@{stage}")
    assert replies[0].text == say(account[:2].replace("no", "nb"), "This button has expired.")
    assert not [e for e in log(world, case_id) if e.kind is EventKind.TICKED]
    assert len(world.store.outbox) == queued
    refused = [e for e in log(world, case_id) if e.kind is EventKind.REFUSED]
    # Another school's staff are not logged on this school's case: it is not theirs to know.
    assert [e.actor for e in refused] == (["staff:S2"] if account == "se-S2" else [])


async def test_a_button_of_a_stage_the_case_has_left_does_nothing(world, cases, chat_as) -> None:
    case_id, stage = cases["se"], "se.step2"
    item = first_item(stage)
    await move_on(chat_as("se-S1"), f"cs.{case_id}.next.se.step2")
    replayed = await press(chat_as("se-S1"), f"cs.{case_id}.tick.{item.id}@{stage}")
    assert replayed[0].text == "Den här knappen fungerar inte längre."
    assert log(world, case_id)[-1].kind is EventKind.REFUSED
    assert not [e for e in log(world, case_id) if e.kind is EventKind.TICKED]


@pytest.mark.parametrize(
    "button",
    ["cs.x.tick.a@se.step2", "cs.1.tick", "cs.1.fly", "cs.1.health.extra", "cs.1.tick.a@nowhere"],
)
async def test_a_malformed_button_is_answered_and_changes_nothing(
    world, cases, chat_as, button
) -> None:
    events = len(world.store.case_events)
    replies = await press(chat_as("se-S1"), button)
    assert replies[0].text == "Den här knappen fungerar inte längre."
    assert len(world.store.case_events) <= events + 1
    assert not [e for e in world.store.case_events if e.kind is EventKind.TICKED]


# The step-one history ------------------------------------------------------------------------


async def test_the_card_shows_the_step_one_contacts_before_the_opening(
    world, cases, chat_as
) -> None:
    """The same-day contacts of the weeks before the case opened are its history: the day, how
    and whether the family was reached; never the notes."""
    case_id, stage = cases["se"], "se.step2"
    async with world() as uow:
        reached = await uow.follow_ups.add(
            FollowUp("se", "P1", date(2026, 11, 12), NIGHT - timedelta(days=10))
        )
        await uow.follow_ups.add(
            FollowUp("se", "P1", date(2026, 11, 16), NIGHT - timedelta(days=6))
        )
        # Long before the four weeks: not shown.
        await uow.follow_ups.add(FollowUp("se", "P1", date(2026, 9, 1), NIGHT))
        await uow.guardian_contacts.add(
            GuardianContact(
                reached.id,
                "S1",
                "G1",
                NIGHT - timedelta(days=10),
                ContactMeans.PHONE,
                ContactOutcome.REACHED,
                True,
                note="Mamma sjuk",
            )
        )
        await uow.commit()
    await press(chat_as("se-S1"), f"cs.{case_id}.tick.{first_item(stage).id}@{stage}")
    text = latest(world, "U-se-S1").text
    lines = text.splitlines()
    start = lines.index("Steg 1 – kontakt med vårdnadshavare samma dag:")
    assert lines[start + 1 : start + 3] == [
        "• tors 12 nov.: fick kontakt med familjen per telefon",
        "• mån 16 nov.: ingen kontakt registrerad",
    ]
    assert "Mamma sjuk" not in text and "1 sep." not in text
