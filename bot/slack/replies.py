"""The engine's replies, written where the person is: in their DM with the app, or on the App
Home tab (whose view they replace). A reply's form opens as a modal when Slack allows one (the
reply answers a press that carried a trigger_id); otherwise a button under it opens the form."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.convert import HOME, home_view, modal, reply_messages
from dialogs.events import ConversationKey, Form, Reply

log = logging.getLogger(__name__)

# Forms offered lately, for their "open" buttons: the button carries only the form's id.
REMEMBERED_FORMS = 1000


class ReplyWriter:
    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._forms: dict[tuple[str, str], tuple[Form, str]] = {}

    async def write(
        self, key: ConversationKey, replies: list[Reply], *, trigger_id: str | None = None
    ) -> None:
        for reply in replies:
            if reply.form is not None:
                self._remember(key, reply.form)
        opened = await self._open_form(key, replies, trigger_id)
        if key.chat == HOME:
            await self._client.views_publish(user_id=key.user, view=home_view(replies))
            return
        for reply in replies:
            for kwargs in reply_messages(reply, form_button=reply.form is not opened):
                await self._client.chat_postMessage(channel=key.user, **kwargs)

    async def open_remembered(self, key: ConversationKey, form_id: str, trigger_id: str) -> bool:
        """Open a form offered earlier; False if it is no longer known (e.g. after a restart)."""
        remembered = self._forms.get((key.user, form_id))
        if remembered is None:
            return False
        form, chat = remembered
        return await self._open(form, chat, trigger_id)

    async def _open_form(
        self, key: ConversationKey, replies: list[Reply], trigger_id: str | None
    ) -> Form | None:
        form = next((reply.form for reply in reversed(replies) if reply.form), None)
        if form is None or trigger_id is None:
            return None
        return form if await self._open(form, key.chat, trigger_id) else None

    async def _open(self, form: Form, chat: str, trigger_id: str) -> bool:
        try:
            await self._client.views_open(trigger_id=trigger_id, view=modal(form, chat))
        except SlackApiError as error:
            # A trigger_id lives 3 seconds: too late, the form's button opens it instead.
            log.info("could not open a form: %s", error.response.get("error"))
            return False
        return True

    def _remember(self, key: ConversationKey, form: Form) -> None:
        self._forms[(key.user, form.id)] = (form, key.chat)
        while len(self._forms) > REMEMBERED_FORMS:
            self._forms.pop(next(iter(self._forms)))
