"""Steps and helpers more than one guardian flow uses."""

from __future__ import annotations

from collections.abc import Callable

from dialogs.flow import Answer, Choice, Context, Go, Prompt, Retry
from dialogs.i18n import _
from routine.attendance import mentors_of
from routine.model import Pupil, StaffMember
from routine.outbox import OutboxMessage


async def ask_child(ctx: Context) -> Prompt | Go:
    """Which child, asked only of a guardian with more than one."""
    children = await ctx.children()
    if not children:
        ctx.say(_("No children are linked to you. Please contact the school."))
        return Go("none")
    if len(children) == 1:
        ctx.data["pupil_id"] = children[0].pupil_id
        return Go("picked")
    choices = tuple(Choice(child.pupil_id, child.name) for child in children)
    return Prompt(_("Which child is it about?"), choices)


async def answer_child(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in {child.pupil_id for child in await ctx.children()}:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["pupil_id"] = answer.choice
    return Go("picked")


async def child_name(ctx: Context) -> str:
    pupil = await ctx.uow.pupils.get(ctx.actor.school.key, ctx.data["pupil_id"])
    return pupil.name if pupil else ""


async def tell_mentors(
    ctx: Context, pupil_id: str, message: Callable[[StaffMember, Pupil], OutboxMessage]
) -> int:
    """Queue a message to each mentor of the pupil who is on Slack; how many."""
    pupil = await ctx.uow.pupils.get(ctx.actor.school.key, pupil_id)
    if pupil is None:
        return 0
    told = 0
    for mentor in mentors_of(pupil, await ctx.uow.staff.list_for_school(pupil.school_key)):
        if mentor.slack_user_id:
            told += await ctx.uow.outbox.add(message(mentor, pupil))
    return told
