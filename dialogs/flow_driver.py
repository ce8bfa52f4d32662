"""How a conversation moves through its flows: a command, a press, a form or typed text in,
the next prompt out.

The engine (`dialogs.engine`) finds who is talking and loads and saves the conversation; this
decides, within that unit of work, what the event means at the conversation's current step.
Presses on messages outside a flow go through the one table of button prefixes in `actions`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dialogs import actions
from dialogs.events import ConversationKey, Incoming
from dialogs.flow import END, Answer, Context, Flow, Go, Retry
from dialogs.flows.welcome import privacy_notice
from dialogs.i18n import _, use_locale
from dialogs.offers import (
    ACCEPTS_TEXT,
    CANCEL,
    LABELS,
    MENU_BUTTON,
    OFFERED,
    OFFERED_FORM,
    START_FLOW,
    asks,
    clean_form,
    engine_keys,
    leave_flow,
    offer,
)
from dialogs.today import staff_today
from routine.model import Conversation

# Typed commands that start a staff flow (Slack and the console): the case tasks' ones.
STAFF_COMMANDS = {
    "tasks": "task_done",
    "handover": "hand_over",
    "learningenvironment": "learning_environment",
}


class FlowDriver:
    """The engine's flows, and what an event does to a conversation among them. It changes the
    conversation and the context in memory only; the engine saves them."""

    def __init__(self, flows: Iterable[Flow]) -> None:
        self.flows = {flow.name: flow for flow in flows}

    async def dispatch(self, ctx: Context, conv: Conversation, incoming: Incoming) -> None:
        text = (incoming.text or "").strip()
        if text == "/cancel" and incoming.form_id and not asks(conv, incoming.form_id):
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
            leave_flow(ctx, conv)
            await self._show_menu(ctx, conv, greeting=True)
        elif command == "today":
            # What the App Home tab and Slack's /narvaro show: the day, then the menu.
            leave_flow(ctx, conv)
            if (summary := await staff_today(ctx)) is not None:
                ctx.replies.append(summary)
            await self._show_menu(ctx, conv, greeting=True)
        elif command == "help":
            ctx.say(help_text())
            await self._resume(ctx, conv)
        elif command == "language" and "language" in self.flows:
            await self.start(ctx, conv, self.flows["language"])
        elif ctx.actor.staff and STAFF_COMMANDS.get(command, "") in self.flows:
            # Any member of staff may own a task (a plan's row names them): started with data,
            # so not only for those whose menu offers it; each flow checks what it needs.
            leave_flow(ctx, conv)
            await self.start(ctx, conv, self.flows[STAFF_COMMANDS[command]], {})
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
        leave_flow(ctx, conv)
        for engine_key in list(engine_keys(conv.data)):
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
                await self.start(ctx, conv, self.flows[start.flow], start.data)
            else:
                await self._resume(ctx, conv)
            return
        menu_flow = self.flows.get(button_id.removeprefix(MENU_BUTTON))
        if button_id.startswith(MENU_BUTTON) and menu_flow is not None:
            # As offered to this person now (checked by `start`), wherever the menu was.
            await self.start(ctx, conv, menu_flow)
            return
        value = conv.data.get(OFFERED, {}).get(button_id)
        if value is None:
            ctx.say(_("This button has expired."))
            await self._resume(ctx, conv)
        elif value == CANCEL:
            await self._cancel(ctx, conv)
        elif value.startswith(START_FLOW):
            await self.start(ctx, conv, self.flows[value.removeprefix(START_FLOW)])
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
        cleaned = clean_form(offered, values)
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
        for button_id, label in conv.data.get(LABELS, {}).items():
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
        accepts_text = conv.data.get(ACCEPTS_TEXT, False)
        if answer.text is not None and not accepts_text:
            await self._reask(ctx, conv, _("Please answer with one of the choices."))
            return
        result = await step.answer(ctx, answer)
        if isinstance(result, Retry):
            await self._reask(ctx, conv, result.message)
        else:
            await self._advance(ctx, conv, flow, result)

    async def start(
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
            leave_flow(ctx, conv)
            if go.then is not None and go.then.flow in self.flows:
                await self.start(ctx, conv, self.flows[go.then.flow], go.then.data)
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
        offer(ctx, conv, prompt.text, choices, accepts_text=prompt.accepts_text, form=prompt.form)

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
        leave_flow(ctx, conv)
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
            offer(ctx, conv, text, choices, accepts_text=False, menu=True, again=not greeting)


def staff_privacy_notice() -> str:
    return _(
        "You see only what your role needs: the pupils of your own classes. What guardians "
        "report is kept for the school's retention period and then deleted."
    )


def help_text() -> str:
    return _(
        "Choose with the buttons. Type /menu to see the choices again, /cancel to stop what "
        "you are doing, and /language to change language."
    )
