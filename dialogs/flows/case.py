"""A case's card in the chat, with its checklist to tick, its conversation questions to go
through during a meeting, the next stage, informing pupil health, closing and reopening.

It starts from the menu ("My cases": the cases where something waits for the person, see
dialogs/my_cases.py), or from a button under a case's card or on the Home tab, which already
names the case (and the question set, or closing). Showing a case is logged on it (who viewed
a pupil's case); every act goes through dialogs/case_actions.py, which checks the person may
act and logs it. The diagram is in the .md file of the same name.
"""

from __future__ import annotations

from dialogs.case_actions import (
    CASE,
    CLOSING,
    NOTING,
    QUESTIONS,
    act,
    may_write_note,
    question_set,
)
from dialogs.case_card import (
    ASK,
    CLOSE,
    NEXT,
    NOTE,
    PLAN,
    TICK,
    card_choices,
    card_text,
    item_key,
    language_of,
    load_views,
    pupil_line,
    refresh_case_cards,
    split_item_key,
)
from dialogs.case_notes import note_lines
from dialogs.events import Form, FormField
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, StartFlow, Step
from dialogs.i18n import N_, _, format_day, format_number, ngettext
from dialogs.my_cases import case_label, my_cases
from routine.case_notes import (
    MAX_NOTE,
    NoteProblem,
    add_note,
    clean,
    note_problem,
    notes_of,
    question,
    without_controls,
)
from routine.case_service import case_for, change_case
from routine.cases import Case, EventKind, may_see, may_see_item, ticked
from routine.closing import break_ahead
from routine.guides import CLOSING as CLOSING_QUESTIONS

TRANSITIONS = {
    "list": {
        "chosen": "card",
        "questions": "questions",
        "note": "note",
        "close": "close",
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
# The case whose viewing is logged already in this conversation.
VIEWED = "viewed"
# The stage whose questions are shown: a tick counts only while the case is at it.
STAGE = "stage"
BACK, DONE, YES, NO, COVERED = "back", "done", "yes", "no", "covered"
# What was typed into a note that could not be saved as it was, offered again to correct.
DRAFT = "note_draft"
NOTE_FIELD = "note"
NOTHING_TO_ADD = "nothing"
# The stage the next-stage button was pressed at: the move is for that stage only.
LEAVING = "leaving"
# "er der så tiltag i skolen eller i hjemmet, som skal fastholdes?" (004: 2324–2325): kept in
# the case's log with the closing, for whoever reopens or reads the case later.
MAX_KEPT_UP = 500


def _expired(ctx: Context) -> Go:
    ctx.say(_("This button has expired."))
    for key in (CASE, QUESTIONS, CLOSING, VIEWED, STAGE, NOTING, DRAFT):
        ctx.data.pop(key, None)
    return Go("gone")


async def ask_case(ctx: Context) -> Prompt | Go:
    if CASE in ctx.data:
        if NOTING in ctx.data:
            return Go("note")
        if QUESTIONS in ctx.data:
            return Go("questions")
        if ctx.data.pop(CLOSING, False):
            return Go("close")
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


async def _case(ctx: Context) -> Case | None:
    """The case of this conversation, if the person may see it; its first showing is logged
    (and an attempt by someone who may not, as refused)."""
    staff, case_id = ctx.actor.staff, ctx.data.get(CASE)
    if staff is None or not isinstance(case_id, int):
        return None
    if ctx.data.get(VIEWED) != case_id:
        viewed = await change_case(
            ctx.uow, case_id, staff, _same, EventKind.VIEWED, ctx.now, allowed=may_see
        )
        if not viewed.done:
            return None
        ctx.data[VIEWED] = case_id
    found = await case_for(ctx.uow, case_id, staff)
    return found[0] if found is not None else None


def _same(case: Case) -> Case:
    return case


async def ask_card(ctx: Context) -> Prompt | Go:
    staff = ctx.actor.staff
    case = await _case(ctx)
    if case is None or staff is None:
        return _expired(ctx)
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    views = await load_views(ctx.uow, ctx.actor.school, [case], everyone)
    if not views:  # the pupil has left the school file meanwhile
        return _expired(ctx)
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


async def ask_questions(ctx: Context) -> Prompt | Go:
    case = await _case(ctx)
    if case is None:
        return _expired(ctx)
    questions = question_set(case.stage, str(ctx.data.get(QUESTIONS, "")))
    if questions is None:
        return _expired(ctx)
    ctx.data[STAGE] = case.stage
    events = (await ctx.uow.cases.events_of([ctx.data[CASE]])).get(ctx.data[CASE], [])
    ticks = ticked(events, case.stage)
    language = language_of(ctx.locale)
    lines = [questions.title.in_language(language)]
    choices = []
    staff = ctx.actor.staff
    assert staff is not None
    shown = [i for i in questions.items if may_see_item(staff, i.principal_only)]
    notes = notes_of(events, case.stage)
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    names = {s.staff_id: s.name for s in everyone}
    for number, item in enumerate(shown, 1):
        text = item.text.in_language(language)
        key = f"{questions.id}/{item.id}"
        if key in ticks:
            lines.append(f"{number}. ☑ {text}")
        else:
            lines.append(f"{number}. ☐ {text}")
            label = _("Covered {number}").format(number=format_number(number))
            choices.append(Choice(f"{COVERED}.{item.id}", label))
        lines.extend(note_lines(notes.get(key, []), names, ctx.actor.school.timezone))
        if not item.covered_only:
            label = _("Note on {number}").format(number=format_number(number))
            choices.append(Choice(f"{NOTE}.{item.id}", label))
    lines.append(_("Tick a question once it has been covered in the conversation."))
    choices.append(Choice(DONE, _("Back to the case")))
    return Prompt("\n".join(lines), tuple(choices))


async def answer_questions(ctx: Context, answer: Answer) -> Go | Retry:
    choice = answer.choice or ""
    if choice == DONE:
        ctx.data.pop(QUESTIONS, None)
        return Go("done")
    action, _dot, item_id = choice.partition(".")
    if action not in (COVERED, NOTE) or not item_id:
        return Retry(_("Please answer with one of the choices."))
    key = item_key(f"{ctx.data.get(QUESTIONS, '')}/{item_id}", str(ctx.data.get(STAGE, "")))
    if action == NOTE:
        if not await may_write_note(ctx, ctx.data[CASE], key):
            ctx.say(_("This button has expired."))
            return Go("again")
        ctx.data[NOTING] = key
        return Go("note")
    ctx.say(await act(ctx, ctx.data[CASE], TICK, key))
    return Go("again")


async def ask_note(ctx: Context) -> Prompt | Go:
    """The note's form (a modal on Slack, a prompt in the console), under its question."""
    case = await _case(ctx)
    staff = ctx.actor.staff
    key, stage = split_item_key(str(ctx.data.get(NOTING, "")))
    found = question(stage, key)
    if case is None or staff is None or found is None:
        return _expired(ctx)
    # What the note is on, in the reader's language; the form's title is short (Slack: 24).
    asked = found.text.in_language(language_of(ctx.locale))
    hint = ngettext(
        "Write a short note on what was said, at most {count} character. No health details.",
        "Write a short note on what was said, at most {count} characters. No health details.",
        MAX_NOTE,
    ).format(count=format_number(MAX_NOTE))
    draft = str(ctx.data.get(DRAFT, ""))
    form = Form(
        id="case-note",
        title=_("Note"),
        fields=(FormField(NOTE_FIELD, asked, multiline=True, initial=(draft,) if draft else ()),),
        submit_label=_("Save"),
    )
    return Prompt(f"{asked}\n{hint}", form=form, accepts_text=True)


async def answer_note(ctx: Context, answer: Answer) -> Go | Retry:
    staff = ctx.actor.staff
    key, stage = split_item_key(str(ctx.data.get(NOTING, "")))
    typed = answer.form.get(NOTE_FIELD) if answer.form is not None else answer.text
    note = clean(typed or "")
    problem = note_problem(note)
    if problem is NoteProblem.EMPTY:
        return Retry(_("Please write the note."))
    if problem is NoteProblem.CONTROL:
        # Nothing is lost: the note comes back without the characters it cannot hold.
        ctx.data[DRAFT] = without_controls(note)[: MAX_NOTE * 2]
        return Retry(
            _(
                "The note contains control characters, which cannot be saved. They are "
                "removed below: please check the note and save it again."
            )
        )
    if problem is NoteProblem.TOO_LONG:
        ctx.data[DRAFT] = note[: MAX_NOTE * 2]
        message = ngettext(
            "The note is too long: please shorten it to at most {count} character.",
            "The note is too long: please shorten it to at most {count} characters.",
            MAX_NOTE,
        )
        return Retry(message.format(count=format_number(MAX_NOTE)))
    assert staff is not None
    result = await add_note(ctx.uow, ctx.data[CASE], staff, stage, key, note, ctx.now)
    ctx.data.pop(DRAFT, None)
    if not result.done or result.case is None:
        return _expired(ctx)
    ctx.data.pop(NOTING, None)
    # Stored first; then every card of the case shows it, in place.
    await refresh_case_cards(ctx.uow, ctx.actor.school, [result.case], ctx.now)
    ctx.say(_("The note is saved."))
    return Go("saved")


async def ask_next_stage(ctx: Context) -> Prompt | Go:
    """Moving on with checklist items unticked is asked first, with how many; with none it is
    done at once."""
    case, staff = await _case(ctx), ctx.actor.staff
    if case is None or staff is None:
        return _expired(ctx)
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    views = await load_views(ctx.uow, ctx.actor.school, [case], everyone)
    if not views:
        return _expired(ctx)
    ticks = views[0].ticks()
    unticked = [i for i in views[0].visible_items(staff) if i.id not in ticks]
    if not unticked:
        ctx.say(await act(ctx, ctx.data[CASE], NEXT, str(ctx.data.pop(LEAVING, ""))))
        return Go("moved")
    text = ngettext(
        "{count} item of the checklist is not ticked. Move the case on to the next stage?",
        "{count} items of the checklist are not ticked. Move the case on to the next stage?",
        len(unticked),
    ).format(count=format_number(len(unticked)))
    choices = (Choice(YES, _("Yes, move it on")), Choice(NO, _("No, stay at this stage")))
    return Prompt(text, choices)


async def answer_next_stage(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == NO:
        ctx.data.pop(LEAVING, None)
        return Go("kept")
    if answer.choice != YES:
        return Retry(_("Please answer with one of the choices."))
    ctx.say(await act(ctx, ctx.data[CASE], NEXT, str(ctx.data.pop(LEAVING, ""))))
    return Go("moved")


async def ask_close(ctx: Context) -> Prompt | Go:
    case = await _case(ctx)
    if case is None:
        return _expired(ctx)
    pupil = await ctx.uow.pupils.get(case.school_key, case.pupil_id)
    who = pupil_line(pupil) if pupil is not None else ""
    school = ctx.actor.school
    language = language_of(ctx.locale)
    closing = CLOSING_QUESTIONS[school.country]
    lines = [
        _("Close the case of {pupil}? It can be reopened later.").format(pupil=who),
        _("Before closing, talk these through together:"),
        *(f"• {entry.text.in_language(language)}" for entry in closing.items if not entry.advice),
    ]
    first_day_off = break_ahead(school, ctx.today)
    for entry in closing.items:
        # The source's advice on timing is said concretely when a break is near.
        if entry.advice and not (entry.id == "closing_timing" and first_day_off is not None):
            lines.append(entry.text.in_language(language))
    if first_day_off is not None:
        lines.append(
            _(
                "A break begins {day}. Closing just before a break can mean a setback: "
                "consider closing after it."
            ).format(day=format_day(first_day_off))
        )
    text = "\n".join(lines)
    choices = (Choice(YES, _("Yes, close it")), Choice(NO, _("No, keep it open")))
    return Prompt(text, choices)


async def answer_close(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == NO:
        return Go("kept")
    if answer.choice != YES:
        return Retry(_("Please answer with one of the choices."))
    return Go("confirmed")


async def ask_kept_up(ctx: Context) -> Prompt | Go:
    if await _case(ctx) is None:
        return _expired(ctx)
    text = _(
        "What must be kept up at school and at home afterwards? Write it in a few words (no "
        'health details), or choose "Nothing to add".'
    )
    return Prompt(text, (Choice(NOTHING_TO_ADD, _("Nothing to add")),), accepts_text=True)


async def answer_kept_up(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == NOTHING_TO_ADD:
        kept_up = ""
    elif answer.text is not None and answer.text.strip():
        kept_up = answer.text.strip()
        if len(kept_up) > MAX_KEPT_UP:
            message = ngettext(
                "That is too long: at most {count} character, please.",
                "That is too long: at most {count} characters, please.",
                MAX_KEPT_UP,
            )
            return Retry(message.format(count=format_number(MAX_KEPT_UP)))
    else:
        return Retry(_("Please answer with one of the choices."))
    detail = {"kept_up": kept_up} if kept_up else {}
    ctx.say(await act(ctx, ctx.data[CASE], CLOSE, detail=detail))
    return Go("closed")


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
