"""The case card's acts that change the case as a whole: informing pupil health, closing and
reopening (each asked first where the sources say so), in each reader's language."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from routine.cases import EventKind
from routine.guides import CLOSING
from routine.model import Country, DateSpan, Role, SchoolCalendar, StaffMember
from tests.dialogs.case_cards import cards, first_item, labels, latest, log
from tests.dialogs.cases_world import open_the_cases
from tests.dialogs.transcript import press
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


# Pupil health, closing, reopening ---------------------------------------------------------------


async def test_informing_pupil_health_is_logged_and_shown(world, cases, chat_as) -> None:
    case_id = cases["se"]
    replies = await press(chat_as("se-S4"), f"cs.{case_id}.health")
    assert replies[0].text == "Elevhälsan är informerad och kan nu se ärendet."
    assert log(world, case_id)[-1].kind is EventKind.PUPIL_HEALTH_INFORMED
    card = latest(world, "U-se-S1")
    # The abbreviated month's full stop ends the sentence: "mån 23 nov.", not "nov..".
    assert card.text.splitlines()[-1] == "Elevhälsan informerad mån 23 nov."
    assert "Informera elevhälsan" not in labels(card)


async def test_pupil_health_once_informed_gets_the_card(world, cases, chat_as) -> None:
    """Informed at step 2 (000: 432) and told they can follow the case, pupil health gets its
    card from then on; before, they are not among its readers."""
    async with world() as uow:
        health = StaffMember(
            "se", "S7", "Lena Ström", frozenset({Role.PUPIL_HEALTH}), slack_user_id="U-se-S7"
        )
        await uow.staff.save(health)
        await uow.commit()
    case_id = cases["se"]
    await press(chat_as("se-S1"), f"cs.{case_id}.tick.{first_item('se.step2').id}@se.step2")
    assert cards(world, "U-se-S7") == []
    await press(chat_as("se-S4"), f"cs.{case_id}.health")
    card = latest(world, "U-se-S7")
    assert card.text.splitlines()[0] == "Elsa Berg, klass 7A"


async def test_closing_asks_first_and_reopening_opens_again(world, cases, chat_as) -> None:
    case_id = cases["se"]
    mentor = chat_as("se-S1")
    asked = await press(mentor, f"cs.{case_id}.close")
    # The sources' questions before closing (004: 2296–2326), in the reader's language.
    assert asked[-1].text.splitlines() == [
        "Avsluta ärendet för Elsa Berg, klass 7A? Det går att öppna igen senare.",
        "Gå igenom det här tillsammans innan ärendet avslutas:",
        *(f"• {q.text.sv}" for q in CLOSING[Country.SE].items if not q.advice),
        # The source's statements follow as advice, not as questions to talk through.
        *(q.text.sv for q in CLOSING[Country.SE].items if q.advice),
    ]
    # The Danish municipalities' kom-i-skole team is not named to a Swedish school.
    assert "kom-i-skole" not in asked[-1].text
    assert labels(asked[-1]) == ["Ja, avsluta det", "Nej, låt det vara öppet", "Avbryt"]
    assert not [e for e in log(world, case_id) if e.kind is EventKind.CLOSED]
    mentor.buttons = asked[-1].buttons
    kept = await mentor.send("[Ja, avsluta det]")
    assert kept[0].text.startswith(
        "Vad behöver fortsätta i skolan och hemma när ärendet är avslutat?"
    )
    assert not [e for e in log(world, case_id) if e.kind is EventKind.CLOSED]
    closed = await mentor.send("Läxhjälp på tisdagar, morgonrutinen hemma")
    assert closed[0].text == "Ärendet är avslutat."
    # What must be kept up is kept with the closing (004: 2324–2325).
    assert dict(log(world, case_id)[-1].detail) == {
        "kept_up": "Läxhjälp på tisdagar, morgonrutinen hemma"
    }
    assert log(world, case_id)[-1].kind is EventKind.CLOSED
    card = latest(world, "U-se-S1")
    assert card.text.splitlines()[-1] == "Avslutat mån 23 nov."
    assert labels(card) == ["Öppna ärendet igen"]
    # The card in the chat shows the same, and a stale tick is refused.
    assert labels(closed[1])[0] == "Öppna ärendet igen"
    item = first_item("se.step2")
    stale = await press(mentor, f"cs.{case_id}.tick.{item.id}@se.step2")
    assert stale[0].text == "Den här knappen fungerar inte längre."
    reopened = await press(mentor, f"cs.{case_id}.reopen")
    assert reopened[0].text == "Ärendet är öppet igen."
    assert labels(latest(world, "U-se-S1"))[-1] == "Avsluta ärendet"


async def test_a_danish_school_closing_gets_the_advice_on_handing_over(
    world, cases, chat_as
) -> None:
    asked = await press(chat_as("dk-S1"), f"cs.{cases['dk']}.close")
    lines = asked[-1].text.splitlines()
    advice = [q.text.da for q in CLOSING[Country.DK].items if q.advice]
    assert [q.id for q in CLOSING[Country.DK].items if q.advice] == [
        "closing_timing",
        "closing_handover",
    ]
    assert lines[-len(advice) :] == advice
    assert not any(line.startswith("• Har indsatsen været forankret") for line in lines)


async def test_closing_just_before_a_break_is_warned_against(world, cases, chat_as) -> None:
    async with world() as uow:
        school = await uow.schools.get("se")
        christmas_soon = SchoolCalendar(breaks=(DateSpan(date(2026, 11, 30), date(2026, 12, 4)),))
        await uow.schools.save(dataclasses.replace(school, calendar=christmas_soon))
        await uow.commit()
    asked = await press(chat_as("se-S1"), f"cs.{cases['se']}.close")
    assert asked[-1].text.splitlines()[-1] == (
        "Lovet börjar måndag 30 november 2026. Att avsluta ärendet precis före ett lov kan leda "
        "till ett bakslag, så överväg att vänta tills efter lovet."
    )
