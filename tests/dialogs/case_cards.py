"""What the case-card tests share: the cards queued for a reader, the case's log, the items of
a stage, and pressing a card's buttons as a member of staff does."""

from __future__ import annotations

from dialogs.events import Reply
from dialogs.i18n import _, format_short_day, use_locale
from routine.cases import CaseEvent
from routine.guides import GUIDES, GuideItem
from routine.model import Language
from routine.outbox import OutboxMessage
from tests.dialogs.transcript import Chat, press
from tests.fakes import FakeUnitOfWorkFactory


def say(locale: str, message: str) -> str:
    with use_locale(locale):
        return _(message)


def short(locale: str, moment) -> str:
    with use_locale(locale):
        return format_short_day(moment)


def cards(world: FakeUnitOfWorkFactory, recipient: str) -> list[OutboxMessage]:
    return sorted(
        (
            m
            for m in world.store.outbox.values()
            if m.kind == "case-card" and m.recipient == recipient
        ),
        key=lambda m: m.id or 0,
    )


def latest(world: FakeUnitOfWorkFactory, recipient: str) -> OutboxMessage:
    return cards(world, recipient)[-1]


def log(world: FakeUnitOfWorkFactory, case_id: int) -> list[CaseEvent]:
    return sorted(
        (e for e in world.store.case_events if e.case_id == case_id),
        key=lambda e: (e.at, e.id or 0),
    )


def first_item(stage: str) -> GuideItem:
    return next(i for i in GUIDES[stage].checklist if not i.principal_only)


def principal_item(stage: str) -> GuideItem:
    return next(i for i in GUIDES[stage].checklist if i.principal_only)


def visible(stage: str, language: Language, *, principal: bool = False) -> list[str]:
    items = [i for i in GUIDES[stage].checklist if principal or not i.principal_only]
    return [f"{n}. ☐ {i.text.in_language(language)}" for n, i in enumerate(items, 1)]


def labels(message: OutboxMessage | Reply) -> list[str]:
    return [b.label for b in message.buttons]


async def move_on(chat: Chat, button_id: str) -> list[Reply]:
    """Press a card's [Next stage] and confirm it: a move is always asked first (Yes, No,
    Cancel)."""
    asked = await press(chat, button_id)
    assert len(asked[-1].buttons) == 3, asked[-1].text
    return await press(chat, asked[-1].buttons[0].id)
