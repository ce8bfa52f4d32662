"""Notes on conversation questions that are not covered-only: a press on the question opens
the note's form, the note is stored in the case's log (who, when) before any card is queued,
and shown under its question on the card and in the questions. Covered-only questions never
take one: a forged press is refused and logged without its content. Bad input gets a clear
answer and loses nothing."""

from __future__ import annotations

import pytest

from dialogs.events import Incoming, Reply
from dialogs.i18n import format_short_day, use_locale
from routine.case_notes import MAX_NOTE
from routine.cases import CaseEvent, EventKind
from routine.guides import GUIDES, GuideItem, QuestionSet
from routine.outbox import OutboxMessage
from tests.dialogs.cases_world import open_the_cases
from tests.dialogs.conftest import MONDAY_MORNING
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory

STAGE = "se.step2"


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


def question_set(stage: str = STAGE) -> QuestionSet:
    """A set with both kinds of question."""
    return next(
        q
        for q in GUIDES[stage].questions
        if any(i.covered_only for i in q.items) and any(not i.covered_only for i in q.items)
    )


def noted(questions: QuestionSet) -> tuple[int, GuideItem]:
    number, found = next((n, i) for n, i in enumerate(questions.items, 1) if not i.covered_only)
    return number, found


def covered_only(questions: QuestionSet) -> tuple[int, GuideItem]:
    return next((n, i) for n, i in enumerate(questions.items, 1) if i.covered_only)


def log(world: FakeUnitOfWorkFactory, case_id: int) -> list[CaseEvent]:
    return sorted(
        (e for e in world.store.case_events if e.case_id == case_id),
        key=lambda e: (e.at, e.id or 0),
    )


def latest_card(world: FakeUnitOfWorkFactory, recipient: str) -> OutboxMessage:
    return sorted(
        (
            m
            for m in world.store.outbox.values()
            if m.kind == "case-card" and m.recipient == recipient
        ),
        key=lambda m: m.id or 0,
    )[-1]


async def press(chat: Chat, button_id: str) -> list[Reply]:
    replies = await chat.engine.handle(Incoming(key=chat.key, button=button_id))
    for reply in replies:
        if reply.buttons:
            chat.buttons = reply.buttons
        if reply.form:
            chat.form = reply.form
    return replies


def today() -> str:
    with use_locale("sv"):
        return format_short_day(MONDAY_MORNING.date())


async def test_a_note_is_written_stored_and_shown(world, cases, chat_as) -> None:
    case_id, questions = cases["se"], question_set()
    number, item = noted(questions)
    hidden_number, _hidden = covered_only(questions)
    mentor = chat_as("se-S1")
    asked = await press(mentor, f"cs.{case_id}.ask.{questions.id}")
    labels = [b.label for b in asked[-1].buttons]
    # Each question that takes notes has its button; a covered-only one has none.
    assert f"Anteckning till {number}" in labels
    assert f"Anteckning till {hidden_number}" not in labels
    assert f"Avklarad {hidden_number}" in labels
    opened = await mentor.send(f"[Anteckning till {number}]")
    form = opened[-1].form
    assert form is not None
    assert form.id.endswith("case-note")
    assert (form.title, form.submit_label) == ("Anteckning", "Spara")
    assert [f.label for f in form.fields] == [item.text.sv]
    assert opened[-1].text.splitlines() == [
        item.text.sv,
        f"Skriv en kort anteckning om vad som sades, högst {MAX_NOTE} tecken. "
        "Inga uppgifter om hälsa.",
    ]
    saved = await mentor.send("{note=Vill ha läxhjälp på tisdagar}")
    assert saved[0].text == "Anteckningen är sparad."
    # In the case's log: who, when, the question and the text.
    [event] = [e for e in log(world, case_id) if e.kind is EventKind.NOTED]
    assert (event.actor, event.at) == ("staff:S1", MONDAY_MORNING)
    assert dict(event.detail) == {
        "stage": STAGE,
        "item": f"{questions.id}/{item.id}",
        "note": "Vill ha läxhjälp på tisdagar",
    }
    # Under its question, in the questions shown again and on every card of the case.
    line = f"   – Vill ha läxhjälp på tisdagar (Karin Ek, {today()})"
    shown = saved[-1].text.splitlines()
    assert shown[shown.index(f"{number}. ☐ {item.text.sv}") + 1] == line
    for reader in ("U-se-S1", "U-se-S4"):
        card = latest_card(world, reader).text.splitlines()
        assert card[card.index("Anteckningar:") + 1 :][:2] == [f"• {item.text.sv}", line]


async def test_the_card_shows_the_newest_notes_and_counts_the_rest(world, cases, chat_as) -> None:
    case_id, questions = cases["se"], question_set()
    _number, item = noted(questions)
    mentor = chat_as("se-S1")
    for text in ("Första", "Andra", "Tredje"):
        await press(mentor, f"cs.{case_id}.note.{questions.id}/{item.id}@{STAGE}")
        replies = await mentor.send(f"{{note={text}}}")
        assert replies[0].text == "Anteckningen är sparad."
    card = latest_card(world, "U-se-S4").text.splitlines()
    start = card.index("Anteckningar:")
    assert card[start + 1 : start + 5] == [
        f"• {item.text.sv}",
        "   (1 tidigare anteckning, se frågorna)",
        f"   – Andra (Karin Ek, {today()})",
        f"   – Tredje (Karin Ek, {today()})",
    ]


async def test_a_forged_press_for_a_covered_only_question_is_refused(
    world, cases, chat_as
) -> None:
    case_id, questions = cases["se"], question_set()
    _number, hidden = covered_only(questions)
    events, queued = len(world.store.case_events), len(world.store.outbox)
    replies = await press(
        chat_as("se-S1"), f"cs.{case_id}.note.{questions.id}/{hidden.id}@{STAGE}"
    )
    assert replies[0].text == "Den här knappen fungerar inte längre."
    assert all(r.form is None for r in replies)
    [refused] = world.store.case_events[events:]
    # Who tried and what kind of change; nothing of what was sent.
    assert (refused.kind, refused.actor, dict(refused.detail)) == (
        EventKind.REFUSED,
        "staff:S1",
        {"tried": "noted"},
    )
    assert len(world.store.outbox) == queued


@pytest.mark.parametrize(
    "account, argument",
    [
        # Another class's mentor, on a question that takes notes.
        ("se-S2", "ok"),
        # The mentor, on a question of a stage the case is not at, or of nothing.
        ("se-S1", "other-stage"),
        ("se-S1", "nowhere"),
    ],
)
async def test_a_note_press_that_may_not_be_is_refused(
    world, cases, chat_as, account, argument
) -> None:
    case_id, questions = cases["se"], question_set()
    _number, item = noted(questions)
    key = {
        "ok": f"{questions.id}/{item.id}@{STAGE}",
        "other-stage": f"{questions.id}/{item.id}@se.step3",
        "nowhere": f"{questions.id}/nothing@{STAGE}",
    }[argument]
    replies = await press(chat_as(account), f"cs.{case_id}.note.{key}")
    assert replies[0].text == "Den här knappen fungerar inte längre."
    last = log(world, case_id)[-1]
    assert (last.kind, last.actor, dict(last.detail)) == (
        EventKind.REFUSED,
        f"staff:{account[3:]}",
        {"tried": "noted"},
    )
    assert not [e for e in log(world, case_id) if e.kind is EventKind.NOTED]


async def test_bad_notes_get_a_clear_answer_and_lose_nothing(world, cases, chat_as) -> None:
    case_id, questions = cases["se"], question_set()
    _number, item = noted(questions)
    mentor = chat_as("se-S1")
    await press(mentor, f"cs.{case_id}.note.{questions.id}/{item.id}@{STAGE}")
    empty = await mentor.send("{note=   }")
    assert empty[0].text == f"Fyll i: {item.text.sv}"
    long = "x" * (MAX_NOTE + 1)
    too_long = await mentor.send(f"{{note={long}}}")
    assert too_long[0].text == (
        f"Anteckningen är för lång: korta den till högst {MAX_NOTE} tecken."
    )
    # Offered again with what was typed.
    assert mentor.form is not None and mentor.form.fields[0].initial == (long,)
    form_id = mentor.form.id
    controlled = await mentor.engine.handle(
        Incoming(key=mentor.key, form={"note": "Hej\x00 då\x1b"}, form_id=form_id)
    )
    assert controlled[0].text == (
        "Anteckningen innehåller tecken som inte kan sparas. De har tagits bort nedan: "
        "läs igenom anteckningen och spara den igen."
    )
    again = next(r.form for r in controlled if r.form is not None)
    assert again.fields[0].initial == ("Hej då",)
    assert not [e for e in log(world, case_id) if e.kind is EventKind.NOTED]
    # A line break is no control character to refuse: it is kept.
    saved = await mentor.engine.handle(
        Incoming(key=mentor.key, form={"note": "Hej\r\ndå"}, form_id=again.id)
    )
    assert saved[0].text == "Anteckningen är sparad."
    [event] = [e for e in log(world, case_id) if e.kind is EventKind.NOTED]
    assert event.detail["note"] == "Hej\ndå"


async def test_the_note_is_typed_in_the_console_too(world, cases, chat_as) -> None:
    """Without a form (a plain chat), the typed text is the note."""
    case_id, questions = cases["se"], question_set()
    _number, item = noted(questions)
    mentor = chat_as("se-S1")
    await press(mentor, f"cs.{case_id}.note.{questions.id}/{item.id}@{STAGE}")
    saved = await mentor.send("Pratade om morgonrutinen")
    assert saved[0].text == "Anteckningen är sparad."
    [event] = [e for e in log(world, case_id) if e.kind is EventKind.NOTED]
    assert event.detail["note"] == "Pratade om morgonrutinen"


async def test_every_question_that_takes_notes_is_not_covered_only() -> None:
    """The rule holds for every stage of every country: the buttons follow the guides."""
    from routine.case_notes import takes_notes

    for stage, guide in GUIDES.items():
        for questions in guide.questions:
            for item in questions.items:
                key = f"{questions.id}/{item.id}"
                assert takes_notes(stage, key) is (not item.covered_only)
        # A checklist item is no question: it takes no note.
        assert not takes_notes(stage, guide.checklist[0].id)
