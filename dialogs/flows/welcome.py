"""A guardian's first minute after linking: the language, then what is stored and why."""

from __future__ import annotations

import dataclasses

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, SUPPORTED_LOCALES, _, language_name, use_locale
from routine.model import Language

TRANSITIONS = {
    "language": {"picked": "privacy"},
    "privacy": {"shown": END},
}
HINT = "hint"


def privacy_notice() -> str:
    return _(
        "What the school stores here, and why: your name and your children's names from the "
        "school's register, the link between this chat and you, and your absence reports "
        "(the reason, the days and your note, if you write one). The school uses them to know "
        "that your child is safe and to follow up attendance together with you. Only the staff "
        "who work with your child see them, and they are deleted after the school's retention "
        "period. Please do not write about health or diagnoses here: if something is difficult, "
        "ask the school to call you. Type /stop to unlink this chat at any time."
    )


async def ask_language(ctx: Context) -> Prompt:
    proposed = ctx.data.get(HINT) or ctx.locale
    codes = [proposed, *(c for c in SUPPORTED_LOCALES if c != proposed)]
    with use_locale(proposed):
        text = (
            _("Welcome, {name}! This chat is now linked to {school}.").format(
                name=ctx.actor.name, school=ctx.actor.school.name
            )
            + "\n"
            + _("Which language would you like?")
        )
    return Prompt(text, tuple(Choice(code, language_name(code)) for code in codes))


async def answer_language(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in SUPPORTED_LOCALES or ctx.actor.guardian is None:
        return Retry(_("Please answer with one of the choices."))
    language = Language(answer.choice)
    await ctx.uow.guardians.save(dataclasses.replace(ctx.actor.guardian, chosen_language=language))
    ctx.locale = language.value
    return Go("picked")


async def show_privacy(ctx: Context) -> Go:
    with use_locale(ctx.locale):
        ctx.say(privacy_notice())
    return Go("shown")


FLOW = Flow(
    name="welcome",
    title=N_("Welcome"),
    audience=frozenset(),  # started by the engine after linking, never from the menu
    start="language",
    steps={"language": Step(ask_language, answer_language), "privacy": Step(show_privacy)},
    transitions=TRANSITIONS,
    cancellable=False,
    does_a_task=False,
)
