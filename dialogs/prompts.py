"""Answering "<Name> is absent today and we have no report" with one press.

The prompt's buttons carry `p.<token>.<answer>`: the token names a stored prompt, so a press is
honoured only from the chat of the guardian it was asked of, only once, and only that day.
"""

from __future__ import annotations

from dialogs.flow import Context
from dialogs.follow_up_list import refresh_follow_ups
from dialogs.i18n import N_, _, format_day
from dialogs.notices import prompt_answered
from routine.attendance import mentors_of
from routine.guardian_requests import PromptOutcome, answer_prompt
from routine.outbox import OutgoingButton
from routine.requests import PromptAnswer

PREFIX = "p."
LABELS = {
    PromptAnswer.ILL: N_("Ill"),
    PromptAnswer.OTHER: N_("Other reason"),
    PromptAnswer.CALL_ME: N_("Please call me"),
    PromptAnswer.MISTAKE: N_("There must be a mistake"),
}
THANKS = {
    PromptAnswer.ILL: N_("Thank you. The school now knows that {name} is ill today."),
    PromptAnswer.OTHER: N_("Thank you. The school now knows that {name} is absent today."),
    PromptAnswer.CALL_ME: N_("Thank you. Someone from the school will call you today."),
    PromptAnswer.MISTAKE: N_(
        "Thank you. The school will find out where {name} is and get back to you."
    ),
}


def prompt_buttons(token: str) -> tuple[OutgoingButton, ...]:
    """In the current locale: render inside the guardian's `use_locale`."""
    return tuple(
        OutgoingButton(f"{PREFIX}{token}.{answer.value}", str(label))
        for answer, label in LABELS.items()
    )


def parse(button_id: str) -> tuple[str, PromptAnswer] | None:
    if not button_id.startswith(PREFIX):
        return None
    token, _dot, answer = button_id.removeprefix(PREFIX).rpartition(".")
    try:
        return token, PromptAnswer(answer)
    except ValueError:
        return None


async def press(ctx: Context, token: str, answer: PromptAnswer) -> None:
    guardian = ctx.actor.guardian
    if guardian is None:
        ctx.say(_("This button has expired."))
        return
    outcome, prompt = await answer_prompt(
        ctx.uow,
        token=token,
        guardian=guardian,
        answer=answer,
        today=ctx.today,
        now=ctx.now,
        rules=ctx.rules,
    )
    if outcome is PromptOutcome.NOT_YOURS or prompt is None:
        ctx.say(_("This button has expired."))
        return
    pupil = await ctx.uow.pupils.get(prompt.school_key, prompt.pupil_id)
    name = pupil.name if pupil else ""
    if outcome is PromptOutcome.ALREADY_ANSWERED:
        ctx.say(_("Thank you, we already have your answer."))
    elif outcome is PromptOutcome.OUT_OF_DATE:
        ctx.say(
            _("That question was about {day}. Please contact the school about it.").format(
                day=format_day(prompt.day)
            )
        )
    else:
        ctx.say(str(THANKS[answer]).format(name=name))
        await refresh_follow_ups(
            ctx.uow, ctx.actor.school, prompt.day, ctx.now, pupil_id=prompt.pupil_id
        )
        if pupil is not None:
            for mentor in mentors_of(pupil, await ctx.uow.staff.list_for_school(pupil.school_key)):
                if mentor.slack_user_id:
                    await ctx.uow.outbox.add(
                        prompt_answered(
                            ctx.actor.school,
                            mentor,
                            pupil,
                            guardian,
                            answer,
                            str(prompt.id),
                            ctx.now,
                        )
                    )
