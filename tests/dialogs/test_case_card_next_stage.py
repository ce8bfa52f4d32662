"""The card's [Next stage] is asked first, as in the chat: the question says how many checklist
items are unticked (or names the stage when none are), "No" keeps the case where it is, "Yes"
moves it on. A button of a card the case has moved on from is refused, and so is a "Yes" after
someone else moved the case meanwhile: the move is a compare-and-set, made once."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from dialogs.i18n import gettext, use_locale
from dialogs.stage_change import change_stage
from routine.cases import EventKind
from routine.guides import GUIDES
from routine.model import Language
from tests.dialogs.case_cards import cards, labels, log, move_on
from tests.dialogs.cases_world import open_the_cases
from tests.dialogs.conftest import MONDAY_MORNING
from tests.dialogs.transcript import press
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


@dataclass(frozen=True)
class Mover:
    """Who moves each school's case on, from which stage to which, and what they read."""

    school: str
    account: str
    reader: str
    stage: str
    following: str
    language: Language
    unticked: str
    all_ticked: str
    choices: tuple[str, str, str]
    moved: str
    expired: str
    raced: str


MOVERS = [
    Mover(
        "se",
        "se-S1",
        "U-se-S1",
        "se.step2",
        "se.step3",
        Language.SV,
        "{count} punkter i checklistan är inte avbockade. Flytta ärendet vidare till nästa steg?",
        "Flytta ärendet vidare till ”{stage}”?",
        ("Ja, flytta det vidare", "Nej, stanna kvar i det här steget", "Avbryt"),
        "Ärendet har gått vidare till nästa steg.",
        "Den här knappen fungerar inte längre.",
        "Någon annan ändrade ärendet nyss. Försök igen.",
    ),
    Mover(
        "no",
        "no-S2",
        "U-no-S2",
        "no.concern",
        "no.early_effort",
        Language.NB,
        "{count} punkter på sjekklisten er ikke krysset av. Flytte saken videre til neste steg?",
        "Flytte saken videre til «{stage}»?",
        ("Ja, flytt den videre", "Nei, bli på dette steget", "Avbryt"),
        "Saken er flyttet til neste steg.",
        "Denne knappen virker ikke lenger.",
        "Noen andre endret saken akkurat nå. Prøv igjen.",
    ),
    Mover(
        "dk",
        "dk-S1",
        "U-dk-S1",
        "dk.detection",
        "dk.mapping",
        Language.DA,
        "{count} punkter på tjeklisten er ikke krydset af. Flytte sagen videre til næste trin?",
        "Flytte sagen videre til »{stage}«?",
        ("Ja, flyt den videre", "Nej, bliv på dette trin", "Annuller"),
        "Sagen er gået videre til næste trin.",
        "Denne knap virker ikke længere.",
        "En anden har lige ændret sagen. Prøv igen.",
    ),
]
BY_LANGUAGE = pytest.mark.parametrize("mover", MOVERS, ids=lambda m: m.language.value)


def next_button(case_id: int, mover: Mover) -> str:
    return f"cs.{case_id}.next.{mover.stage}"


def moves(world: FakeUnitOfWorkFactory, case_id: int) -> list[dict]:
    return [dict(e.detail) for e in log(world, case_id) if e.kind is EventKind.STAGE_CHANGED]


def unticked(mover: Mover) -> int:
    return len([i for i in GUIDES[mover.stage].checklist if not i.principal_only])


@BY_LANGUAGE
async def test_the_card_s_next_stage_is_asked_first(world, cases, chat_as, mover) -> None:
    case_id = cases[mover.school]
    chat = chat_as(mover.account)
    card = cards(world, mover.reader)[-1]
    next_label = labels(card)[[b.id for b in card.buttons].index(next_button(case_id, mover))]
    # The stage's name closes the label, in the language's quotation marks.
    name = GUIDES[mover.following].name.in_language(mover.language)
    assert next_label[:-1].endswith(name) and next_label[-1] in "”»«", next_label
    count = unticked(mover)
    assert count > 1  # the plural form below
    asked = await press(chat, next_button(case_id, mover))
    assert asked[-1].text == mover.unticked.format(count=count)
    assert tuple(labels(asked[-1])) == mover.choices
    # Asked, not done: the case stays where it is, and nothing is logged as moved.
    assert world.store.cases[case_id].stage == mover.stage
    assert moves(world, case_id) == []
    # "No" keeps it there.
    kept = await press(chat, asked[-1].buttons[1].id)
    assert world.store.cases[case_id].stage == mover.stage
    assert kept[-1].text.splitlines()[0] == card.text.splitlines()[0]
    # Pressed again and "Yes": moved on, once.
    asked = await press(chat, next_button(case_id, mover))
    moved = await press(chat, asked[-1].buttons[0].id)
    assert moved[0].text == mover.moved
    assert world.store.cases[case_id].stage == mover.following
    assert moves(world, case_id) == [{"from": mover.stage, "stage": mover.following}]


@BY_LANGUAGE
async def test_with_every_item_ticked_the_question_names_the_stage(
    world, cases, chat_as, mover
) -> None:
    case_id = cases[mover.school]
    chat = chat_as(mover.account)
    for item in GUIDES[mover.stage].checklist:
        if not item.principal_only:
            await press(chat, f"cs.{case_id}.tick.{item.id}@{mover.stage}")
    asked = await press(chat, next_button(case_id, mover))
    stage = GUIDES[mover.following].name.in_language(mover.language)
    assert asked[-1].text == mover.all_ticked.format(stage=stage)
    assert tuple(labels(asked[-1])) == mover.choices
    assert moves(world, case_id) == []
    await press(chat, asked[-1].buttons[0].id)
    assert world.store.cases[case_id].stage == mover.following


@BY_LANGUAGE
async def test_a_card_the_case_has_moved_on_from_is_refused(world, cases, chat_as, mover) -> None:
    case_id = cases[mover.school]
    chat = chat_as(mover.account)
    await move_on(chat, next_button(case_id, mover))
    queued = len(world.store.outbox)
    # The old card's button, pressed again (a second tap, or a copy of the card).
    stale = await press(chat, next_button(case_id, mover))
    assert stale[0].text == mover.expired
    # Not asked: the menu follows, and no "Yes" to move a stage the case has left.
    assert mover.choices[0] not in [label for reply in stale for label in labels(reply)]
    assert len(world.store.outbox) == queued
    assert len(moves(world, case_id)) == 1


@BY_LANGUAGE
async def test_a_yes_after_someone_else_moved_the_case_changes_nothing(
    world, cases, chat_as, mover
) -> None:
    """Asked, and meanwhile the case is moved on elsewhere (another reader's card, another
    process): the "Yes" is refused by the compare-and-set and says so; one move."""
    case_id = cases[mover.school]
    chat = chat_as(mover.account)
    asked = await press(chat, next_button(case_id, mover))
    async with world() as uow:
        school = await uow.schools.get(mover.school)
        staff = await uow.staff.get(mover.school, mover.account.split("-")[1])
        assert school is not None and staff is not None
        moved = await change_stage(uow, school, case_id, staff, mover.stage, MONDAY_MORNING)
        assert moved.done
        await uow.commit()
    late = await press(chat, asked[-1].buttons[0].id)
    assert late[0].text == mover.raced
    assert moves(world, case_id) == [{"from": mover.stage, "stage": mover.following}]


async def test_in_the_chat_too_a_move_with_every_item_ticked_is_asked_first(
    world, cases, chat_as
) -> None:
    """ "My cases" asks the same question as the card's button: before, with nothing unticked,
    the chat moved the case at once."""
    case_id, coordinator = cases["se"], chat_as("se-S4")
    for item in GUIDES["se.step2"].checklist:
        if not item.principal_only:
            await press(coordinator, f"cs.{case_id}.tick.{item.id}@se.step2")
    step3 = GUIDES["se.step3"].name.sv
    for said in ["hej", "[Mina ärenden]", "[Elsa Berg, klass 7A]"]:
        await coordinator.send(said)
    asked = await coordinator.send(f"[Gå vidare till ”{step3}”]")
    assert asked[0].text == f"Flytta ärendet vidare till ”{step3}”?"
    assert world.store.cases[case_id].stage == "se.step2"
    moved = await coordinator.send("[Ja, flytta det vidare]")
    assert moved[0].text == "Ärendet har gått vidare till nästa steg."
    assert world.store.cases[case_id].stage == "se.step3"


# Each language's word for a stage, which the Swedish stages' names begin with in every language
# ("Steg 3 – Fortsatt frånvaro", "Trin 3 – Fortsat fravær").
STAGE_WORD = {Language.SV: "steg", Language.NB: "steg", Language.DA: "trin"}


@pytest.mark.parametrize("language", list(Language), ids=lambda language: language.value)
@pytest.mark.parametrize(
    "msgid",
    ["Move the case on to the next stage: {stage}?", "Next stage: {stage}"],
    ids=["question", "button"],
)
def test_the_move_says_stage_once_whatever_the_stage_is_called(
    language: Language, msgid: str
) -> None:
    """A native reading found "vidare till nästa steg: Steg 3 – …", and the card's button read
    "Nästa steg: Steg 3 – …": the question and the button name the stage without a "next
    stage" before a name that says it already, for every stage's name."""
    with use_locale(language.value):
        wording = gettext(msgid)
    word = re.compile(rf"(?<!\w){STAGE_WORD[language]}(?!\w)", re.IGNORECASE)
    names = [guide.name.in_language(language) for guide in GUIDES.values()]
    assert any(word.search(name) for name in names)
    shown = [wording.format(stage=name) for name in names]
    assert all(name in text for name, text in zip(names, shown, strict=True))
    assert [text for text in shown if len(word.findall(text)) > 1] == []
