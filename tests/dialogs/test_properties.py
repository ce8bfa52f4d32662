"""Property-based: whatever a person of any role, in any language, sends (random text, presses
on offered, stale, forged or another chat's buttons, forms filled with anything, events after a
restart), the engine never fails, always answers, and the stored conversation stays in a state
its flow declares."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.engine import Engine
from dialogs.events import ConversationKey, Incoming, Reply
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed
from tests.fakes import FakeUnitOfWorkFactory

PEOPLE = ["se-G1", "no-G1", "dk-G1", "se-S1", "se-S3", "se-S4", "no-S1", "dk-S1"]
FLOWS = {flow.name: flow for flow in all_flows()}
SORRY = "Sorry, something went wrong on our side. Please try again."

# What a person may do next: type, press the n-th button they see, press something forged,
# fill in the form they see, or come back after a restart.
actions = st.one_of(
    st.tuples(st.just("text"), st.text(max_size=40)),
    st.tuples(
        st.just("command"), st.sampled_from(["/menu", "/cancel", "/help", "/language", "/x"])
    ),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=12)),
    st.tuples(
        st.just("forged"),
        st.sampled_from(
            ["r.1.open", "f.999.contact", "p.x.ill", "c.1.take", "l.7.grant", "²", ""]
        ),
    ),
    st.tuples(st.just("form"), st.text(max_size=20)),
    st.tuples(st.just("restart"), st.none()),
)


def apologies() -> set[str]:
    found = set()
    for language in ("sv", "nb", "da"):
        with use_locale(language):
            found.add(_(SORRY))
    return found


async def play(person: str, steps: list[tuple[str, object]]) -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    clock = FixedClock(MONDAY_MORNING)
    engine = Engine(uow_factory=world, flows=all_flows(), clock=clock)
    key = ConversationKey(platform="test", chat=person, user=person)
    seen: list[Reply] = []
    for kind, value in steps:
        if kind == "restart":
            engine = Engine(uow_factory=world, flows=all_flows(), clock=clock)
            continue
        incoming = _incoming(key, kind, value, seen)
        replies = await engine.handle(incoming)
        assert replies, f"no answer to {kind} {value!r}"
        assert not {r.text for r in replies} & apologies(), f"failed on {kind} {value!r}"
        seen = replies
        conversation = world.store.conversations.get(key.id)
        if conversation is not None and conversation.flow is not None:
            flow = FLOWS[conversation.flow]
            assert conversation.state in flow.steps, (conversation.flow, conversation.state)


def _incoming(key: ConversationKey, kind: str, value: object, seen: list[Reply]) -> Incoming:
    buttons = [b for reply in seen for b in reply.buttons]
    forms = [reply.form for reply in seen if reply.form is not None]
    if kind == "press" and buttons:
        return Incoming(key=key, button=buttons[int(value) % len(buttons)].id)  # type: ignore[arg-type]
    if kind == "forged":
        return Incoming(key=key, button=str(value))
    if kind == "form" and forms:
        form = forms[-1]
        values = {
            field.name: (field.choices[0][0] if field.choices else str(value))
            for field in form.fields
        }
        return Incoming(key=key, form=values, form_id=form.id)
    if kind == "command":
        return Incoming(key=key, text=str(value))
    return Incoming(key=key, text=str(value) if kind == "text" else "hej")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(person=st.sampled_from(PEOPLE), steps=st.lists(actions, min_size=1, max_size=12))
def test_whatever_anyone_sends_the_engine_answers_and_stays_consistent(
    person: str, steps: list[tuple[str, object]]
) -> None:
    asyncio.run(play(person, steps))
