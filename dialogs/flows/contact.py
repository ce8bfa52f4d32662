"""A guardian asks the school to contact them: about which child, what, how and when.

States: child → topic → way → time → confirm; see TRANSITIONS and contact.md beside this file.
Nothing sensitive is asked in chat: the topic is a category, the talk happens with a person.
"""

from __future__ import annotations

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows.common import answer_child, ask_child, child_name, tell_mentors
from dialogs.i18n import N_, _
from dialogs.labels import mid_sentence
from dialogs.notices import TIMES, TOPICS, WAYS, contact_requested
from routine.guardian_requests import request_contact
from routine.requests import ContactTime, ContactTopic, ContactWay

TRANSITIONS = {
    "child": {"picked": "topic", "none": END},
    "topic": {"picked": "way"},
    "way": {"picked": "time"},
    "time": {"picked": "confirm"},
    "confirm": {"sent": END},
}


def _choices(labels: dict) -> tuple[Choice, ...]:
    return tuple(Choice(value.value, str(label)) for value, label in labels.items())


async def ask_topic(ctx: Context) -> Prompt:
    return Prompt(_("What is it about?"), _choices(TOPICS))


async def answer_topic(ctx: Context, answer: Answer) -> Go:
    ctx.data["topic"] = ContactTopic(answer.choice).value
    return Go("picked")


async def ask_way(ctx: Context) -> Prompt:
    return Prompt(_("How would you like to be contacted?"), _choices(WAYS))


async def answer_way(ctx: Context, answer: Answer) -> Go:
    ctx.data["way"] = ContactWay(answer.choice).value
    return Go("picked")


async def ask_time(ctx: Context) -> Prompt:
    return Prompt(_("When suits you best?"), _choices(TIMES))


async def answer_time(ctx: Context, answer: Answer) -> Go:
    ctx.data["time"] = ContactTime(answer.choice).value
    return Go("picked")


async def ask_confirm(ctx: Context) -> Prompt:
    text = _("The school will contact you about {name}. {topic}, {way}, {time}.").format(
        name=await child_name(ctx),
        topic=TOPICS[ContactTopic(ctx.data["topic"])],
        way=mid_sentence(WAYS[ContactWay(ctx.data["way"])]),
        time=mid_sentence(TIMES[ContactTime(ctx.data["time"])]),
    )
    return Prompt(text, (Choice("send", _("Send request")),))


async def answer_confirm(ctx: Context, answer: Answer) -> Go | Retry:
    guardian = ctx.actor.guardian
    assert guardian is not None
    request = await request_contact(
        ctx.uow,
        guardian=guardian,
        pupil_id=ctx.data["pupil_id"],
        topic=ContactTopic(ctx.data["topic"]),
        way=ContactWay(ctx.data["way"]),
        time=ContactTime(ctx.data["time"]),
        now=ctx.now,
    )
    await tell_mentors(
        ctx,
        request.pupil_id,
        lambda mentor, pupil: contact_requested(
            ctx.actor.school, mentor, pupil, guardian, request, ctx.now
        ),
    )
    ctx.say(_("Thank you. We will tell you when someone at the school has taken your request."))
    return Go("sent")


FLOW = Flow(
    name="contact",
    title=N_("Ask the school to contact me"),
    audience=frozenset({"guardian"}),
    start="child",
    steps={
        "child": Step(ask_child, answer_child),
        "topic": Step(ask_topic, answer_topic),
        "way": Step(ask_way, answer_way),
        "time": Step(ask_time, answer_time),
        "confirm": Step(ask_confirm, answer_confirm),
    },
    transitions=TRANSITIONS,
)
