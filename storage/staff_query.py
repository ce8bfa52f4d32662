"""A school's staff with their roles and classes in one statement, read as plain rows.

The ORM's `selectin` loading of `StaffRow.roles` and `StaffRow.classes` costs three statements
and an object per role and class; every daily job reads the staff of its school, so this is
part of each school's fixed cost. Here the roles and classes come as one list (a `UNION ALL`)
joined to the staff: one row per role or class, one for a member with neither.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import StaffMember
from storage import mapping
from storage.orm import StaffClassRow, StaffRoleRow, StaffRow

STAFF = StaffRow.__table__
ROLES = StaffRoleRow.__table__
CLASSES = StaffClassRow.__table__


def _query() -> Any:
    school = bindparam("school_key")
    parts = union_all(
        select(
            ROLES.c.staff_id,
            literal("role").label("kind"),
            ROLES.c.role.label("value"),
            literal(0).label("position"),
        ).where(ROLES.c.school_key == school),
        select(
            CLASSES.c.staff_id,
            literal("class").label("kind"),
            CLASSES.c.class_name.label("value"),
            CLASSES.c.position,
        ).where(CLASSES.c.school_key == school),
    ).subquery("parts")
    return (
        select(STAFF, parts.c.kind, parts.c.value, parts.c.position)
        .select_from(STAFF)
        .outerjoin(parts, parts.c.staff_id == STAFF.c.staff_id)
        .where(STAFF.c.school_key == school)
    )


QUERY = _query()


async def staff_of_school(session: AsyncSession, school_key: str) -> list[StaffMember]:
    """The school's staff, by staff id (code point order, like the other lists)."""
    rows = (await session.execute(QUERY, {"school_key": school_key})).all()
    people: dict[str, Any] = {}
    roles: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        found = row._mapping
        staff_id = found[STAFF.c.staff_id]
        if staff_id not in people:
            people[staff_id] = SimpleNamespace(**{c.key: found[c] for c in STAFF.columns})
        if found["kind"] == "role":
            roles[staff_id].add(found["value"])
        elif found["kind"] == "class":
            classes[staff_id].append((found["position"], found["value"]))
    members = []
    for staff_id in sorted(people):
        person = people[staff_id]
        person.roles = [SimpleNamespace(role=role) for role in sorted(roles[staff_id])]
        person.classes = [
            SimpleNamespace(class_name=name) for _position, name in sorted(classes[staff_id])
        ]
        members.append(mapping.staff_from_row(person))
    return members
