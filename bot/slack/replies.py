"""The engine's replies, written where the person is: in their DM with the app, or on the App
Home tab (whose view they replace). A reply's form opens as a modal when Slack allows one (the
reply answers a press that carried a trigger_id); otherwise a button under it opens the form.

The DM stays quiet. The menu lives on the Home tab (and comes with `/narvaro` or a greeting),
so a DM answer does not end with it again. A form that opens as a modal is not also written as
a message. A modal's outcome replaces the message the modal was opened from: a reply of ours
is edited to say it; a message of the outbox (a roll call, a follow-up list, a leave request)
is edited by the outbox to show what changed, so an outcome it shows is not said again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.convert import HOME, Origin, home_view, modal, outcome_message, reply_messages
from dialogs.events import ConversationKey, Form, Reply

log = logging.getLogger(__name__)

# Forms offered lately, for their "open" buttons: the button carries only the form's id.
REMEMBERED_FORMS = 1000


class ReplyWriter:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._forms: dict[tuple[str, str], tuple[Form, str, str]] = {}

    async def write(
        self,
        key: ConversationKey,
        replies: list[Reply],
        *,
        trigger_id: str | None = None,
        pressed_in: Origin | None = None,
        submitted_from: Origin | None = None,
    ) -> None:
        """`pressed_in`: the message whose button brought these replies (a modal opened now
        remembers it); `submitted_from`: the message the submitted modal was opened from."""
        for reply in replies:
            if reply.form is not None:
                self._remember(key, reply)
        opened = await self._open_form(key, replies, trigger_id, pressed_in)
        if key.chat == HOME:
            await self._client.views_publish(user_id=key.user, view=home_view(replies))
            return
        said = [reply for reply in replies if reply.form is None or reply.form is not opened]
        shown_elsewhere = opened is not None
        if submitted_from is not None and not any(reply.form for reply in said):
            said, shown_elsewhere = await self._outcome(submitted_from, said)
        for reply in _without_repeated_menu(said, shown_elsewhere=shown_elsewhere):
            for kwargs in reply_messages(reply, form_button=reply.form is not None):
                await self._client.chat_postMessage(channel=key.user, **kwargs)

    async def open_remembered(
        self, key: ConversationKey, form_id: str, trigger_id: str, pressed_in: Origin | None
    ) -> bool:
        """Open a form offered earlier; False if it is no longer known (e.g. after a restart)."""
        remembered = self._forms.get((key.user, form_id))
        if remembered is None:
            return False
        form, chat, intro = remembered
        return await self._open(form, chat, trigger_id, intro, pressed_in)

    async def _outcome(self, origin: Origin, replies: list[Reply]) -> tuple[list[Reply], bool]:
        """A submitted form's outcome, shown in the message the form came from. What is left
        to post, and whether anything was shown there."""
        told = [reply for reply in replies if not reply.repeats_menu]
        if not origin.reply:
            left = [reply for reply in told if not reply.shown_in_place]
            return left, len(left) < len(told)
        message = outcome_message(told)
        if message is None:
            return replies, False
        try:
            await self._client.chat_update(channel=origin.channel, ts=origin.ts, **message)
        except SlackApiError as error:
            log.info("could not edit a reply with its outcome: %s", error.response.get("error"))
            return replies, False
        return [], True

    async def _open_form(
        self,
        key: ConversationKey,
        replies: list[Reply],
        trigger_id: str | None,
        pressed_in: Origin | None,
    ) -> Form | None:
        asking = next((reply for reply in reversed(replies) if reply.form), None)
        if asking is None or asking.form is None or trigger_id is None:
            return None
        opened = await self._open(asking.form, key.chat, trigger_id, asking.text, pressed_in)
        return asking.form if opened else None

    async def _open(
        self, form: Form, chat: str, trigger_id: str, intro: str, origin: Origin | None
    ) -> bool:
        view = modal(form, chat, intro=intro, origin=origin)
        try:
            await self._client.views_open(trigger_id=trigger_id, view=view)
        except SlackApiError as error:
            # A trigger_id lives 3 seconds: too late, the form's button opens it instead.
            log.info("could not open a form: %s", error.response.get("error"))
            return False
        return True

    def _remember(self, key: ConversationKey, reply: Reply) -> None:
        assert reply.form is not None
        self._forms[(key.user, reply.form.id)] = (reply.form, key.chat, reply.text)
        while len(self._forms) > REMEMBERED_FORMS:
            self._forms.pop(next(iter(self._forms)))


def _without_repeated_menu(replies: Sequence[Reply], *, shown_elsewhere: bool) -> list[Reply]:
    """Leaves out the menu offered again after an answer: it is on the Home tab. Kept only if
    nothing else would be shown at all."""
    told = [reply for reply in replies if not reply.repeats_menu]
    return told if told or shown_elsewhere else list(replies)
