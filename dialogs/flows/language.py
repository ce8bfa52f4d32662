"""Anyone chooses the language the assistant writes to them in."""

from __future__ import annotations

import dataclasses

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, SUPPORTED_LOCALES, _, language_name, use_locale
from routine.model import Language

TRANSITIONS = {"pick": {"picked": END}}


async def ask_language(ctx: Context) -> Prompt:
    choices = tuple(Choice(code, language_name(code)) for code in SUPPORTED_LOCALES)
    return Prompt(_("Which language would you like?"), choices)


async def answer_language(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in SUPPORTED_LOCALES:
        return Retry(_("Please answer with one of the choices."))
    language = Language(answer.choice)
    # Kept apart from the file's language, so that applying the file again does not undo it.
    if ctx.actor.guardian is not None:
        chosen = dataclasses.replace(ctx.actor.guardian, chosen_language=language)
        await ctx.uow.guardians.save(chosen)
    elif ctx.actor.staff is not None:
        await ctx.uow.staff.save(dataclasses.replace(ctx.actor.staff, chosen_language=language))
    ctx.locale = language.value
    with use_locale(ctx.locale):
        ctx.say(
            _("From now on I will write to you in {language}.").format(
                language=language_name(language.value, capitalised=False)
            )
        )
    return Go("picked")


FLOW = Flow(
    name="language",
    title=N_("Language"),
    audience=frozenset({"guardian", "staff"}),
    start="pick",
    steps={"pick": Step(ask_language, answer_language)},
    transitions=TRANSITIONS,
)
