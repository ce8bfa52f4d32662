"""Forms with choice and multiple fields: what the step gets, and what the engine refuses."""

from __future__ import annotations

import json

from dialogs.engine import OFFERED_FORM, Engine
from dialogs.events import Form, FormField, Incoming, Reply
from dialogs.flow import END, Answer, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, use_locale
from tests.dialogs.conftest import FixedClock
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory

PUPILS = (("P1", "Elsa Berg"), ("P2", "Olle Berg"), ("P3", "Maja Lind"))
MEANS = (("phone", "Phone"), ("sms", "Text message"))


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


def marks_flow() -> Flow:
    """A flow that exists for this test: one step that asks with a form of every kind of field
    and says back, as JSON, what it got."""

    async def ask(ctx: Context) -> Prompt:
        fields = (
            FormField("absent", "Absent", choices=PUPILS, multiple=True, initial=("P2",)),
            FormField("late", "Late", required=False, choices=PUPILS, multiple=True),
            FormField("means", "How", required=False, choices=MEANS),
            FormField("time", "When", initial=("08:30",)),
        )
        return Prompt("Mark the class", form=Form("marks", "Marks", fields, "Save"))

    async def answer(ctx: Context, answer: Answer) -> Go | Retry:
        assert answer.form is not None
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


async def marks_chat(world: FakeUnitOfWorkFactory, clock: FixedClock, chat_as) -> tuple:
    chat = chat_as("se-G1")
    chat.engine = Engine(uow_factory=world, flows=[marks_flow()], clock=clock)
    await chat.send("hej")
    (prompt,) = await chat.send("[Test marks]")
    return chat, prompt


async def submit(chat: Chat, prompt: Reply, values: dict[str, str]) -> list[Reply]:
    assert prompt.form is not None
    return await chat.engine.handle(Incoming(key=chat.key, form=values, form_id=prompt.form.id))


async def test_the_form_is_offered_with_its_multiple_fields_and_initial_values(
    world, clock, chat_as
) -> None:
    _chat, prompt = await marks_chat(world, clock, chat_as)
    absent, late, _means, time = prompt.form.fields
    assert (absent.multiple, absent.initial, absent.choices) == (True, ("P2",), PUPILS)
    assert (late.multiple, late.initial) == (True, ())
    assert time.initial == ("08:30",)


async def test_multiple_values_reach_the_step_once_each_in_the_order_of_the_choices(
    world, clock, chat_as
) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    values = {"absent": "P3\n P1 \nP3\n", "late": "P2", "means": " sms ", "time": " 08:40 "}
    replies = await submit(chat, prompt, values)
    assert json.loads(replies[0].text) == {
        "absent": "P1\nP3",
        "late": "P2",
        "means": "sms",
        "time": "08:40",
    }
    assert world.store.conversations[chat.key.id].flow is None


async def test_empty_optional_fields_reach_the_step_as_empty_text(world, clock, chat_as) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    replies = await submit(chat, prompt, {"absent": "P1", "late": "", "time": "08:30"})
    expected = {"absent": "P1", "late": "", "means": "", "time": "08:30"}
    assert json.loads(replies[0].text) == expected


async def test_a_required_multiple_field_with_nothing_selected_is_missing(
    world, clock, chat_as
) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    replies = await submit(chat, prompt, {"absent": "\n \n", "late": "P1", "time": "08:30"})
    assert replies[0].text == sv("Please fill in: {fields}").format(fields="Absent")
    assert replies[1].form is not None and replies[1].form.id != prompt.form.id


async def test_a_multiple_value_that_was_not_offered_asks_for_the_form_again(
    world, clock, chat_as
) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    replies = await submit(chat, prompt, {"absent": "P1\nP9", "time": "08:30"})
    assert replies[0].text == sv("This form has changed. Please fill it in again.")
    assert replies[1].form is not None and replies[1].form.id != prompt.form.id
    assert world.store.conversations[chat.key.id].state == "ask"


async def test_a_single_choice_that_was_not_offered_asks_for_the_form_again(
    world, clock, chat_as
) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    for means in ("fax", "phone\nsms"):
        replies = await submit(chat, prompt, {"absent": "P1", "means": means, "time": "08:30"})
        assert replies[0].text == sv("This form has changed. Please fill it in again.")
        prompt = replies[1]


async def test_the_stored_form_keeps_the_choice_values_but_not_their_labels(
    world, clock, chat_as
) -> None:
    chat, _prompt = await marks_chat(world, clock, chat_as)
    offered = world.store.conversations[chat.key.id].data[OFFERED_FORM]
    assert offered["choices"] == {"absent": ["P1", "P2", "P3"], "late": ["P1", "P2", "P3"],
                                  "means": ["phone", "sms"]}  # fmt: skip
    assert offered["multiple"] == ["absent", "late"]
    assert "Elsa Berg" not in json.dumps(offered)


async def test_a_form_offered_before_choices_were_stored_is_still_accepted(
    world, clock, chat_as
) -> None:
    chat, prompt = await marks_chat(world, clock, chat_as)
    offered = world.store.conversations[chat.key.id].data[OFFERED_FORM]
    del offered["choices"], offered["multiple"]
    replies = await submit(chat, prompt, {"absent": "P2", "time": "08:30"})
    assert json.loads(replies[0].text)["absent"] == "P2"
