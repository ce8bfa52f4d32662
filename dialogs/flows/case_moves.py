"""The case flow's moves: on to the next stage (always asked first, from the card as in the
chat), and closing (asked first, with the sources' questions to talk through, then what must be
kept up afterwards)."""

from __future__ import annotations

from dialogs.case_actions import CASE, LEAVING, act
from dialogs.case_card import CLOSE, NEXT, language_of, load_views, pupil_line
from dialogs.flow import Answer, Choice, Context, Go, Prompt, Retry
from dialogs.flows.case_shared import NO, YES, current_case, expired
from dialogs.i18n import _, format_day, format_number, ngettext
from routine.closing import break_ahead
from routine.guides import CLOSING as CLOSING_QUESTIONS
from routine.guides import guide_for
from routine.stages import country_of, next_stage

NOTHING_TO_ADD = "nothing"
# "er der så tiltag i skolen eller i hjemmet, som skal fastholdes?" (004: 2324–2325): kept in
# the case's log with the closing, for whoever reopens or reads the case later.
MAX_KEPT_UP = 500


async def ask_next_stage(ctx: Context) -> Prompt | Go:
    """A move to the next stage is always asked first, from the card's button as from the
    chat's choice: naming the stage, or saying how many checklist items are unticked. It is
    asked only while the case is open and still at the stage the button was for; a button of
    a card the case has moved on from is refused here, and a move someone else makes between
    the question and the answer is refused by the compare-and-set of dialogs/stage_change.py
    (`act` says so)."""
    case, staff = await current_case(ctx), ctx.actor.staff
    if case is None or staff is None:
        return expired(ctx)
    following = next_stage(country_of(case.stage), case.stage)
    if not case.is_open or case.stage != ctx.data.get(LEAVING):
        return expired(ctx)
    if following is None:
        return expired(ctx, _("The case is at its last stage."))
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    views = await load_views(ctx.uow, ctx.actor.school, [case], everyone)
    if not views:
        return expired(ctx)
    ticks = views[0].ticks()
    unticked = [i for i in views[0].visible_items(staff) if i.id not in ticks]
    if unticked:
        text = ngettext(
            "{count} item of the checklist is not ticked. Move the case on to the next stage?",
            "{count} items of the checklist are not ticked. Move the case on to the next stage?",
            len(unticked),
        ).format(count=format_number(len(unticked)))
    else:
        name = guide_for(following).name.in_language(language_of(ctx.locale))
        text = _("Move the case on to the next stage: {stage}?").format(stage=name)
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
    case = await current_case(ctx)
    if case is None:
        return expired(ctx)
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
    if await current_case(ctx) is None:
        return expired(ctx)
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
