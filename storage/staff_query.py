"""A school's staff with their roles and classes in one statement, read as plain rows.

The ORM's `selectin` loading of `StaffRow.roles` and `StaffRow.classes` costs three statements
and an object per role and class; every daily job reads the staff of its school, so this is
part of each school's fixed cost. Here the roles and classes come as one list (a `UNION ALL`)
joined to the staff: one row per role or class, one for a member with neither.

A job starts with its school: `school_with_staff` reads the school and its staff together, in
the same one statement (the school's columns on every row), so a job's first two reads are one
round trip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, literal, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from routine.model import School, StaffMember
from storage import mapping
from storage.orm import SchoolRow, StaffClassRow, StaffRoleRow, StaffRow

STAFF = StaffRow.__table__
ROLES = StaffRoleRow.__table__
CLASSES = StaffClassRow.__table__
SCHOOLS = SchoolRow.__table__


def _parts() -> Any:
    school = bindparam("school_key")
    return union_all(
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


def _query() -> Any:
    parts = _parts()
    return (
        select(STAFF, parts.c.kind, parts.c.value, parts.c.position)
        .select_from(STAFF)
        .outerjoin(parts, parts.c.staff_id == STAFF.c.staff_id)
        .where(STAFF.c.school_key == bindparam("school_key"))
    )


def _school_query() -> Any:
    """The school's row joined to `_query`'s rows; one row with the school alone if it has no
    staff. The school's columns are labelled `school_*`, apart from the staff's."""
    parts = _parts()
    return (
        select(
            *[c.label(f"school_{c.key}") for c in SCHOOLS.columns],
            STAFF,
            parts.c.kind,
            parts.c.value,
            parts.c.position,
        )
        .select_from(SCHOOLS)
        .outerjoin(STAFF, STAFF.c.school_key == SCHOOLS.c.key)
        .outerjoin(parts, parts.c.staff_id == STAFF.c.staff_id)
        .where(SCHOOLS.c.key == bindparam("school_key"))
    )


def _schools_query() -> Any:
    """`_school_query` for several schools (an expanding `school_keys`): the parts carry
    their school, to join each school's staff to their own roles and classes."""
    keys = bindparam("school_keys", expanding=True)
    parts = union_all(
        select(
            ROLES.c.school_key,
            ROLES.c.staff_id,
            literal("role").label("kind"),
            ROLES.c.role.label("value"),
            literal(0).label("position"),
        ).where(ROLES.c.school_key.in_(keys)),
        select(
            CLASSES.c.school_key,
            CLASSES.c.staff_id,
            literal("class").label("kind"),
            CLASSES.c.class_name.label("value"),
            CLASSES.c.position,
        ).where(CLASSES.c.school_key.in_(keys)),
    ).subquery("parts")
    # The school's columns come raw (untyped) and are converted once per school, not on each
    # of its staff's rows: its JSON and times cost more to convert than the rest of the row.
    return (
        select(
            *[type_coerce(c, NullType()).label(f"the_school_{c.key}") for c in SCHOOLS.columns],
            STAFF,
            parts.c.kind,
            parts.c.value,
            parts.c.position,
        )
        .select_from(SCHOOLS)
        .outerjoin(STAFF, STAFF.c.school_key == SCHOOLS.c.key)
        .outerjoin(
            parts,
            (parts.c.school_key == STAFF.c.school_key) & (parts.c.staff_id == STAFF.c.staff_id),
        )
        .where(SCHOOLS.c.key.in_(keys))
    )


QUERY = _query()
SCHOOL_QUERY = _school_query()
SCHOOLS_QUERY = _schools_query()


async def staff_of_school(session: AsyncSession, school_key: str) -> list[StaffMember]:
    """The school's staff, by staff id (code point order, like the other lists)."""
    rows = (await session.execute(QUERY, {"school_key": school_key})).all()
    return _members(rows)


async def school_with_staff(
    session: AsyncSession, school_key: str
) -> tuple[School | None, list[StaffMember]]:
    """The school and its staff (as `staff_of_school`), in one statement; None and no staff
    for a key no school has."""
    rows = (await session.execute(SCHOOL_QUERY, {"school_key": school_key})).all()
    if not rows:
        return None, []
    first = rows[0]._mapping
    school_row = SimpleNamespace(**{c.key: first[f"school_{c.key}"] for c in SCHOOLS.columns})
    staff = [row for row in rows if row._mapping[STAFF.c.staff_id] is not None]
    return mapping.school_from_row(school_row), _members(staff)


async def schools_with_staff(
    session: AsyncSession, school_keys: Sequence[str]
) -> list[tuple[School, list[StaffMember]]]:
    """`school_with_staff` for several schools in one statement, by key; a key no school has
    is left out."""
    rows = (await session.execute(SCHOOLS_QUERY, {"school_keys": list(school_keys)})).all()
    by_school: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        by_school[row._mapping["the_school_key"]].append(row)
    dialect = session.get_bind().dialect
    convert = {
        c.key: c.type.dialect_impl(dialect).result_processor(dialect, None)
        for c in SCHOOLS.columns
    }
    found = []
    for key in sorted(by_school):
        first = by_school[key][0]._mapping
        raw = {c.key: first[f"the_school_{c.key}"] for c in SCHOOLS.columns}
        school_row = SimpleNamespace(
            **{k: value if (f := convert[k]) is None else f(value) for k, value in raw.items()}
        )
        staff = [row for row in by_school[key] if row._mapping[STAFF.c.staff_id] is not None]
        found.append((mapping.school_from_row(school_row), _members(staff)))
    return found


def _members(rows: Any) -> list[StaffMember]:
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
