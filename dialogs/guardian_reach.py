"""Which of a pupil's guardians a chat reaches, and which must get a letter or a call.

One place for every message that goes to a pupil's guardians as a group (the Danish notices,
a plan to confirm, a "nothing new" update): their reachable Telegram chats, read in two
queries, and the guardians no chat reaches, named to staff.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dialogs.notices import GUARDIAN_PLATFORM
from routine.model import ChatAccount, Guardian, Pupil, School
from routine.ports import UnitOfWork


@dataclass(frozen=True)
class Reach:
    """The pupil's guardians: those a chat reaches (with their chats), and the others."""

    reached: Mapping[str, tuple[Guardian, tuple[ChatAccount, ...]]] = field(default_factory=dict)
    unreached: tuple[Guardian, ...] = ()


def reach_of(
    pupil_id: str, guardians: Iterable[Guardian], accounts: Iterable[ChatAccount]
) -> Reach:
    chats: dict[str, list[ChatAccount]] = {}
    for account in accounts:
        if account.platform == GUARDIAN_PLATFORM and account.reachable:
            chats.setdefault(account.person_id, []).append(account)
    reached: dict[str, tuple[Guardian, tuple[ChatAccount, ...]]] = {}
    unreached = []
    for guardian in sorted(guardians, key=lambda g: (g.name, g.guardian_id)):
        if pupil_id not in guardian.pupil_ids:
            continue
        if guardian.guardian_id in chats:
            reached[guardian.guardian_id] = (guardian, tuple(chats[guardian.guardian_id]))
        else:
            unreached.append(guardian)
    return Reach(reached, tuple(unreached))


async def load_reach(uow: UnitOfWork, school: School, pupil: Pupil) -> Reach:
    """The pupil's guardians and their chats, in two queries."""
    guardians = await uow.school_day.guardians_of(school.key, [pupil.pupil_id])
    accounts = await uow.school_day.chat_accounts(
        school.key, "guardian", [g.guardian_id for g in guardians]
    )
    return reach_of(pupil.pupil_id, guardians, accounts)
