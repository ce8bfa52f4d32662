"""One chat event's reads in one round trip: the conversation, and the chat account writing in
it with the account's school, guardian and the guardian's children.

The rows are read with Core (no ORM objects to build) and kept, as domain objects, in the unit
of work's session (`session.info`), so the lookups that follow in the same unit of work
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
from storage import mapping
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


async def open_chat(
    session: AsyncSession, key: str, platform: str, account_id: str
) -> tuple[Conversation | None, ChatAccount | None]:
    parameters = {"key": key, "platform": platform, "account_id": account_id}
    rows = [row._mapping for row in await session.execute(QUERY, parameters)]
    first = rows[0]
    conversation = None
    if first[CONVERSATIONS.c.key] is not None:
        conversation = mapping.conversation_from_row(_row(CONVERSATIONS, first))
    if first[ACCOUNTS.c.platform] is None:
        return conversation, None
    account = mapping.account_from_row(_row(ACCOUNTS, first))
    known: dict[tuple[str, object], object] = {("account", (platform, account_id)): account}
    if first[SCHOOL_COLUMNS[0]] is not None:
        known["school", account.school_key] = _school(first)
    if first[GUARDIANS.c.guardian_id] is not None:
        guardian = _row(GUARDIANS, first)
        linked = [row for row in rows if row[LINKS.c.pupil_id] is not None]
        guardian.links = [SimpleNamespace(pupil_id=row[LINKS.c.pupil_id]) for row in linked]
        known["guardian", (account.school_key, guardian.guardian_id)] = mapping.guardian_from_row(
            guardian
        )
        for row in linked:
            pupil = mapping.pupil_from_row(_row(PUPILS, row))
            known["pupil", (pupil.school_key, pupil.pupil_id)] = pupil
    session.info[KNOWN] = known
    return conversation, account


# Schools as mapped, by their rows' values: a school read the same, column for column, is the
# same (immutable) `School`, so most events skip its mapping; a school changed in any column
# reads as another key. A memo of the mapping, not of the database: every event reads the row.
_SCHOOLS_SEEN: dict[tuple[Any, ...], School] = {}
SCHOOLS_REMEMBERED = 256


def _school(row: Any) -> School:
    values = tuple(row[column] for column in SCHOOL_COLUMNS)
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


def _row(table: Table, row: Any) -> Any:
    """What the mapping functions read (attributes named as the columns) from a joined row."""
    return SimpleNamespace(**{column.key: row[column] for column in table.columns})


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
