"""Chats that are not linked to anyone yet: the only thing they can do is link with a code.

A code comes from `narvaro invite` and is used once, with `/start CODE` (Telegram's deep link
sends exactly that). Wrong codes are answered clearly and throttled per chat. Nothing about any
child is reachable before a code has linked the chat.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from dialogs.events import Incoming, Reply
from dialogs.flow import Actor
from dialogs.i18n import N_, SUPPORTED_LOCALES, LazyString, use_locale
from routine.invites import InviteError, InviteRefused, LinkThrottle, redeem_invite
from routine.model import ChatAccount, Conversation, Language
from routine.ports import UnitOfWork

FAILURES = "_link_failures"

NOT_LINKED = N_(
    "This chat is not linked to a school yet. Please use the link or the code you got from "
    "the school, like this: /start CODE"
)
TOO_MANY = N_("Too many wrong codes. Please wait a quarter of an hour and try again.")
WRONG_CODE = N_("That code is not right. Please check it and try again.")
REFUSALS = {
    InviteError.UNKNOWN_CODE: WRONG_CODE,
    InviteError.UNKNOWN_GUARDIAN: WRONG_CODE,
    InviteError.EXPIRED: N_("That code has expired. Please ask the school for a new one."),
    InviteError.USED: N_("That code has already been used. Please ask the school for a new one."),
}


def locale_hint(incoming: Incoming) -> str | None:
    """The platform's language hint as one of ours (Telegram's `no`/`nn` are `nb`)."""
    try:
        return Language.parse(incoming.locale or "").value
    except ValueError:
        return None


def say(message: LazyString, locale: str | None) -> Reply:
    """In the hinted language, or, for someone whose language we cannot know yet, in all."""
    lines = []
    for code in [locale] if locale else SUPPORTED_LOCALES:
        with use_locale(code):
            lines.append(str(message))
    return Reply("\n\n".join(lines))


def code_in(text: str) -> str | None:
    parts = text.split()
    if len(parts) == 2 and parts[0].split("@")[0].lower() == "/start":
        return parts[1]
    return None


async def try_to_link(
    uow: UnitOfWork,
    incoming: Incoming,
    conversation: Conversation,
    *,
    now: datetime,
    throttle: LinkThrottle,
) -> tuple[ChatAccount | None, list[Reply]]:
    """Link the chat if the event carries a good code. The caller saves the conversation,
    which remembers failed attempts, and commits."""
    locale = locale_hint(incoming)
    code = code_in((incoming.text or "").strip())
    if code is None:
        return None, [say(NOT_LINKED, locale)]
    failures = [datetime.fromisoformat(m) for m in conversation.data.get(FAILURES, [])]
    if throttle.blocked(failures, now):
        return None, [say(TOO_MANY, locale)]
    try:
        account = await redeem_invite(
            uow, code=code, platform=incoming.key.platform, account_id=incoming.key.user, now=now
        )
    except InviteRefused as refused:
        failures = [*throttle.recent(failures, now), now]
        conversation.data[FAILURES] = [moment.isoformat() for moment in failures]
        return None, [say(REFUSALS[refused.reason], locale)]
    conversation.data.pop(FAILURES, None)
    return account, []


async def remember_platform_language(uow: UnitOfWork, actor: Actor, incoming: Incoming) -> Actor:
    """A staff member's platform locale, kept for what the daily jobs write to them. A locale
    we do not speak forgets the old one; an event without a locale (it could not be asked)
    changes nothing."""
    member = actor.staff
    if member is None or not incoming.locale:
        return actor
    hint = locale_hint(incoming)
    language = None if hint is None else Language(hint)
    if language == member.platform_language:
        return actor
    member = dataclasses.replace(member, platform_language=language)
    await uow.staff.save(member)
    return dataclasses.replace(actor, staff=member)
