"""Who is talking: the person behind the chat account an event came from.

Guardians are known once their chat is linked with a code (see `linking`); staff are known from
the school file by their Slack user id, and nobody links there with a code.
"""

from __future__ import annotations

import dataclasses

from dialogs.events import Incoming
from dialogs.flow import Actor
from dialogs.i18n import N_
from routine.model import ChatAccount
from routine.ports import UnitOfWork

# Staff are known from the school file by their Slack user id; nobody links there with a code.
STAFF_PLATFORMS = frozenset({"slack"})
UNKNOWN_STAFF = N_(
    "I don't know you yet. Please ask the school's administrator to add your Slack account to "
    "the school file."
)


async def _staff_account(uow: UnitOfWork, slack_user_id: str) -> ChatAccount | None:
    """Staff need no code: the school file names their Slack accounts."""
    staff = await uow.staff.find_by_slack_user(slack_user_id)
    if staff is None:
        return None
    account = ChatAccount("slack", slack_user_id, staff.school_key, "staff", staff.staff_id)
    await uow.accounts.save(account)
    return account


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
