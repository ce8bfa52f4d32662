"""One chat event's reads in one round trip: the conversation, and the chat account writing in
it with the account's school, guardian and the guardian's children.

The rows are read with a Core statement built once, sent by `storage.direct` (no ORM objects,
nor SQLAlchemy's execution of it, on PostgreSQL), and kept, as domain objects, in the unit of
work's session (`session.info`), so the lookups that follow in the same unit of work
(`accounts.get`, `schools.get`, `guardians.get`, `pupils.get`) are answered from memory,
without SQL. What is kept is forgotten as soon as anything is written through the session (any
INSERT, UPDATE or DELETE it executes, and the repositories' saves of those four), so a lookup
never answers with a copy older than the unit of work's own writes. A staff member is not
joined in here: their roles and classes are two collections more, and their events are not
the morning's rush.
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from sqlalchemy import (
    JSON,
    Select,
    Table,
    Text,
    and_,
    bindparam,
    cast,
    event,
    literal,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from routine.model import ChatAccount, Conversation, School
from storage import direct, mapping
from storage.orm import (
    ChatAccountRow,
    ConversationRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    SchoolRow,
)

KNOWN = "narvaro.known"

CONVERSATIONS: Table = ConversationRow.__table__
ACCOUNTS: Table = ChatAccountRow.__table__
SCHOOLS: Table = SchoolRow.__table__
# The school's columns as read: its JSON as the text stored, so that the row is its own key.
SCHOOL_COLUMNS = [
    (cast(column, Text) if isinstance(column.type, JSON) else column).label(
        f"school__{column.key}"
    )
    for column in SCHOOLS.columns
]
SCHOOL_JSON = frozenset(column.key for column in SCHOOLS.columns if isinstance(column.type, JSON))
GUARDIANS: Table = GuardianRow.__table__
LINKS: Table = GuardianPupilRow.__table__
PUPILS: Table = PupilRow.__table__


def _query() -> Select[Any]:
    """Built once: the statement's cache key is then found without rebuilding it."""
    one_row = select(literal(1).label("one")).subquery()
    account = and_(
        ACCOUNTS.c.platform == bindparam("platform"),
        ACCOUNTS.c.account_id == bindparam("account_id"),
    )
    guardian = and_(
        ACCOUNTS.c.person_kind == "guardian",
        GUARDIANS.c.school_key == ACCOUNTS.c.school_key,
        GUARDIANS.c.guardian_id == ACCOUNTS.c.person_id,
    )
    links = and_(
        LINKS.c.school_key == GUARDIANS.c.school_key,
        LINKS.c.guardian_id == GUARDIANS.c.guardian_id,
    )
    pupil = and_(PUPILS.c.school_key == LINKS.c.school_key, PUPILS.c.pupil_id == LINKS.c.pupil_id)
    return (
        select(CONVERSATIONS, ACCOUNTS, *SCHOOL_COLUMNS, GUARDIANS, LINKS.c.pupil_id, PUPILS)
        .select_from(one_row)
        .outerjoin(CONVERSATIONS, CONVERSATIONS.c.key == bindparam("key"))
        .outerjoin(ACCOUNTS, account)
        .outerjoin(SCHOOLS, SCHOOLS.c.key == ACCOUNTS.c.school_key)
        .outerjoin(GUARDIANS, guardian)
        .outerjoin(LINKS, links)
        .outerjoin(PUPILS, pupil)
        .order_by(LINKS.c.pupil_id)
    )


QUERY = _query()
DIRECT = direct.Direct(QUERY)
# Where each column is in a row of QUERY: rows are positional.
_AT = {column: index for index, column in enumerate(QUERY.selected_columns)}


def _places(table: Table) -> list[tuple[str, int]]:
    return [(column.key, _AT[column]) for column in table.columns]


_CONVERSATION, _ACCOUNT = _places(CONVERSATIONS), _places(ACCOUNTS)
_GUARDIAN, _PUPIL = _places(GUARDIANS), _places(PUPILS)
_SCHOOL = slice(_AT[SCHOOL_COLUMNS[0]], _AT[SCHOOL_COLUMNS[-1]] + 1)
_PUPIL_LINKED = _AT[LINKS.c.pupil_id]


async def open_chat(
    session: AsyncSession, key: str, platform: str, account_id: str
) -> tuple[Conversation | None, ChatAccount | None]:
    parameters = {"key": key, "platform": platform, "account_id": account_id}
    rows = (await direct.run(session, DIRECT, parameters)).rows
    first = rows[0]
    conversation = None
    if first[_AT[CONVERSATIONS.c.key]] is not None:
        # Its data is the row's own, fresh from JSON: nobody else holds it to change.
        conversation = Conversation(**_fields(_CONVERSATION, first, without=("updated_at",)))
    if first[_AT[ACCOUNTS.c.platform]] is None:
        return conversation, None
    account = mapping.account_from_row(SimpleNamespace(**_fields(_ACCOUNT, first)))
    known: dict[tuple[str, object], object] = {("account", (platform, account_id)): account}
    if first[_SCHOOL.start] is not None:
        known["school", account.school_key] = _school(tuple(first[_SCHOOL]))
    if first[_AT[GUARDIANS.c.guardian_id]] is not None:
        guardian = SimpleNamespace(**_fields(_GUARDIAN, first))
        linked = [row for row in rows if row[_PUPIL_LINKED] is not None]
        guardian.links = [SimpleNamespace(pupil_id=row[_PUPIL_LINKED]) for row in linked]
        known["guardian", (account.school_key, guardian.guardian_id)] = mapping.guardian_from_row(
            guardian
        )
        for row in linked:
            pupil = mapping.pupil_from_row(SimpleNamespace(**_fields(_PUPIL, row)))
            known["pupil", (pupil.school_key, pupil.pupil_id)] = pupil
    session.info[KNOWN] = known
    return conversation, account


def _fields(
    places: list[tuple[str, int]], row: Any, without: tuple[str, ...] = ()
) -> dict[str, Any]:
    """A table's columns of a joined row, by their names (what the mapping functions read)."""
    return {name: row[index] for name, index in places if name not in without}


# Schools as mapped, by their rows' values: a school read the same, column for column, is the
# same (immutable) `School`, so most events skip its mapping; a school changed in any column
# reads as another key. A memo of the mapping, not of the database: every event reads the row.
_SCHOOLS_SEEN: dict[tuple[Any, ...], School] = {}
SCHOOLS_REMEMBERED = 256


def _school(values: tuple[Any, ...]) -> School:
    school = _SCHOOLS_SEEN.get(values)
    if school is None:
        fields = {column.key: value for column, value in zip(SCHOOLS.columns, values, strict=True)}
        for key in SCHOOL_JSON:
            if fields[key] is not None:
                fields[key] = json.loads(fields[key])
        school = mapping.school_from_row(SimpleNamespace(**fields))
        if len(_SCHOOLS_SEEN) >= SCHOOLS_REMEMBERED:
            _SCHOOLS_SEEN.clear()
        _SCHOOLS_SEEN[values] = school
    return school


def known(session: AsyncSession, kind: str, key: object) -> Any:
    """What `open_chat` read of this kind and key in this unit of work, or None."""
    found = session.info.get(KNOWN)
    return None if found is None else found.get((kind, key))


def forget(session: AsyncSession) -> None:
    session.info.pop(KNOWN, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state: ORMExecuteState) -> None:
    # Bulk writes, privacy erasures, the conversation's own save: whatever writes, forgets.
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.pop(KNOWN, None)
