"""What some contract modules add to the shared store (conftest.py) before their tests: the
schools' classes, and the guardians' Telegram chats; and the morning they take place on."""

from __future__ import annotations

from datetime import UTC, date, datetime

from routine.model import ChatAccount, SchoolClass
from routine.ports import UnitOfWork
from tests.storage.support import EKBACKA, FJELL

# The day's contracts (leave, morning, school day, staff day) run on one Monday morning.
NOW = datetime(2025, 11, 10, 7, 15, tzinfo=UTC)
DAY = date(2025, 11, 10)
CLASSES = ((EKBACKA.key, "7A"), (EKBACKA.key, "7B"), (FJELL.key, "8A"))
# g1 at Fjell is another person than g1 at Ekbackaskolan: the same id at two schools.
GUARDIAN_CHATS = (
    ChatAccount("telegram", "100", EKBACKA.key, "guardian", "g1"),
    ChatAccount("telegram", "200", EKBACKA.key, "guardian", "g2"),
    ChatAccount("telegram", "300", FJELL.key, "guardian", "g1"),
)


async def save_classes(u: UnitOfWork) -> None:
    for school_key, class_name in CLASSES:
        await u.classes.save(SchoolClass(school_key, class_name))


async def save_guardian_chats(u: UnitOfWork) -> None:
    for account in GUARDIAN_CHATS:
        await u.accounts.save(account)
