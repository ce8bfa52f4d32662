"""The people an operator's files bring, read and written in bulk: classes, pupils, guardians
with their links, staff with their roles and classes (see `storage.bulk`).

A whole school is read as plain rows, not ORM objects, in one query per table, and written in
batches of INSERT … ON CONFLICT: a roster of 100,000 lines is a few dozen statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import Guardian, Language, Pupil, SchoolClass, StaffMember
from storage import bulk
from storage.orm import (
    ClassRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    StaffClassRow,
    StaffRoleRow,
    StaffRow,
)

LINK_KEY = ("school_key", "guardian_id", "pupil_id")


async def save_classes(session: AsyncSession, classes: Sequence[SchoolClass]) -> None:
    await bulk.before_bulk(session)
    rows = [{"school_key": c.school_key, "name": c.name} for c in classes]
    await bulk.upsert(session, ClassRow.__table__, rows)
    bulk.after_bulk(session)


async def list_pupils(session: AsyncSession, school_key: str) -> list[Pupil]:
    table = PupilRow.__table__
    rows = await session.execute(select(table).where(table.c.school_key == school_key))
    return [Pupil(**row._mapping) for row in rows]


async def save_pupils(session: AsyncSession, pupils: Sequence[Pupil]) -> None:
    await bulk.before_bulk(session)
    await bulk.upsert(session, PupilRow.__table__, [vars(p) for p in pupils])
    bulk.after_bulk(session)


async def list_guardians(session: AsyncSession, school_key: str) -> list[Guardian]:
    """The school's guardians with their linked pupils: two queries."""
    table, links = GuardianRow.__table__, GuardianPupilRow.__table__
    children: dict[str, list[str]] = {}
    for guardian_id, pupil_id in await session.execute(
        select(links.c.guardian_id, links.c.pupil_id).where(links.c.school_key == school_key)
    ):
        children.setdefault(guardian_id, []).append(pupil_id)
    rows = await session.execute(select(table).where(table.c.school_key == school_key))
    return [
        Guardian(
            school_key=row.school_key,
            guardian_id=row.guardian_id,
            name=row.name,
            language=Language(row.language),
            phone=row.phone,
            email=row.email,
            pupil_ids=tuple(sorted(children.get(row.guardian_id, ()))),
            chosen_language=None if row.chosen_language is None else Language(row.chosen_language),
        )
        for row in rows
    ]


async def save_guardians(session: AsyncSession, guardians: Sequence[Guardian]) -> None:
    """Upserts the guardians; of their links, deletes the stale and inserts the new ones (as
    `save` does, so that links that stay are not deleted and inserted again)."""
    await bulk.before_bulk(session)
    await bulk.upsert(session, GuardianRow.__table__, _guardian_rows(guardians))
    links = GuardianPupilRow.__table__
    owners = [(g.school_key, g.guardian_id) for g in guardians]
    stored = {
        (row["school_key"], row["guardian_id"], row["pupil_id"])
        for row in await bulk.select_owned(session, links, owners, "guardian_id")
    }
    wanted = {(g.school_key, g.guardian_id, p) for g in guardians for p in g.pupil_ids}
    stale = [dict(zip(LINK_KEY, key, strict=True)) for key in sorted(stored - wanted)]
    new = [dict(zip(LINK_KEY, key, strict=True)) for key in sorted(wanted - stored)]
    await bulk.delete_keys(session, links, stale)
    await bulk.insert_rows(session, links, new)
    bulk.after_bulk(session)


async def add_guardians(session: AsyncSession, guardians: Sequence[Guardian]) -> None:
    # New guardians have no links yet: nothing to read, only to insert.
    await bulk.before_bulk(session)
    await bulk.insert_rows(session, GuardianRow.__table__, _guardian_rows(guardians))
    links = [
        {"school_key": g.school_key, "guardian_id": g.guardian_id, "pupil_id": pupil_id}
        for g in guardians
        for pupil_id in sorted(set(g.pupil_ids))
    ]
    await bulk.insert_rows(session, GuardianPupilRow.__table__, links)
    bulk.after_bulk(session)


def _guardian_rows(guardians: Sequence[Guardian]) -> list[bulk.Row]:
    return [
        {
            "school_key": g.school_key,
            "guardian_id": g.guardian_id,
            "name": g.name,
            "language": g.language.value,
            "phone": g.phone,
            "email": g.email,
            "chosen_language": None if g.chosen_language is None else g.chosen_language.value,
        }
        for g in guardians
    ]


async def save_staff(session: AsyncSession, staff: Sequence[StaffMember]) -> None:
    """Upserts the staff and replaces their roles and classes."""
    await bulk.before_bulk(session)
    rows = [
        {
            "school_key": s.school_key,
            "staff_id": s.staff_id,
            "name": s.name,
            "language": None if s.language is None else s.language.value,
            "slack_user_id": s.slack_user_id,
            "chosen_language": None if s.chosen_language is None else s.chosen_language.value,
            "platform_language": (
                None if s.platform_language is None else s.platform_language.value
            ),
            "platform_locale_asked": s.platform_locale_asked,
        }
        for s in staff
    ]
    await bulk.upsert(session, StaffRow.__table__, rows)
    owners = [(s.school_key, s.staff_id) for s in staff]
    roles, classes = StaffRoleRow.__table__, StaffClassRow.__table__
    await bulk.delete_owned(session, roles, owners, "staff_id")
    await bulk.delete_owned(session, classes, owners, "staff_id")
    role_rows = [
        {"school_key": s.school_key, "staff_id": s.staff_id, "role": role.value}
        for s in staff
        for role in sorted(s.roles)
    ]
    class_rows = [
        {"school_key": s.school_key, "staff_id": s.staff_id, "class_name": name, "position": i}
        for s in staff
        for i, name in enumerate(dict.fromkeys(s.classes))
    ]
    await bulk.insert_rows(session, roles, role_rows)
    await bulk.insert_rows(session, classes, class_rows)
    bulk.after_bulk(session)
