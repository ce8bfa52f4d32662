"""What the service sent on its own to the person at the console, shown in the chat.

Without a channel configured (the demo, a console on a test database) the messages the service
queues itself (case cards, reminders, notices to approve, prompts to guardians) wait in the
outbox where nobody sees them. The console shows the ones addressed to its person: a staff
member's Slack user id, a guardian's chats, the console account itself.

It only reads the outbox. Sending and its state machine stay the dispatcher's, so a channel
configured later still delivers every message. What was shown is remembered in memory: the
console is one process, and showing a message again after a restart does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dialogs.events import Button, Reply
from dialogs.i18n import _, use_locale
from dialogs.notices import STAFF_PLATFORM
from routine.model import ChatAccount
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import UnitOfWork, UnitOfWorkFactory

# What `/inbox` shows again, and the most shown at once after a reply: a coordinator with
# weeks of history behind them is not buried under every card at the start.
RECENT = 10

Address = tuple[str, str]


@dataclass
class Inbox:
    uow_factory: UnitOfWorkFactory
    account: ChatAccount
    # Per message on screen (a slot, or a message's id), the id of the version shown.
    shown: dict[tuple[str, ...], int] = field(default_factory=dict)

    async def new(self) -> list[Reply]:
        """The messages not shown yet, or updated since they were shown, oldest first."""
        latest, language = await self._latest()
        unseen = [(m, place) for place, m in latest.items() if self.shown.get(place) != m.id]
        unseen = sorted(unseen, key=lambda pair: pair[0].id or 0)[-RECENT:]
        replies = []
        for message, place in unseen:
            updated = place in self.shown
            self.shown[place] = message.id or 0
            replies.append(as_reply(message, language, updated=updated))
        return replies

    async def recent(self) -> list[Reply]:
        """The last messages, as they read now; /inbox. None is marked as updated."""
        latest, language = await self._latest()
        messages = sorted(latest.items(), key=lambda pair: pair[1].id or 0)[-RECENT:]
        for place, message in messages:
            self.shown[place] = message.id or 0
        if not messages:
            with use_locale(language):
                return [Reply(_("No messages from narvaro yet."))]
        return [as_reply(m, language, updated=False) for _place, m in messages]

    async def _latest(self) -> tuple[dict[tuple[str, ...], OutboxMessage], str]:
        """The newest version of each message to this person, and the language they read."""
        async with self.uow_factory() as uow:
            addresses, language = await addresses_of(uow, self.account)
            messages = await uow.outbox.list(school_key=self.account.school_key)
        latest: dict[tuple[str, ...], OutboxMessage] = {}
        for message in messages:
            if (message.platform, message.recipient) not in addresses:
                continue
            if message.status is DeliveryStatus.SUPERSEDED:
                continue
            place = placed(message)
            # `list` is in the order written: a later version replaces an earlier one.
            latest[place] = message
        return latest, language


def placed(message: OutboxMessage) -> tuple[str, ...]:
    """Where a message is on screen: its slot (whose versions edit one message), or itself."""
    if message.slot:
        return (message.platform, message.recipient, message.slot)
    return ("id", str(message.id))


async def addresses_of(uow: UnitOfWork, account: ChatAccount) -> tuple[set[Address], str]:
    """Where the service writes to the account's person, and the language they read."""
    addresses = {(account.platform, account.account_id)}
    school = await uow.schools.get(account.school_key)
    language = school.language.value if school is not None else "en"
    if account.person_kind == "staff":
        member = await uow.staff.get(account.school_key, account.person_id)
        if member is not None and school is not None:
            language = member.speaks(school).value
            if member.slack_user_id:
                addresses.add((STAFF_PLATFORM, member.slack_user_id))
        return addresses, language
    guardian = await uow.guardians.get(account.school_key, account.person_id)
    if guardian is not None:
        language = guardian.speaks.value
    for chat in await uow.accounts.list_for_person(
        account.school_key, account.person_kind, account.person_id
    ):
        addresses.add((chat.platform, chat.account_id))
    return addresses, language


def as_reply(message: OutboxMessage, language: str, *, updated: bool) -> Reply:
    with use_locale(language):
        heading = _("✉ Updated message from narvaro:") if updated else _("✉ Message from narvaro:")
    buttons = tuple(Button(b.id, b.label) for b in message.buttons)
    return Reply(f"{heading}\n{message.text}", buttons)
