"""Staff see the open contact requests for the pupils they may see, and take one.

The guardian is told who took it. (On Slack the same happens with [I'll take it] buttons.)
"""

from __future__ import annotations

from dialogs.contact_actions import tell_guardian_taken
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _
from dialogs.labels import mid_sentence
from dialogs.notices import TIMES, TOPICS, WAYS
from routine.access import sees_a_class, visible_classes
from routine.guardian_requests import take_contact_request
from routine.requests import ContactRequest, RequestStatus

TRANSITIONS = {"pick": {"taken": END, "none": END}}


async def _open_requests(ctx: Context) -> list[ContactRequest]:
    staff = ctx.actor.staff
    assert staff is not None
    classes = visible_classes(
        staff, [c.name for c in await ctx.uow.classes.list_for(staff.school_key)]
    )
    pupils = await ctx.uow.pupils.list_for_classes(staff.school_key, classes)
    return await ctx.uow.contact_requests.list_open(staff.school_key, [p.pupil_id for p in pupils])


async def ask_pick(ctx: Context) -> Prompt | Go:
    requests = await _open_requests(ctx)
    if not requests:
        ctx.say(_("There are no open contact requests for your classes."))
        return Go("none")
    lines, choices = [_("Open contact requests:")], []
    for request in requests:
        pupil = await ctx.uow.pupils.get(request.school_key, request.pupil_id)
        guardian = await ctx.uow.guardians.get(request.school_key, request.guardian_id)
        name = pupil.name if pupil else request.pupil_id
        who = guardian.name if guardian else request.guardian_id
        phone = f" ({guardian.phone})" if guardian and guardian.phone else ""
        line = "• " + _("{pupil}: {guardian}{phone}. {topic}, {way}, {time}").format(
            pupil=name,
            guardian=who,
            phone=phone,
            topic=TOPICS[request.topic],
            way=mid_sentence(WAYS[request.way]),
            time=mid_sentence(TIMES[request.time]),
        )
        if request.status is RequestStatus.TAKEN:
            line += " — " + _("taken")
        else:
            choices.append(Choice(str(request.id), _("I'll take it: {name}").format(name=name)))
        lines.append(line)
    return Prompt("\n".join(lines), tuple(choices))


async def answer_pick(ctx: Context, answer: Answer) -> Go | Retry:
    staff = ctx.actor.staff
    assert staff is not None and answer.choice is not None
    taken = await take_contact_request(
        ctx.uow, request_id=int(answer.choice), staff=staff, now=ctx.now
    )
    if taken is None:
        return Retry(_("Someone else has already taken that request."))
    await tell_guardian_taken(ctx, taken)
    ctx.say(_("You have taken the request. The guardian is told that you will contact them."))
    return Go("taken")


FLOW = Flow(
    name="contact_requests",
    title=N_("Contact requests"),
    audience=frozenset({"staff"}),
    start="pick",
    steps={"pick": Step(ask_pick, answer_pick)},
    transitions=TRANSITIONS,
    offered=lambda actor: actor.staff is not None and sees_a_class(actor.staff),
)
