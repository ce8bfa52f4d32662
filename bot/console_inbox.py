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
from dialogs.notices import STAFF_PLATFORM, staff_language
from routine.model import ChatAccount
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWork, UnitOfWorkFactory

# What `/inbox` shows again, and the most shown at once after a reply: a coordinator with
# weeks of history behind them is not buried under every card at the start.
RECENT = 10
# How many of the newest rows are read to find them: versions of one slot count separately.
READ = 20 * RECENT

Address = tuple[str, str]


@dataclass
class Inbox:
    uow_factory: UnitOfWorkFactory
    account: ChatAccount
    # Per message on screen (a slot, or a message's id), the id of the version shown.
    shown: dict[tuple[str, ...], int] = field(default_factory=dict)

    async def new(self) -> list[Reply]:
        """The messages not shown yet, or updated since they were shown, oldest first."""
        latest, said = await self._latest()
        unseen = [(m, place) for place, m in latest.items() if self.shown.get(place) != m.id]
        unseen.sort(key=lambda pair: pair[0].id or 0)
        replies = [as_reply(m, said, updated=place in self.shown) for m, place in unseen]
        # All are seen now; the older ones past the bound stay unshown, not trickle in later.
        self.shown.update({place: m.id or 0 for m, place in unseen})
        return replies[-RECENT:]

    async def recent(self) -> list[Reply]:
        """The last messages, as they read now; /inbox. None is marked as updated."""
        latest, said = await self._latest()
        messages = sorted(latest.items(), key=lambda pair: pair[1].id or 0)[-RECENT:]
        for place, message in messages:
            self.shown[place] = message.id or 0
        if not messages:
            return [Reply(said.none)]
        return [as_reply(m, said, updated=False) for _place, m in messages]

    async def _latest(self) -> tuple[dict[tuple[str, ...], OutboxMessage], Words]:
        """The newest version of each message to this person, and the words for the person."""
        async with self.uow_factory() as uow:
            addresses, said = await addresses_of(uow, self.account)
            messages = await uow.outbox.list_to(self.account.school_key, addresses, newest=READ)
        latest: dict[tuple[str, ...], OutboxMessage] = {}
        for message in messages:
            # Oldest first: a later version replaces an earlier one.
            latest[placed(message)] = message
        return latest, said


def placed(message: OutboxMessage) -> tuple[str, ...]:
    """Where a message is on screen: its slot (whose versions edit one message), or itself."""
    if message.slot:
        return (message.platform, message.recipient, message.slot)
    return ("id", str(message.id))


@dataclass(frozen=True)
class Words:
    """The console's own words around the messages, in the language of the person reading."""

    new: str
    updated: str
    none: str


def words() -> Words:
    """In the current locale."""
    return Words(
        _("✉ Message from narvaro:"),
        _("✉ Updated message from narvaro:"),
        _("No messages from narvaro yet."),
    )


async def addresses_of(uow: UnitOfWork, account: ChatAccount) -> tuple[set[Address], Words]:
    """Where the service writes to the account's person, and the words for them."""
    addresses = {(account.platform, account.account_id)}
    school = await uow.schools.get(account.school_key)
    if school is None:
        return addresses, words()
    if account.person_kind == "staff":
        member = await uow.staff.get(account.school_key, account.person_id)
        if member is None:
            return addresses, words()
        if member.slack_user_id:
            addresses.add((STAFF_PLATFORM, member.slack_user_id))
        with use_locale(staff_language(school, member)):
            return addresses, words()
    for chat in await uow.accounts.list_for_person(
        account.school_key, account.person_kind, account.person_id
    ):
        addresses.add((chat.platform, chat.account_id))
    guardian = await uow.guardians.get(account.school_key, account.person_id)
    if guardian is None:
        return addresses, words()
    with use_locale(guardian.speaks.value):
        return addresses, words()


def as_reply(message: OutboxMessage, said: Words, *, updated: bool) -> Reply:
    buttons = tuple(Button(b.id, b.label) for b in message.buttons)
    return Reply(f"{said.updated if updated else said.new}\n{message.text}", buttons)
