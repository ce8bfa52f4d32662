"""The dialog engine: one incoming event in, translated replies out, state stored in between.

Each event runs in one unit of work: find who is talking, load where their conversation
stands, let the flow's step decide, save the new state and commit, and only then hand the
replies back. A button press is honoured only if the engine offered that button to this
conversation at its current step, so a forged or stale press can never act on anything.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping
from zoneinfo import ZoneInfo

from dialogs import actions, linking
from dialogs.events import Button, ConversationKey, Form, Incoming, Reply
from dialogs.flow import END, Actor, Answer, Context, Flow, Go, Retry
from dialogs.flows.welcome import privacy_notice
from dialogs.i18n import N_, _, use_locale
from dialogs.today import staff_today
from dialogs.turns import Turns
from routine.invites import LinkThrottle
from routine.model import ChatAccount, Conversation
from routine.ports import Clock, ConversationMoved, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)

CANCEL = "__cancel"
START_FLOW = "flow:"
# The menu's buttons: one id per flow, which stays valid while other questions come and go, so
# that a menu left higher up in a chat (Slack shows it only when asked for) keeps working.
MENU_BUTTON = "m."
OFFERED = "_offered"
OFFERED_FORM = "_form"
SEQUENCE = "_seq"
# How often an event is handled when its conversation was saved by another process meanwhile
# (within a process, events of a conversation take turns). Each loss means another event of
# this chat was saved, so the budget only stops a pathological storm.
MOVED_RETRIES = 5
# Typed commands that start a staff flow (Slack and the console): the case tasks' ones.
STAFF_COMMANDS = {
    "tasks": "task_done",
    "handover": "hand_over",
    "learningenvironment": "learning_environment",
}


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
        self.flows = {flow.name: flow for flow in flows}
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
                    await self._start(ctx, conversation, self.flows["welcome"], {"hint": hint})
                else:
                    await self._dispatch(ctx, conversation, incoming)
            conversation.data = {**ctx.data, **_engine_keys(conversation.data)}
            await uow.save_and_commit(conversation)
            return ctx.replies

    def _context(
        self, uow: UnitOfWork, actor: Actor, conversation: Conversation, locale: str
    ) -> Context:
        now = self.clock.now()
        today = now.astimezone(ZoneInfo(actor.school.timezone)).date()
        flow_data = {k: v for k, v in conversation.data.items() if not k.startswith("_")}
        return Context(uow, actor, flow_data, now, today, actor.school.reporting, locale)

    async def _dispatch(self, ctx: Context, conv: Conversation, incoming: Incoming) -> None:
        text = (incoming.text or "").strip()
        if text == "/cancel" and incoming.form_id and not _asks(conv, incoming.form_id):
            # A form closed unsubmitted (a Slack modal) that is no longer the question: what
            # the person does now stays as it is, and nothing is said.
            return
        elif text.startswith("/"):
            await self._command(ctx, conv, text)
        elif incoming.button is not None:
            await self._press(ctx, conv, incoming.button)
        elif incoming.form is not None:
            await self._submit(ctx, conv, incoming.form_id, incoming.form)
        elif conv.flow is None:
            await self._show_menu(ctx, conv, greeting=True)
        elif text:
            await self._typed(ctx, conv, text)
        else:
            await self._reask(ctx, conv, _("Please answer with one of the choices."))

    async def _command(self, ctx: Context, conv: Conversation, text: str) -> None:
        command = text.split()[0][1:].split("@")[0].lower()
        if command == "cancel":
            await self._cancel(ctx, conv)
        elif command in ("start", "menu"):
            _leave_flow(ctx, conv)
            await self._show_menu(ctx, conv, greeting=True)
        elif command == "today":
            # What the App Home tab and Slack's /narvaro show: the day, then the menu.
            _leave_flow(ctx, conv)
            if (summary := await staff_today(ctx)) is not None:
                ctx.replies.append(summary)
            await self._show_menu(ctx, conv, greeting=True)
        elif command == "help":
            ctx.say(help_text())
            await self._resume(ctx, conv)
        elif command == "language" and "language" in self.flows:
            await self._start(ctx, conv, self.flows["language"])
        elif ctx.actor.staff and STAFF_COMMANDS.get(command, "") in self.flows:
            # Any member of staff may own a task (a plan's row names them): started with data,
            # so not only for those whose menu offers it; each flow checks what it needs.
            _leave_flow(ctx, conv)
            await self._start(ctx, conv, self.flows[STAFF_COMMANDS[command]], {})
        elif command == "privacy":
            ctx.say(privacy_notice() if ctx.actor.guardian else staff_privacy_notice())
            await self._resume(ctx, conv)
        elif command == "stop":
            await self._unlink(ctx, conv)
        else:
            ctx.say(_("I don't know that command.") + "\n" + help_text())
            await self._resume(ctx, conv)

    async def _unlink(self, ctx: Context, conv: Conversation) -> None:
        """Nothing about the child stays reachable from this chat."""
        key = ConversationKey.parse(conv.key)
        await ctx.uow.accounts.delete(key.platform, key.user)
        _leave_flow(ctx, conv)
        for engine_key in list(_engine_keys(conv.data)):
            conv.data.pop(engine_key)
        ctx.say(
            _(
                "This chat is no longer linked: nothing about your children can be reached from "
                "here. To link it again, ask the school for a new code."
            )
        )

    async def _press(self, ctx: Context, conv: Conversation, button_id: str) -> None:
        handled, start = await actions.press(ctx, button_id)
        if handled:
            if start is not None and start.flow in self.flows:
                await self._start(ctx, conv, self.flows[start.flow], start.data)
            else:
                await self._resume(ctx, conv)
            return
        menu_flow = self.flows.get(button_id.removeprefix(MENU_BUTTON))
        if button_id.startswith(MENU_BUTTON) and menu_flow is not None:
            # As offered to this person now (checked by _start), wherever the menu was.
            await self._start(ctx, conv, menu_flow)
            return
        value = conv.data.get(OFFERED, {}).get(button_id)
        if value is None:
            ctx.say(_("This button has expired."))
            await self._resume(ctx, conv)
        elif value == CANCEL:
            await self._cancel(ctx, conv)
        elif value.startswith(START_FLOW):
            await self._start(ctx, conv, self.flows[value.removeprefix(START_FLOW)])
        else:
            await self._answer(ctx, conv, Answer(choice=value))

    async def _submit(
        self, ctx: Context, conv: Conversation, form_id: str | None, values: Mapping[str, str]
    ) -> None:
        offered = conv.data.get(OFFERED_FORM)
        if offered is None or form_id != offered["id"]:
            ctx.say(_("This form has expired."))
            await self._resume(ctx, conv)
            return
        cleaned = _clean_form(offered, values)
        if cleaned is None:
            await self._reask(ctx, conv, _("This form has changed. Please fill it in again."))
            return
        missing = [label for name, label in offered["required"].items() if not cleaned[name]]
        if missing:
            await self._reask(
                ctx, conv, _("Please fill in: {fields}").format(fields=", ".join(missing))
            )
            return
        await self._answer(ctx, conv, Answer(form=cleaned))

    async def _typed(self, ctx: Context, conv: Conversation, text: str) -> None:
        """Typing a button's label counts as pressing it; other text goes to the step."""
        for button_id, label in conv.data.get("_labels", {}).items():
            if label.casefold() == text.casefold():
                await self._press(ctx, conv, button_id)
                return
        await self._answer(ctx, conv, Answer(text=text))

    async def _answer(self, ctx: Context, conv: Conversation, answer: Answer) -> None:
        flow = self.flows[conv.flow] if conv.flow else None
        if flow is None or conv.state is None:
            await self._show_menu(ctx, conv, greeting=False)
            return
        step = flow.steps[conv.state]
        accepts_text = conv.data.get("_accepts_text", False)
        if answer.text is not None and not accepts_text:
            await self._reask(ctx, conv, _("Please answer with one of the choices."))
            return
        result = await step.answer(ctx, answer)
        if isinstance(result, Retry):
            await self._reask(ctx, conv, result.message)
        else:
            await self._advance(ctx, conv, flow, result)

    async def _start(
        self, ctx: Context, conv: Conversation, flow: Flow, data: dict | None = None
    ) -> None:
        """Start a flow from the menu, or, with `data`, on the engine's own initiative."""
        if data is None and not flow.offered_to(ctx.actor):
            ctx.say(_("This button has expired."))
            await self._show_menu(ctx, conv, greeting=False)
            return
        ctx.data.clear()
        ctx.data.update(data or {})
        conv.flow, conv.state = flow.name, flow.start
        await self._ask(ctx, conv, flow)

    async def _advance(self, ctx: Context, conv: Conversation, flow: Flow, go: Go) -> None:
        assert conv.state is not None
        next_state = flow.next_state(conv.state, go.outcome)
        if next_state == END:
            _leave_flow(ctx, conv)
            if go.then is not None and go.then.flow in self.flows:
                await self._start(ctx, conv, self.flows[go.then.flow], go.then.data)
                return
            await self._show_menu(ctx, conv, greeting=False, after_a_task=flow.does_a_task)
            return
        conv.state = next_state
        await self._ask(ctx, conv, flow)

    async def _ask(self, ctx: Context, conv: Conversation, flow: Flow) -> None:
        assert conv.state is not None
        prompt = await flow.steps[conv.state].ask(ctx)
        if isinstance(prompt, Go):
            await self._advance(ctx, conv, flow, prompt)
            return
        choices = [(c.value, c.label) for c in prompt.choices]
        if flow.cancellable:
            choices.append((CANCEL, _("Cancel")))
        self._offer(
            ctx, conv, prompt.text, choices, accepts_text=prompt.accepts_text, form=prompt.form
        )

    async def _reask(self, ctx: Context, conv: Conversation, message: str) -> None:
        ctx.say(message)
        await self._resume(ctx, conv)

    async def _resume(self, ctx: Context, conv: Conversation) -> None:
        """Show again whatever the person was asked last, so they can carry on."""
        flow = self.flows.get(conv.flow or "")
        if flow is None or conv.state is None:
            await self._show_menu(ctx, conv, greeting=False)
        else:
            await self._ask(ctx, conv, flow)

    async def _cancel(self, ctx: Context, conv: Conversation) -> None:
        if conv.flow is None:
            ctx.say(_("There is nothing to cancel."))
        else:
            flow = self.flows.get(conv.flow)
            cancel_text = flow.cancel_text if flow is not None else None
            ctx.say(
                str(cancel_text) if cancel_text is not None else _("Cancelled. Nothing was sent.")
            )
        _leave_flow(ctx, conv)
        await self._show_menu(ctx, conv, greeting=False)

    async def _show_menu(
        self, ctx: Context, conv: Conversation, *, greeting: bool, after_a_task: bool = True
    ) -> None:
        with use_locale(ctx.locale):
            if greeting:
                text = _("Hello {name}! What would you like to do?").format(name=ctx.actor.name)
            elif after_a_task:
                text = _("What else can I help you with?")
            else:
                text = _("What would you like to do?")
            choices = [
                (START_FLOW + flow.name, str(flow.title))
                for flow in self.flows.values()
                if flow.offered_to(ctx.actor)
            ]
            self._offer(
                ctx, conv, text, choices, accepts_text=False, menu=True, again=not greeting
            )

    def _offer(
        self,
        ctx: Context,
        conv: Conversation,
        text: str,
        choices: list[tuple[str, str]],
        *,
        accepts_text: bool,
        form: Form | None = None,
        menu: bool = False,
        again: bool = False,
    ) -> None:
        """Render a prompt with fresh button ids; every earlier button and form stops working,
        except the menu's (MENU_BUTTON). `again`: the menu offered again after an answer."""
        sequence = conv.data.get(SEQUENCE, 0) + 1
        buttons = tuple(
            Button(
                MENU_BUTTON + value.removeprefix(START_FLOW) if menu else f"{sequence}.{i}",
                label,
            )
            for i, (value, label) in enumerate(choices)
        )
        conv.data[SEQUENCE] = sequence
        conv.data[OFFERED] = {b.id: value for b, (value, _l) in zip(buttons, choices, strict=True)}
        conv.data["_labels"] = {b.id: b.label for b in buttons}
        conv.data["_accepts_text"] = accepts_text
        conv.data[OFFERED_FORM] = _form_state(form, sequence) if form else None
        if form is not None:
            form = dataclasses.replace(form, id=f"{sequence}.{form.id}")
        ctx.replies.append(Reply(text, buttons, form, repeats_menu=menu and again))


def _asks(conv: Conversation, form_id: str) -> bool:
    """Whether the form `form_id` is what the conversation asks now."""
    offered = conv.data.get(OFFERED_FORM)
    return offered is not None and offered["id"] == form_id


def _form_state(form: Form, sequence: int) -> dict:
    """What a submission is checked against. Of the choices only the values are kept: a class's
    pupils would otherwise bring their names into every stored conversation."""
    return {
        "id": f"{sequence}.{form.id}",
        "fields": [field.name for field in form.fields],
        "required": {field.name: field.label for field in form.fields if field.required},
        "choices": {f.name: [value for value, _l in f.choices] for f in form.fields if f.choices},
        "multiple": [field.name for field in form.fields if field.multiple and field.choices],
    }


def _clean_form(offered: dict, values: Mapping[str, str]) -> dict[str, str] | None:
    """The values as the step gets them (see `FormField`), or None if a choice field holds a
    value that was not offered: the person filled in some other version of the form, and
    dropping the value silently could lose a mark they meant to make."""
    choices: dict[str, list[str]] = offered.get("choices", {})
    multiple = set(offered.get("multiple", ()))
    cleaned = {}
    for name in offered["fields"]:
        text = (values.get(name) or "").strip()
        if name not in choices:
            cleaned[name] = text
            continue
        picked = _picked(text) if name in multiple else {text} - {""}
        if not picked <= set(choices[name]):
            return None
        cleaned[name] = "\n".join(value for value in choices[name] if value in picked)
    return cleaned


def _picked(text: str) -> set[str]:
    return {line.strip() for line in text.splitlines() if line.strip()}


def _leave_flow(ctx: Context, conv: Conversation) -> None:
    conv.flow = conv.state = None
    ctx.data.clear()


def _engine_keys(data: dict) -> dict:
    return {k: v for k, v in data.items() if k.startswith("_")}


# Staff are known from the school file by their Slack user id; nobody links there with a code.
STAFF_PLATFORMS = frozenset({"slack"})
UNKNOWN_STAFF = N_(
    "I don't know you yet. Please ask the school's administrator to add your Slack account to "
    "the school file."
)
ONLY_PRIVATE = N_("I only talk in private chats. Please write to me directly.")


def staff_privacy_notice() -> str:
    return _(
        "You see only what your role needs: the pupils of your own classes. What guardians "
        "report is kept for the school's retention period and then deleted."
    )


async def _staff_account(uow: UnitOfWork, slack_user_id: str) -> ChatAccount | None:
    """Staff need no code: the school file names their Slack accounts."""
    staff = await uow.staff.find_by_slack_user(slack_user_id)
    if staff is None:
        return None
    account = ChatAccount("slack", slack_user_id, staff.school_key, "staff", staff.staff_id)
    await uow.accounts.save(account)
    return account


def help_text() -> str:
    return _(
        "Choose with the buttons. Type /menu to see the choices again, /cancel to stop what "
        "you are doing, and /language to change language."
    )


async def find_actor(uow: UnitOfWork, incoming: Incoming) -> Actor | None:
    account = await uow.accounts.get(incoming.key.platform, incoming.key.user)
    return await actor_of(uow, incoming, account)


async def actor_of(
    uow: UnitOfWork, incoming: Incoming, account: ChatAccount | None
) -> Actor | None:
    """The person behind the chat account writing (None: not linked). After
    `conversations.open`, storage answers the lookups here from what it read with the
    conversation: a guardian's event costs no SQL of its own."""
    if account is None and incoming.key.platform in STAFF_PLATFORMS:
        account = await _staff_account(uow, incoming.key.user)
    if account is None:
        return None
    if not account.reachable:
        # Whoever writes can be written to again (they unblocked the bot).
        await uow.accounts.save(dataclasses.replace(account, reachable=True))
    school = await uow.schools.get(account.school_key)
    if school is None:
        return None
    if account.person_kind == "guardian":
        guardian = await uow.guardians.get(account.school_key, account.person_id)
        return Actor(school=school, guardian=guardian) if guardian else None
    staff = await uow.staff.get(account.school_key, account.person_id)
    return Actor(school=school, staff=staff) if staff else None
