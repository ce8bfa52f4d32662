"""SQLAlchemy's aiosqlite adapter, with one trip to aiosqlite's thread per statement.

aiosqlite runs every call on the `sqlite3` connection in a thread of its own, and the event
loop waits for each call's answer. SQLAlchemy's adapter makes up to four such trips for one
statement (open a cursor, execute, fetch the rows, close the cursor), one for each commit and
one more for the rollback with which the pool takes a connection back, even when the unit of
work has already committed. On a busy machine every trip is a hand-over of the interpreter
lock between two threads; they were most of a chat event's time.

Here a statement is one trip: the thread opens a cursor, executes, fetches every row (as the
adapter did anyway: it keeps no server-side cursor open), closes it and reports the cursor's
description, row count and last row id, and whether the connection is now in a transaction.
A commit or rollback when the connection is in no transaction is left out: `sqlite3` does
nothing then either, and only statements (all of which go through here, and are counted after
each) begin one. After a failed statement, or a change of isolation level, which may commit,
the connection is taken to be in one, so the next commit or rollback goes to the thread.

Server-side cursors (`stream()`) keep SQLAlchemy's own adapter.
"""

from __future__ import annotations

import collections
import sqlite3
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_


def _run(
    connection: sqlite3.Connection, operation: str, parameters: Any, many: bool
) -> tuple[Any, list[Any], int, int | None, bool]:
    """On aiosqlite's thread: the whole statement, and what the adapter will be asked."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid, connection.in_transaction
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement, rows and closing are one trip to the thread."""

    __slots__ = ("_description", "_lastrowid", "_rowcount", "arraysize")

    def __init__(self, adapt_connection: OneTripConnection) -> None:
        # No aiosqlite cursor is opened here: `_run` opens and closes one on the thread.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description = None
        self._rowcount = -1
        self._lastrowid = None
        self.arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    async def _async_soft_close(self) -> None:
        # The thread's cursor is closed already; the rows are kept here.
        return None

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._execute_async(operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        try:
            return await_(self._run_async(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._run_async(operation, parameters, many=False)

    async def _run_async(self, operation: Any, parameters: Any, *, many: bool) -> None:
        adapt = self._adapt_connection
        async with adapt._execute_mutex:
            try:
                outcome = await self._connection._execute(
                    _run, self._connection._conn, operation, parameters, many
                )
            except BaseException:
                # The statement may have begun a transaction before it failed.
                adapt._in_transaction = True
                raise
        description, rows, self._rowcount, self._lastrowid, adapt._in_transaction = outcome
        self._description = description
        self._rows = collections.deque(rows)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_in_transaction",)

    _cursor_cls = OneTripCursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection) -> None:
        super().__init__(dbapi, connection)
        # Not known yet: the first commit or rollback asks the thread.
        self._in_transaction = True

    @property
    def isolation_level(self) -> Any:
        return AsyncAdapt_aiosqlite_connection.isolation_level.fget(self)

    @isolation_level.setter
    def isolation_level(self, value: Any) -> None:
        # `sqlite3` may commit on the change; until the next statement, not known.
        self._in_transaction = True
        AsyncAdapt_aiosqlite_connection.isolation_level.fset(self, value)

    def commit(self) -> None:
        if self._in_transaction:
            super().commit()
            self._in_transaction = False

    def rollback(self) -> None:
        if self._in_transaction:
            super().rollback()
            self._in_transaction = False


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module for `create_async_engine(..., module=...)`."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        stock = super().connect(*arg, **kw)
        return OneTripConnection(self, stock._connection)


def one_trip_dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
