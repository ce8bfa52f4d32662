"""The statements of a chat event, sent by narvaro's asyncpg adapter straight from async code:
the conversation's joined read (`storage.chat`) and its save (`storage.conversations`); and at
"Send report" the report's insert (`storage.attendance`), the class's roll call and the pupil's
follow-up (`storage.staff_day`).

Through SQLAlchemy, one execution of a compiled Core statement cost about 0.1 ms of CPU on top
of asyncpg's own 0.06 ms (measured on a held session: the session's execute, the connection's
execution context and parameters, the result's metadata and rows, two greenlet switches); a
plain step's two statements were about a seventh of its CPU time, and an ORM statement (a
flush, a query of rows) costs more. Here each statement is compiled once per dialect, with its
parameters' order, fixed values and bind processors and its columns' result processors; a run
hands the values to the adapter (`FewTripsConnection.run`), which does what its cursor does
(BEGIN or not, the prepared statement, asyncpg's fetch) on the session's own connection and
transaction. As through SQLAlchemy:

- the session's pending changes are flushed first (its autoflush);
- the engine's `before_cursor_execute` and `after_cursor_execute` listeners are called with
  the statement and its parameters (the statement counts of tests and benchmarks see it);
- an error is raised as SQLAlchemy raises it (a `DBAPIError`, parameters hidden), and a lost
  connection is invalidated, by SQLAlchemy's own handler.

Not so, on every backend: the session's `do_orm_execute` listeners, which forget what the unit
of work read (`storage.chat`, `storage.read_cache`). A write run here forgets what it makes
stale itself (`storage.conversations`, `storage.attendance`). Anything but narvaro's asyncpg
adapter (SQLite, SQLAlchemy's stock adapter of the benchmark's floor, an invalidated
connection) takes SQLAlchemy's ordinary execution on the session's connection, with the same
result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.util import greenlet_spawn

from storage.asyncpg_driver import FewTripsConnection

Processor = Callable[[Any], Any]


class Ran(NamedTuple):
    """A statement's rows (positional, in the order of its columns) and row count."""

    rows: Sequence[Sequence[Any]]
    rowcount: int


class _Compiled:
    """A statement as one dialect sends it, and what turns values into parameters and back."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled: Compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        positions = getattr(compiled, "positiontup", None)
        if positions is None:
            raise ValueError(f"{dialect.name} does not take positional parameters")
        self.parameters: list[tuple[str, bool, Any, Processor | None]] = []
        for name in positions:
            bind = compiled.binds[name]
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            self.parameters.append((bind.key, bind.required, bind.effective_value, processor))
        self._dialect = dialect
        # A SELECT's columns, or what an INSERT, UPDATE or DELETE returns.
        self._columns = list(statement.exported_columns)
        self._results: list[tuple[int, Processor]] | None = None

    def arguments(self, values: Mapping[str, Any]) -> list[Any]:
        arguments = []
        for key, required, fixed, processor in self.parameters:
            value = values[key] if required else fixed
            arguments.append(value if processor is None else processor(value))
        return arguments

    def rows(self, records: list[Any], attributes: Sequence[Any]) -> Sequence[Sequence[Any]]:
        """`attributes`: asyncpg's columns, whose type codes (as in a cursor's description)
        some result processors depend on; the same on every run of the statement, so read on
        the first only."""
        if self._results is None:
            dialect = self._dialect
            types = [attribute.type.oid for attribute in attributes]
            self._results = [
                (index, processor)
                for index, (column, code) in enumerate(zip(self._columns, types, strict=True))
                if (processor := column.type.dialect_impl(dialect).result_processor(dialect, code))
            ]
        if not self._results:
            return records
        rows = []
        for record in records:
            row = list(record)
            for index, processor in self._results:
                row[index] = processor(row[index])
            rows.append(row)
        return rows


class Direct:
    """A Core statement (built once, at import) that `run` may send without SQLAlchemy."""

    def __init__(self, statement: Any) -> None:
        self.statement: Executable = statement
        self._compiled: dict[type[Dialect], _Compiled] = {}
        self._keys = [column.key for column in statement.exported_columns]

    def named(self, row: Sequence[Any]) -> SimpleNamespace:
        """A row by its columns' names, as the mapping functions read an ORM row."""
        return SimpleNamespace(**dict(zip(self._keys, row, strict=True)))

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(type(dialect))
        if found is None:
            found = self._compiled[type(dialect)] = _Compiled(self.statement, dialect)
        return found


async def run(session: AsyncSession, direct: Direct, values: Mapping[str, Any]) -> Ran:
    if session.new or session.dirty or session.deleted:
        await session.flush()
    sync = await connection_of(session)
    adapter = None if sync.invalidated else sync.connection.dbapi_connection
    if not isinstance(adapter, FewTripsConnection):
        return await greenlet_spawn(_execute, sync, direct.statement, values)
    dialect = sync.dialect
    compiled = direct.compiled(dialect)
    arguments = compiled.arguments(values)
    sync.dispatch.before_cursor_execute(sync, None, compiled.sql, arguments, None, False)
    try:
        schema_asof = getattr(dialect, "_invalidate_schema_cache_asof", 0)
        records, rowcount, attributes = await adapter.run(compiled.sql, arguments, schema_asof)
    except BaseException as error:
        # Wrapped, parameters hidden, a lost connection invalidated: SQLAlchemy's own way.
        await greenlet_spawn(_raise_as_sqlalchemy, sync, error, compiled.sql, arguments)
        raise
    sync.dispatch.after_cursor_execute(sync, None, compiled.sql, arguments, None, False)
    return Ran(compiled.rows(records, attributes), rowcount)


_CONNECTION = "narvaro.direct.connection"


async def connection_of(session: AsyncSession) -> Connection:
    """The session's connection, as `session.connection()` gives it (checked out, and the
    session's transaction begun, on first use). A later statement of the same transaction is
    given the same connection without a trip through a greenlet: it is remembered with the
    session's transaction, and asked for again once that transaction has ended."""
    sync_session = session.sync_session
    held = session.info.get(_CONNECTION)
    if held is not None:
        transaction, connection = held
        if (
            transaction is sync_session.get_transaction()
            and not connection.closed
            and not connection.invalidated
        ):
            return connection
    connection = await greenlet_spawn(sync_session.connection)
    session.info[_CONNECTION] = (sync_session.get_transaction(), connection)
    return connection


def _execute(connection: Connection, statement: Executable, values: Mapping[str, Any]) -> Ran:
    result = connection.execute(statement, values)
    return Ran(result.all() if result.returns_rows else [], result.rowcount)


def _raise_as_sqlalchemy(
    connection: Connection, error: BaseException, sql: str, arguments: list[Any]
) -> NoReturn:
    try:
        raise error
    except BaseException as raised:
        connection._handle_dbapi_exception(raised, sql, arguments, None, None)
