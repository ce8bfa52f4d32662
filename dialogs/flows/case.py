"""A case's card in the chat, with its checklist to tick, its conversation questions to go
through during a meeting, the next stage, informing pupil health, closing and reopening.

It starts from the menu ("My cases": the cases where something waits for the person, see
dialogs/my_cases.py), or from a button under a case's card or on the Home tab, which already
names the case (and the question set, the next stage, or closing). Showing a case is logged
on it (who viewed a pupil's case); every act goes through dialogs/case_actions.py, which checks
the person may act and logs it. The diagram is in the .md file of the same name.

The flow is one table (`TRANSITIONS`) over steps kept by what they do: the list and the card
here, the questions and their notes in case_questions.py, the next stage and closing in
case_moves.py, and what they share (the data's keys, the case of the conversation) in
case_shared.py.
"""

from __future__ import annotations

from dialogs.case_actions import CASE, CLOSING, LEAVING, NOTING, QUESTIONS, act
from dialogs.case_card import ASK, CLOSE, NEXT, PLAN, card_choices, card_text, load_views
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, StartFlow, Step
from dialogs.flows.case_moves import (
    answer_close,
    answer_kept_up,
    answer_next_stage,
    ask_close,
    ask_kept_up,
    ask_next_stage,
)
from dialogs.flows.case_questions import answer_note, answer_questions, ask_note, ask_questions
from dialogs.flows.case_shared import VIEWED, current_case, expired
from dialogs.i18n import N_, _
from dialogs.my_cases import case_label, my_cases

TRANSITIONS = {
    "list": {
        "chosen": "card",
        "questions": "questions",
        "note": "note",
        "close": "close",
        "next": "next_stage",
        "none": END,
    },
    "card": {
        "again": "card",
        "next": "next_stage",
        "questions": "questions",
        "close": "close",
        "back": "list",
        "plan": END,
        "gone": END,
    },
    "questions": {"again": "questions", "note": "note", "done": "card", "gone": END},
    "note": {"saved": "questions", "gone": END},
    "next_stage": {"moved": "card", "kept": "card", "gone": END},
    "close": {"confirmed": "kept_up", "kept": "card", "gone": END},
    "kept_up": {"closed": "card", "gone": END},
}
BACK = "back"


async def ask_case(ctx: Context) -> Prompt | Go:
    if CASE in ctx.data:
        if NOTING in ctx.data:
            return Go("note")
        if QUESTIONS in ctx.data:
            return Go("questions")
        if ctx.data.pop(CLOSING, False):
            return Go("close")
        if LEAVING in ctx.data:
            return Go("next")
        return Go("chosen")
    views = await my_cases(ctx)
    if not views:
        ctx.say(_("No case waits for you."))
        return Go("none")
    choices = tuple(Choice(str(v.case.id), case_label(v)) for v in views)
    return Prompt(_("Which case?"), choices)


async def answer_case(ctx: Context, answer: Answer) -> Go | Retry:
    ids = {str(v.case.id) for v in await my_cases(ctx)}
    if answer.choice not in ids:
        return Retry(_("Please answer with one of the choices."))
    ctx.data[CASE] = int(answer.choice)
    return Go("chosen")


async def ask_card(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    case = await current_case(ctx)
    if case is None or staff is None:
        return expired(ctx)
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    views = await load_views(ctx.uow, ctx.actor.school, [case], everyone)
    if not views:  # the pupil has left the school file meanwhile
        return expired(ctx)
    view = views[0]
    choices = [Choice(action, label) for action, label in card_choices(view, staff)]
    choices.append(Choice(BACK, _("Back to my cases")))
    return Prompt(card_text(view, staff), tuple(choices))


async def answer_card(ctx: Context, answer: Answer) -> Go | Retry:
    choice = answer.choice or ""
    action, _dot, argument = choice.partition(".")
    if choice == BACK:
        for key in (CASE, VIEWED):
            ctx.data.pop(key, None)
        return Go("back")
    if action == ASK:
        ctx.data[QUESTIONS] = argument
        return Go("questions")
    if action == CLOSE:
        return Go("close")
    if action == PLAN:
        return Go("plan", then=StartFlow("case_plan", {"case": ctx.data[CASE]}))
    if action == NEXT:
        ctx.data[LEAVING] = argument
        return Go("next")
    if not choice:
        return Retry(_("Please answer with one of the choices."))
    ctx.say(await act(ctx, ctx.data[CASE], action, argument))
    return Go("again")


FLOW = Flow(
    name="case",
    title=N_("My cases"),
    audience=frozenset({"staff"}),
    start="list",
    steps={
        "list": Step(ask_case, answer_case),
        "card": Step(ask_card, answer_card),
        "questions": Step(ask_questions, answer_questions),
        "note": Step(ask_note, answer_note),
        "next_stage": Step(ask_next_stage, answer_next_stage),
        "close": Step(ask_close, answer_close),
        "kept_up": Step(ask_kept_up, answer_kept_up),
    },
    transitions=TRANSITIONS,
    # Ticks and notes are saved as they are made: cancelling leaves them, and sends nothing
    # more.
    cancel_text=N_("Back to the menu. What you ticked and noted is saved."),
)
