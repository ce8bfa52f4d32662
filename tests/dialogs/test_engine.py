"""The engine's promises, independent of wording: trust, persistence, and never a crash."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from dialogs.engine import Engine
from dialogs.events import ConversationKey, Form, FormField, Incoming
from dialogs.flow import END, Answer, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows import all_flows, report_absence
from dialogs.i18n import N_, _, use_locale
from dialogs.linking import NOT_LINKED
from routine.model import ReasonCategory, ReportStatus
from tests.dialogs.conftest import FixedClock
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def start_report(chat: Chat) -> None:
    await chat.send("hej")
    await chat.send(f"[{sv('Report an absence')}]")


async def test_an_unlinked_chat_is_told_so_and_nothing_else(engine: Engine) -> None:
    key = ConversationKey(platform="test", chat="stranger", user="stranger")
    replies = await engine.handle(Incoming(key=key, text="hello", locale="nb"))
    with use_locale("nb"):
        assert [(r.text, r.buttons) for r in replies] == [(str(NOT_LINKED), ())]


async def test_a_button_that_was_never_offered_has_expired(chat_as, world) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    replies = await chat.engine.handle(Incoming(key=chat.key, button="99.0"))
    assert replies[0].text == sv("This button has expired.")
    assert replies[1].text == sv("Which child is it about?")


async def test_an_old_button_no_longer_acts(chat_as, world: FakeUnitOfWorkFactory) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    olle = next(b for b in chat.buttons if b.label == "Olle Berg")
    await chat.send("[Elsa Berg]")
    replies = await chat.engine.handle(Incoming(key=chat.key, button=olle.id))
    assert replies[0].text == sv("This button has expired.")
    conversation = world.store.conversations[chat.key.id]
    assert (conversation.state, conversation.data["pupil_id"]) == ("reason", "P1")


async def test_typing_a_name_that_is_not_offered_picks_nobody(chat_as, world) -> None:
    chat = chat_as("se-G2")  # Per Lind has one child; Elsa Berg is not his
    await chat.send("hej")
    await chat.send(f"[{sv('Report an absence')}]")
    replies = await chat.send("Elsa Berg")
    assert replies[0].text == sv("Please answer with one of the choices.")
    assert world.store.conversations[chat.key.id].data["pupil_id"] == "P3"


async def test_nonsense_at_every_step_re_asks_and_keeps_earlier_answers(chat_as, world) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    steps = ["[Olle Berg]", f"[{sv('Ill')}]", f"[{sv('Other days')}]", "25/11", "26/11"]
    for step in steps:
        before = dict(world.store.conversations[chat.key.id].data)
        replies = await chat.send("qwerty ??")
        assert replies[0].text in {
            sv("Please answer with one of the choices."),
            sv("I could not read that date. Please write it like {example}.").format(
                example="24/11"
            ),
        }
        assert replies[-1].buttons, "the question is asked again with its buttons"
        after = world.store.conversations[chat.key.id].data
        assert {k: v for k, v in after.items() if not k.startswith("_")} == {
            k: v for k, v in before.items() if not k.startswith("_")
        }
        await chat.send(step)
    assert world.store.conversations[chat.key.id].state == "note"


async def test_the_conversation_continues_in_a_new_process(
    chat_as, world: FakeUnitOfWorkFactory, clock: FixedClock
) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    await chat.send("[Elsa Berg]")
    restarted = Engine(uow_factory=world, flows=all_flows(), clock=clock)
    chat.engine = restarted
    replies = await chat.send(f"[{sv('Ill')}]")
    assert replies[0].text == sv("When?")


async def test_the_report_is_stored_before_the_receipt_is_returned(chat_as, world) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    for step in ["[Elsa Berg]", f"[{sv('Ill')}]", f"[{sv('Today')}]", f"[{sv('The whole day')}]"]:
        await chat.send(step)
    await chat.send(f"[{sv('No note')}]")
    assert world.store.reports == {}
    await chat.send(f"[{sv('Send report')}]")
    (report,) = world.store.reports.values()
    expected = ("P1", "G1", ReasonCategory.ILLNESS, date(2026, 11, 23), date(2026, 11, 23))
    assert (
        report.pupil_id,
        report.guardian_id,
        report.reason,
        report.first_day,
        report.last_day,
    ) == expected
    assert report.status is ReportStatus.ACTIVE
    assert world.store.conversations[chat.key.id].flow is None


async def test_cancel_stores_nothing(chat_as, world) -> None:
    chat = chat_as("se-G1")
    await start_report(chat)
    await chat.send("[Elsa Berg]")
    replies = await chat.send(f"[{sv('Cancel')}]")
    assert replies[0].text == sv("Cancelled. Nothing was sent.")
    assert (world.store.reports, world.store.conversations[chat.key.id].flow) == ({}, None)


async def test_a_failing_step_apologises_and_changes_nothing(
    chat_as, world: FakeUnitOfWorkFactory, clock: FixedClock, monkeypatch
) -> None:
    async def broken(ctx: Context, answer: Answer) -> Go | Retry:
        raise RuntimeError("database on fire")

    steps = dict(report_absence.FLOW.steps)
    steps["reason"] = dataclasses.replace(steps["reason"], answer=broken)
    flow = dataclasses.replace(report_absence.FLOW, steps=steps)
    chat = chat_as("se-G1")
    chat.engine = Engine(uow_factory=world, flows=[flow], clock=clock)
    await start_report(chat)
    await chat.send("[Elsa Berg]")
    replies = await chat.send(f"[{sv('Ill')}]")
    assert [r.text for r in replies] == [
        sv("Sorry, something went wrong on our side. Please try again.")
    ]
    assert world.store.conversations[chat.key.id].state == "reason"


@pytest.mark.parametrize("command", ["/cancel", "/menu", "/help", "/nonsense"])
async def test_commands_always_answer(chat_as, command: str) -> None:
    chat = chat_as("se-G1")
    replies = await chat.send(command)
    assert replies and replies[-1].buttons


async def test_mentors_see_neither_reason_nor_note_when_the_school_says_so(
    chat_as, world: FakeUnitOfWorkFactory
) -> None:
    school = world.store.schools["se"]
    private = dataclasses.replace(school.privacy, mentor_sees_reason=False, mentor_sees_note=False)
    world.store.schools["se"] = dataclasses.replace(school, privacy=private)
    guardian = chat_as("se-G2")
    await guardian.send("hej")
    for step in ["Report an absence", "Ill", "Today", "The whole day"]:
        await guardian.send(f"[{sv(step)}]")
    await guardian.send("Feber sedan i går")
    await guardian.send(f"[{sv('Send report')}]")
    mentor = chat_as("se-S1")
    await mentor.send("hej")
    todays = sv("Today's reported absences")
    (overview, _menu) = await mentor.send(f"[{todays}]")
    line = next(text for text in overview.text.splitlines() if "Maja Lind" in text)
    assert line == f"• Maja Lind: {sv('reported')}, {sv('whole day')}"


def contact_form_flow() -> Flow:
    """A flow that exists for this test: one step that asks with a form."""

    async def ask(ctx: Context) -> Prompt:
        fields = (FormField("when", "When"), FormField("note", "Note", required=False))
        return Prompt("How can we reach you?", form=Form("contact", "Contact", fields, "Send"))

    async def answer(ctx: Context, answer: Answer) -> Go | Retry:
        assert answer.form is not None
        ctx.say(f"Noted: {answer.form['when']} / {answer.form['note'] or '-'}")
        return Go("done")

    return Flow(
        name="contact",
        title=N_("Contact"),
        audience=frozenset({"guardian"}),
        start="ask",
        steps={"ask": Step(ask, answer)},
        transitions={"ask": {"done": END}},
    )


async def form_chat(world: FakeUnitOfWorkFactory, clock: FixedClock, chat_as) -> tuple:
    chat = chat_as("se-G1")
    chat.engine = Engine(uow_factory=world, flows=[contact_form_flow()], clock=clock)
    await chat.send("hej")
    (prompt,) = await chat.send("[Contact]")
    return chat, prompt


async def test_a_submitted_form_is_answered(world, clock, chat_as) -> None:
    chat, prompt = await form_chat(world, clock, chat_as)
    assert prompt.form is not None and [f.name for f in prompt.form.fields] == ["when", "note"]
    replies = await chat.engine.handle(
        Incoming(key=chat.key, form={"when": " after 15 ", "note": ""}, form_id=prompt.form.id)
    )
    assert replies[0].text == "Noted: after 15 / -"
    assert world.store.conversations[chat.key.id].flow is None


async def test_a_form_missing_a_required_field_is_asked_again(world, clock, chat_as) -> None:
    chat, prompt = await form_chat(world, clock, chat_as)
    replies = await chat.engine.handle(
        Incoming(key=chat.key, form={"note": "hi"}, form_id=prompt.form.id)
    )
    assert replies[0].text == sv("Please fill in: {fields}").format(fields="When")
    assert replies[1].form is not None and replies[1].form.id != prompt.form.id


async def test_a_stale_form_changes_nothing(world, clock, chat_as) -> None:
    chat, _prompt = await form_chat(world, clock, chat_as)
    replies = await chat.engine.handle(
        Incoming(key=chat.key, form={"when": "now"}, form_id="1.contact-forged")
    )
    assert replies[0].text == sv("This form has expired.")
    assert world.store.conversations[chat.key.id].state == "ask"


async def test_a_form_closed_unsubmitted_cancels_it(world, clock, chat_as) -> None:
    chat, prompt = await form_chat(world, clock, chat_as)
    replies = await chat.engine.handle(
        Incoming(key=chat.key, text="/cancel", form_id=prompt.form.id)
    )
    assert replies[0].text == sv("Cancelled. Nothing was sent.")
    assert world.store.conversations[chat.key.id].flow is None


async def test_a_form_closed_that_is_no_longer_asked_leaves_the_question(
    world, clock, chat_as
) -> None:
    chat, prompt = await form_chat(world, clock, chat_as)
    await chat.send("/menu")
    (_again,) = await chat.send("[Contact]")  # the same form, offered anew
    stored = world.store.conversations[chat.key.id]
    replies = await chat.engine.handle(
        Incoming(key=chat.key, text="/cancel", form_id=prompt.form.id)
    )
    assert replies == []
    assert world.store.conversations[chat.key.id] == stored


async def test_a_menu_higher_up_in_the_chat_still_works(chat_as, world) -> None:
    """Slack shows the menu only when asked for: its buttons outlive the questions after it."""
    chat = chat_as("se-G1")
    (menu,) = await chat.send("hej")
    await chat.send(f"[{sv('Report an absence')}]")
    await chat.send("/cancel")
    report = next(b for b in menu.buttons if b.label == sv("Report an absence"))
    replies = await chat.engine.handle(Incoming(key=chat.key, button=report.id))
    assert replies[0].text == sv("Which child is it about?")


async def test_a_menu_button_for_a_flow_not_offered_to_the_person_has_expired(
    chat_as, world
) -> None:
    chat = chat_as("se-G1")  # a guardian: the roll call is for staff
    await chat.send("hej")
    replies = await chat.engine.handle(Incoming(key=chat.key, button="m.roll_call"))
    assert replies[0].text == sv("This button has expired.")
    assert world.store.conversations[chat.key.id].flow is None
