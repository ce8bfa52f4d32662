"""The console fills in forms field by field, with a scripted person at the keyboard."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from bot.console import (
    ConsoleChat,
    answer_field,
    field_lines,
    field_prompt,
    form_heading,
    render,
)
from dialogs.engine import Engine
from dialogs.events import Button, ConversationKey, Form, FormField, Incoming, Reply
from dialogs.flow import END, Answer, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows import all_flows
from dialogs.i18n import N_
from routine.cases import EventKind
from routine.guides import GUIDES
from tests.dialogs.cases_world import open_the_cases
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed
from tests.fakes import FakeUnitOfWorkFactory

KEY = ConversationKey(platform="console", chat="se/staff/S1", user="se/staff/S1")
PUPILS = (("P1", "Elsa Berg"), ("P2", "Olle Berg"), ("P3", "Maja Lind"))
ABSENT = FormField(
    "absent", "Frånvarande", required=False, choices=PUPILS, multiple=True, initial=("P2",)
)
TOPICS = FormField("topics", "Ämnen", choices=(("a", "Orsak"), ("b", "Nästa dag")), multiple=True)
WHOM = FormField("whom", "Vem?", choices=(("G1", "Anna Berg"), ("x", "Annan")), initial=("G1",))
MEANS = FormField("means", "Hur?", required=False, choices=(("phone", "Telefon"),))
TIME = FormField("time", "När?", initial=("08:30",))
NOTE = FormField("note", "Anteckning", required=False, multiline=True)
WHAT = FormField("what", "Vad?")
FORM = Form("5.marks", "Upprop 7A", (ABSENT, WHOM, TIME), "Spara")


class ScriptedEngine:
    """Answers each event with the next replies of its script, and keeps what it was sent."""

    def __init__(self, *answers: list[Reply]) -> None:
        self.answers = list(answers)
        self.received: list[Incoming] = []

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.received.append(incoming)
        return self.answers.pop(0)


def keyboard(*lines: str, prompts: list[str]) -> Callable[[str], str]:
    """Types `lines` one by one, noting each prompt, then ends the input."""
    remaining = list(lines)

    def read(prompt: str) -> str:
        prompts.append(prompt)
        if not remaining:
            raise EOFError
        return remaining.pop(0)

    return read


async def play(engine: ScriptedEngine, *lines: str, **run: tuple[str, ...]) -> tuple:
    written: list[str] = []
    prompts: list[str] = []
    chat = ConsoleChat(engine, KEY, read=keyboard(*lines, prompts=prompts), write=written.append)
    exit_command = await chat.run(**run)
    return exit_command, written, prompts


def test_a_choice_fields_choices_are_numbered_with_the_initial_ones_marked() -> None:
    assert field_lines(ABSENT) == [
        "   [ ] 1) Elsa Berg",
        "   [x] 2) Olle Berg",
        "   [ ] 3) Maja Lind",
    ]
    assert field_lines(WHOM) == ["   (x) 1) Anna Berg", "   ( ) 2) Annan"]
    assert field_lines(TIME) == []


def test_a_text_fields_prompt_shows_what_enter_keeps() -> None:
    assert field_prompt(TIME) == "   När? [08:30] › "
    assert field_prompt(NOTE) == "   Anteckning › "
    assert field_prompt(ABSENT) == "   Frånvarande › "


@pytest.mark.parametrize(
    ("field", "line", "expected"),
    [
        (ABSENT, "", "P2"),
        (ABSENT, "3, 1", "P1\nP3"),
        (ABSENT, " 3 1,3 ", "P1\nP3"),
        (ABSENT, "-", ""),
        (TOPICS, "2", "b"),
        (WHOM, "", "G1"),
        (WHOM, "2", "x"),
        (MEANS, "", ""),
        (MEANS, "-", ""),
        (MEANS, "1", "phone"),
        (TIME, "", "08:30"),
        (TIME, " 09:10 ", "09:10"),
        (NOTE, "", ""),
        (NOTE, "-", "-"),
    ],
)
def test_what_is_typed_at_a_field_becomes_its_value(field: FormField, line: str, expected: str):
    assert answer_field(field, line) == expected


@pytest.mark.parametrize(
    ("field", "line", "hint"),
    [
        (
            ABSENT,
            "4",
            "Please type numbers from 1 to 3, separated by commas or spaces; "
            "Enter keeps the marked ones; - selects none.",
        ),
        (ABSENT, "1 x", None),
        (ABSENT, "0", None),
        (TOPICS, "", "Please type numbers from 1 to 2, separated by commas or spaces."),
        (TOPICS, "-", None),
        (WHOM, "1 2", "Please type a number from 1 to 2; Enter keeps the marked one."),
        (WHOM, "-", None),
        (MEANS, "²", "Please type a number from 1 to 1; - selects none."),
        (WHAT, "  ", "Please type an answer."),
    ],
)
def test_a_line_the_field_cannot_take_says_what_it_takes(
    field: FormField, line: str, hint: str | None
) -> None:
    with pytest.raises(ValueError) as refused:
        answer_field(field, line)
    if hint is not None:
        assert str(refused.value) == hint


async def test_a_form_is_filled_in_field_by_field_and_submitted() -> None:
    engine = ScriptedEngine([Reply("Dags för upprop", form=FORM)], [Reply("Sparat")])
    _exit, written, prompts = await play(engine, "1 3", "", "09:05")
    assert engine.received[1] == Incoming(
        key=KEY, form={"absent": "P1\nP3", "whom": "G1", "time": "09:05"}, form_id="5.marks"
    )
    assert prompts == ["   Frånvarande › ", "   Vem? › ", "   När? [08:30] › ", "you › "]
    assert written[: written.index("narvaro › Sparat")] == [
        "narvaro › Dags för upprop",
        "",
        form_heading(FORM),
        *field_lines(ABSENT),
        *field_lines(WHOM),
    ]


async def test_a_line_the_field_cannot_take_asks_that_field_again() -> None:
    engine = ScriptedEngine([Reply("Upprop", form=FORM)], [Reply("Sparat")])
    _exit, written, prompts = await play(engine, "", "7", "2", "")
    assert engine.received[1].form == {"absent": "P2", "whom": "x", "time": "08:30"}
    assert prompts[1:3] == ["   Vem? › ", "   Vem? › "]
    assert "   Please type a number from 1 to 2; Enter keeps the marked one." in written


async def test_cancel_at_a_field_cancels_the_form_in_the_engine() -> None:
    engine = ScriptedEngine([Reply("Upprop", form=FORM)], [Reply("Avbrutet")])
    _exit, written, prompts = await play(engine, "2", "/Cancel")
    assert engine.received[1] == Incoming(key=KEY, text="/cancel")
    assert len(prompts) == 3
    assert "narvaro › Avbrutet" in written


async def test_a_form_offered_again_is_filled_in_again() -> None:
    again = Form("6.marks", "Upprop 7A", (WHAT,), "Spara")
    engine = ScriptedEngine(
        [Reply("Upprop", form=FORM)],
        [Reply("Fyll i: Vad?"), Reply("Upprop", form=again)],
        [Reply("Sparat")],
    )
    await play(engine, "", "", "", "allt")
    assert [incoming.form_id for incoming in engine.received] == [None, "5.marks", "6.marks"]
    assert engine.received[2].form == {"what": "allt"}


@pytest.mark.parametrize(("typed", "exits"), [("/quit", ()), ("/switch", ("/switch",))])
async def test_an_exit_typed_at_a_field_leaves_the_chat(typed: str, exits: tuple) -> None:
    engine = ScriptedEngine([Reply("Upprop", form=FORM)])
    exit_command, _written, prompts = await play(engine, "1", typed, extra_exits=exits)
    assert exit_command == typed
    assert len(engine.received) == 1
    assert len(prompts) == 2


def test_render_shows_the_text_and_buttons_but_not_the_form() -> None:
    assert render(Reply("Upprop", form=FORM)) == ["narvaro › Upprop"]


async def test_every_button_shown_can_be_pressed_when_two_replies_have_buttons() -> None:
    """A saved plan's [The pupil agrees] above the menu: numbered on, not shadowed."""
    engine = ScriptedEngine(
        [
            Reply("Sparat: version 1 av planen.", (Button("pl.1.agrees", "Eleven går med"),)),
            Reply("Vad mer?", (Button("m.roll", "Upprop"), Button("m.cases", "Mina ärenden"))),
        ],
        [Reply("Registrerat.")],
        [Reply("Ärenden")],
    )
    _exit, written, _prompts = await play(engine, "1", "3")
    assert written[:4] == [
        "narvaro › Sparat: version 1 av planen.",
        "   1) Eleven går med",
        "narvaro › Vad mer?",
        "   2) Upprop",
    ]
    assert "   3) Mina ärenden" in written
    assert [incoming.button for incoming in engine.received] == [None, "pl.1.agrees", "m.cases"]


def marks_flow() -> Flow:
    async def ask(ctx: Context) -> Prompt:
        form = Form("marks", "Upprop", (ABSENT, TOPICS, TIME, NOTE), "Spara")
        return Prompt("Dags för upprop", form=form)

    async def answer(ctx: Context, answer: Answer) -> Go | Retry:
        ctx.say(json.dumps(answer.form, sort_keys=True))
        return Go("done")

    return Flow(
        name="marks",
        title=N_("Test marks"),
        audience=frozenset({"guardian"}),
        start="ask",
        steps={"ask": Step(ask, answer)},
        transitions={"ask": {"done": END}},
    )


async def test_the_engine_takes_the_values_the_console_fills_in() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    engine = Engine(uow_factory=world, flows=[marks_flow()], clock=FixedClock(MONDAY_MORNING))
    key = ConversationKey(platform="test", chat="se-G1", user="se-G1")
    written: list[str] = []
    read = keyboard("1", "", "2,1", "", "", prompts=[])
    await ConsoleChat(engine, key, read=read, write=written.append).run()
    said = next(line for line in written if line.startswith("narvaro › {"))
    assert json.loads(said.removeprefix("narvaro › ")) == {
        "absent": "P2",
        "topics": "a\nb",
        "time": "08:30",
        "note": "",
    }


async def test_a_mentor_lists_their_cases_and_ticks_a_numbered_item_on_the_console() -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    (case_id,) = [c.id for key, c in (await open_the_cases(world)).items() if key == "se"]
    engine = Engine(uow_factory=world, flows=all_flows(), clock=FixedClock(MONDAY_MORNING))
    key = ConversationKey(platform="test", chat="se-S1", user="se-S1")
    written: list[str] = []
    # The menu's "My cases" (4th), the only case, "Tick 1".
    read = keyboard("4", "1", "1", prompts=[])
    await ConsoleChat(engine, key, read=read, write=written.append).run()
    item = next(i for i in GUIDES["se.step2"].checklist if not i.principal_only)
    assert "   4) Mina ärenden" in written
    assert "   1) Elsa Berg, klass 7A" in written
    assert f"          1. ☐ {item.text.sv}" in written
    assert "   1) Bocka av 1" in written
    assert "narvaro › Avbockat." in written
    assert any(
        line.startswith(f"          1. ☑ {item.text.sv} (avbockad av Karin Ek") for line in written
    )
    assert "   1) Ångra 1" in written
    ticks = [
        e for e in world.store.case_events if e.case_id == case_id and e.kind is EventKind.TICKED
    ]
    assert [(e.actor, e.detail["item"]) for e in ticks] == [("staff:S1", item.id)]
