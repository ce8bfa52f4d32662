"""The dialog engine: one incoming event in, translated replies out, state stored in between.

Each event runs in one unit of work: find who is talking, load where their conversation
stands, let the flow's step decide (`flow_driver`), save the new state and commit, and only
then hand the replies back. A button press is honoured only if the engine offered that button
to this conversation at its current step (`offers`), so a forged or stale press can never act
on anything. Who is talking is found in `actors`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from dialogs import linking
from dialogs.actors import STAFF_PLATFORMS, UNKNOWN_STAFF, actor_of, find_actor
from dialogs.events import Incoming, Reply
from dialogs.flow import Actor, Context, Flow
from dialogs.flow_driver import FlowDriver
from dialogs.i18n import N_, _, use_locale
from dialogs.offers import OFFERED_FORM, START_FLOW, engine_keys
from dialogs.turns import Turns
from routine.invites import LinkThrottle
from routine.model import Conversation
from routine.ports import Clock, ConversationMoved, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Also importable from here, where they lived before the engine was split: who is talking
# (`actors`), what a conversation was offered (`offers`), and what the engine answers itself.
__all__ = [
    "OFFERED_FORM",
    "ONLY_PRIVATE",
    "START_FLOW",
    "UNKNOWN_STAFF",
    "Engine",
    "actor_of",
    "find_actor",
]

# How often an event is handled when its conversation was saved by another process meanwhile
# (within a process, events of a conversation take turns). Each loss means another event of
# this chat was saved, so the budget only stops a pathological storm.
MOVED_RETRIES = 5


class Engine:
    def __init__(
        self,
        *,
        uow_factory: UnitOfWorkFactory,
        flows: Iterable[Flow],
        clock: Clock,
        throttle: LinkThrottle | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.driver = FlowDriver(flows)
        self.flows = self.driver.flows
        self.clock = clock
        self.throttle = throttle or LinkThrottle()
        self.turns = Turns()

    async def handle(self, incoming: Incoming) -> list[Reply]:
        try:
            async with self.turns.of(incoming.key.id):
                for _attempt in range(MOVED_RETRIES):
                    try:
                        return await self._handle(incoming)
                    except ConversationMoved:
                        # Another process saved an event of this chat first (a double press
                        # reaching two); nothing of this one was kept. Handled again, it meets
                        # the state that event left: a second "Send" finds nothing to send.
                        log.info("conversation moved meanwhile; handling the event again")
            raise RuntimeError("the conversation kept moving")
        except Exception:
            # The person gets an apology, never a stack trace; the operator gets the trace.
            log.exception("failed to handle %s", incoming.key.id)
            with use_locale(incoming.locale or ""):
                return [Reply(_("Sorry, something went wrong on our side. Please try again."))]

    async def _handle(self, incoming: Incoming) -> list[Reply]:
        if not incoming.private:
            return [linking.say(ONLY_PRIVATE, linking.locale_hint(incoming))]
        async with self.uow_factory() as uow:
            key = incoming.key
            conversation, account = await uow.conversations.open(key.id, key.platform, key.user)
            conversation = conversation or Conversation(key=key.id)
            actor = await actor_of(uow, incoming, account)
            just_linked = False
            if actor is None and incoming.key.platform in STAFF_PLATFORMS:
                return [linking.say(UNKNOWN_STAFF, linking.locale_hint(incoming))]
            if actor is None:
                account, replies = await linking.try_to_link(
                    uow, incoming, conversation, now=self.clock.now(), throttle=self.throttle
                )
                actor = await find_actor(uow, incoming) if account else None
                if actor is None:
                    await uow.save_and_commit(conversation)
                    return replies
                just_linked = True
            actor = await linking.remember_platform_language(uow, actor, incoming)
            ctx = self._context(uow, actor, conversation, actor.language)
            with use_locale(ctx.locale):
                if just_linked and "welcome" in self.flows:
                    hint = linking.locale_hint(incoming)
                    await self.driver.start(
                        ctx, conversation, self.flows["welcome"], {"hint": hint}
                    )
                else:
                    await self.driver.dispatch(ctx, conversation, incoming)
            conversation.data = {**ctx.data, **engine_keys(conversation.data)}
            await uow.save_and_commit(conversation)
            return ctx.replies

    def _context(
        self, uow: UnitOfWork, actor: Actor, conversation: Conversation, locale: str
    ) -> Context:
        now = self.clock.now()
        today = now.astimezone(ZoneInfo(actor.school.timezone)).date()
        flow_data = {k: v for k, v in conversation.data.items() if not k.startswith("_")}
        return Context(uow, actor, flow_data, now, today, actor.school.reporting, locale)


ONLY_PRIVATE = N_("I only talk in private chats. Please write to me directly.")
