"""The case flow's conversation questions of a stage, ticked as covered one by one during a
meeting, and the short note a question that is not covered-only takes (a modal on Slack, a
prompt in the console), shown under it and on the card (dialogs/case_notes.py)."""

from __future__ import annotations

from dialogs.case_actions import CASE, NOTING, QUESTIONS, act, may_write_note, question_set
from dialogs.case_card import NOTE, TICK, item_key, language_of, refresh_case_cards, split_item_key
from dialogs.case_notes import note_lines
from dialogs.events import Form, FormField
from dialogs.flow import Answer, Choice, Context, Go, Prompt, Retry
from dialogs.flows.case_shared import DRAFT, STAGE, current_case, expired
from dialogs.i18n import _, format_number, ngettext
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
from routine.cases import may_see_item, ticked

DONE, COVERED = "done", "covered"
NOTE_FIELD = "note"


async def ask_questions(ctx: Context) -> Prompt | Go:
    case = await current_case(ctx)
    if case is None:
        return expired(ctx)
    questions = question_set(case.stage, str(ctx.data.get(QUESTIONS, "")))
    if questions is None:
        return expired(ctx)
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
    case = await current_case(ctx)
    staff = ctx.actor.staff
    key, stage = split_item_key(str(ctx.data.get(NOTING, "")))
    found = question(stage, key)
    if case is None or staff is None or found is None:
        return expired(ctx)
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
        return expired(ctx)
    ctx.data.pop(NOTING, None)
    # Stored first; then every card of the case shows it, in place.
    await refresh_case_cards(ctx.uow, ctx.actor.school, [result.case], ctx.now)
    ctx.say(_("The note is saved."))
    return Go("saved")
