"""Taking access away: staff who left, guardians who lost a link, pupils who left the school.

The school file and the roster never delete anyone (a missing line may be a mistake), so an
operator ends access explicitly, and it holds from the next event on: a removed member of staff
is an unknown Slack user, an unlinked chat is a stranger, a guardian no longer linked to a pupil
never sees that pupil again, and a pupil who left is on no roll call, list or prompt.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime

from routine.ports import UnitOfWork


class Ended(enum.StrEnum):
    STAFF = "staff access ended"
    CHATS = "chats unlinked"
    PUPIL_LINK = "link to pupil ended"
    PUPIL_LEFT = "pupil marked as left"


@dataclass(frozen=True)
class Revoked:
    what: Ended
    # Chat accounts unlinked, as "platform:account"; for the operator's record.
    accounts: tuple[str, ...] = ()


class NotFound(LookupError):
    pass


async def end_staff_access(uow: UnitOfWork, *, school_key: str, staff_id: str) -> Revoked:
    """The member of staff and their chats are removed; what they recorded stays, by id."""
    if await uow.staff.get(school_key, staff_id) is None:
        raise NotFound(f"no staff member {staff_id!r} at {school_key}")
    accounts = await _unlink(uow, school_key, "staff", staff_id)
    await uow.staff.delete(school_key, staff_id)
    return Revoked(Ended.STAFF, accounts)


async def unlink_guardian(
    uow: UnitOfWork,
    *,
    school_key: str,
    guardian_id: str,
    pupil_id: str | None,
    now: datetime,
) -> Revoked:
    """With a pupil: the guardian's link to that pupil ends (e.g. after losing custody). Without:
    every chat of the guardian is unlinked and their unused invite codes stop working."""
    guardian = await uow.guardians.get(school_key, guardian_id)
    if guardian is None:
        raise NotFound(f"no guardian {guardian_id!r} at {school_key}")
    if pupil_id is not None:
        if pupil_id not in guardian.pupil_ids:
            raise NotFound(f"guardian {guardian_id!r} is not linked to pupil {pupil_id!r}")
        kept = tuple(p for p in guardian.pupil_ids if p != pupil_id)
        await uow.guardians.save(dataclasses.replace(guardian, pupil_ids=kept))
        return Revoked(Ended.PUPIL_LINK)
    await uow.invites.revoke_unused(school_key, guardian_id, now)
    return Revoked(Ended.CHATS, await _unlink(uow, school_key, "guardian", guardian_id))


async def pupil_left(uow: UnitOfWork, *, school_key: str, pupil_id: str) -> Revoked:
    pupil = await uow.pupils.get(school_key, pupil_id)
    if pupil is None:
        raise NotFound(f"no pupil {pupil_id!r} at {school_key}")
    await uow.pupils.save(dataclasses.replace(pupil, active=False))
    return Revoked(Ended.PUPIL_LEFT)


async def _unlink(uow: UnitOfWork, school_key: str, kind: str, person_id: str) -> tuple[str, ...]:
    accounts = await uow.accounts.list_for_person(school_key, kind, person_id)
    for account in accounts:
        await uow.accounts.delete(account.platform, account.account_id)
    return tuple(f"{a.platform}:{a.account_id}" for a in accounts)
