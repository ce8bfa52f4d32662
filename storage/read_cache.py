"""What a unit of work has read and will read again: a school's staff, codes and pupils, the
day's marks, reports, roll calls and prompts.

A daily job calls several functions, and each reads what it needs: the unreported-absence job
read the school's staff three times (three statements each), the day's marks three times, the
codes and roll calls twice. A read here is kept in the session and answered from memory the
next time, until anything could have changed it:

- a write to one of its tables, as a statement (`insert`, `update`, `delete`) or a flush of
  rows of that table;
- a statement whose tables cannot be told (raw SQL): everything is forgotten;
- the end of the transaction (commit or rollback): everything is forgotten, so a later
  transaction never sees a list older than its own snapshot.

Within one transaction a second read therefore gives what the first gave, together with the
unit of work's own writes; nothing is kept between units of work or between processes.

The session's own identity map is the other memory a read can be answered from: a row the
session still holds (a caller's reference, a relationship) is returned as it was read, by a
`get` and by a query alike. A compare-and-set (`update … where status = 'open'`) that changed
no row means that someone else changed it since: then every row of that table the session
holds is expired, so the next read of it goes to the database and the loser of a claim hears
who won, not what it read before (contact requests, invite codes, leave decisions, roll
calls: one rule for every claim of an ORM row; the claims on cases, tasks and notices are on
Core tables, which the identity map never holds, and re-read their row). A claim that changed
its row, or on a table the session holds no row of, costs nothing more.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Result, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

T = TypeVar("T")

CACHE = "narvaro.read_cache"
# What is kept, and the tables whose writes make it stale.
KINDS: dict[str, frozenset[str]] = {
    "staff": frozenset({"staff", "staff_roles", "staff_classes"}),
    "codes": frozenset({"absence_codes"}),
    "marks": frozenset({"attendance_marks"}),
    "reports": frozenset({"absence_reports"}),
    "roll_calls": frozenset({"roll_calls"}),
    "prompts": frozenset({"absence_prompts"}),
    # A school's pupils by id, those read so far: what a roster import or a move changes.
    "pupils": frozenset({"pupils"}),
}


def cached(session: AsyncSession, kind: str, key: object) -> Any | None:
    found = session.info.get(CACHE)
    if not found:
        return None
    if session.new or session.deleted or session.dirty:
        # Changes waiting to be flushed: the query (which flushes them first) answers.
        forget(session)
        return None
    return found.get((kind, key))


def keep(session: AsyncSession, kind: str, key: object, value: object) -> None:
    assert kind in KINDS, kind
    session.info.setdefault(CACHE, {})[kind, key] = value


async def read_once(
    session: AsyncSession, kind: str, key: object, read: Callable[[], Awaitable[Sequence[T]]]
) -> list[T]:
    """What `read` gives, read once per unit of work while nothing changes it (see above); a
    copy each time, so a caller may sort it."""
    if (known := cached(session, kind, key)) is not None:
        return list(known)
    value = await read()
    keep(session, kind, key, value)
    return list(value)


def forget(session: AsyncSession | Session, tables: frozenset[str] | None = None) -> None:
    """Forget what was read of these tables (of every table if None)."""
    found = session.info.get(CACHE)
    if not found:
        return
    if tables is None:
        session.info.pop(CACHE, None)
        return
    stale = {kind for kind, kept in KINDS.items() if kept & tables}
    for entry in [entry for entry in found if entry[0] in stale]:
        del found[entry]


def _table_of(statement: Any) -> str | None:
    table = getattr(statement, "table", None)
    return getattr(table, "name", None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_write(state: ORMExecuteState) -> Result[Any] | None:
    if state.session.info.get(CACHE):
        if isinstance(state.statement, TextClause):
            forget(state.session)
        elif state.is_insert or state.is_update or state.is_delete:
            table = _table_of(state.statement)
            forget(state.session, None if table is None else frozenset({table}))
    if not (state.is_update or state.is_delete):
        return None
    table = _table_of(state.statement)
    held = _held_rows(state.session, table)
    if not held:
        return None
    # The session holds rows of this table (it flushed its own changes first): run the
    # statement now, and if it changed nothing, forget what those rows said.
    result = state.invoke_statement()
    if getattr(result, "rowcount", None) == 0:
        for row in held:
            state.session.expire(row)
    return result


def _held_rows(session: Session, table: str | None) -> list[object]:
    if table is None:
        return []
    return [
        row
        for state in session.identity_map.all_states()
        if getattr(state.mapper.local_table, "name", None) == table
        and not state.modified  # changes not flushed (under no_autoflush) stay
        and (row := state.obj()) is not None
    ]


@event.listens_for(Session, "before_flush")
def _forget_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    if not session.info.get(CACHE):
        return
    changed = (*session.new, *session.dirty, *session.deleted)
    tables = {getattr(getattr(type(row), "__table__", None), "name", None) for row in changed}
    if None in tables:
        forget(session)
    elif tables:
        forget(session, frozenset(name for name in tables if name is not None))


@event.listens_for(Session, "after_transaction_end")
def _forget_at_end(session: Session, _transaction: Any) -> None:
    forget(session)
