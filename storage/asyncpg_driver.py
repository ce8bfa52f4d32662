"""SQLAlchemy's asyncpg adapter, with fewer round trips to PostgreSQL per unit of work.

Every round trip is a wait on the server. With SQLAlchemy's own adapter and the pool's
pre-ping, a chat event that reads its conversation and saves it made seven: the ping (BEGIN,
`;`, ROLLBACK: the adapter wraps it in a transaction for pgbouncer), BEGIN, the SELECT, the
UPDATE and COMMIT. Here it makes two, the SELECT and the UPDATE:

- **BEGIN waits for the first statement that is not a plain read.** Under READ COMMITTED (the
  server's default, checked on each new connection) every statement takes a snapshot of its
  own, in a transaction or not, so a SELECT sees the same rows before BEGIN as after it. A
  SELECT that locks (`FOR UPDATE`, `FOR SHARE`, ...) or calls a transaction-scoped function
  (`pg_advisory_xact_lock`, `set_config`) begins first, as does anything else (writes,
  `executemany`, streaming). Under another isolation level every statement begins, as before.
- **A statement marked `LONE_WRITE` that finds no transaction open is its own transaction**:
  PostgreSQL commits it when it succeeds, with the same durability as a COMMIT, and the COMMIT
  that follows has nothing to send. Only `SqlAlchemyUnitOfWork.save_and_commit` marks one, for
  a unit of work's last write, right before its commit; with an earlier write in the unit of
  work, a transaction is open and the statement joins it.
- **A commit or rollback with no transaction open sends nothing** (as SQLAlchemy's adapter).
- **A statement may be run straight from async code** (`FewTripsConnection.run`), as the
  cursor runs it but without SQLAlchemy's execution context and greenlet: `storage.direct`
  sends a chat event's two statements so.
- **The pool's ping is free for a connection used in the last `PING_AFTER_IDLE` seconds and
  not known closed.** A server that restarts or ends the connection closes the socket, which
  asyncpg notices without a trip (`is_closed()`); only a connection idle for longer, where a
  firewall may have dropped it silently, gets SQLAlchemy's ping.

The floors of `bench.conversations` keep SQLAlchemy's own adapter (`make_engine(...,
stock_driver=True)`).
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import (
    AsyncAdapt_asyncpg_connection,
    AsyncAdapt_asyncpg_cursor,
    AsyncAdapt_asyncpg_dbapi,
)
from sqlalchemy.util.concurrency import await_

# In a statement's SQL (a comment: the server ignores it): may be its own transaction.
LONE_WRITE = "/* lone write */"
# A connection used this recently and not known closed is taken to be alive.
PING_AFTER_IDLE = 5.0

_PLAIN_READ = re.compile(r"\s*SELECT\b", re.IGNORECASE)
# What makes a SELECT more than a read: row locks, and functions whose effect lasts until the
# end of the transaction.
_NEEDS_TRANSACTION = re.compile(
    r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|_xact_|\bset_config\b",
    re.IGNORECASE,
)
_DEFERRABLE_ISOLATION = (None, "read_committed")
# What SQLAlchemy's cursor reads the row count from (asyncpg's status message).
_ROW_COUNT = re.compile(r"(?:SELECT|UPDATE|DELETE|INSERT \d+) (\d+)")


@functools.lru_cache(maxsize=1024)
def may_begin_later(operation: str) -> bool:
    """Whether a statement can run before BEGIN without changing what it sees or does.

    Remembered by the statement's text: the statements are few, and some are long (a chat
    event's joined read is 4 kB, which the patterns took a tenth of the event's time to scan)."""
    return bool(_PLAIN_READ.match(operation)) and not _NEEDS_TRANSACTION.search(operation)


class FewTripsCursor(AsyncAdapt_asyncpg_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        # Read by `_start_transaction`, which the stock cursor calls with no statement in hand.
        self._adapt_connection._operation = operation
        try:
            super().execute(operation, parameters)
        finally:
            self._adapt_connection._operation = None
            self._adapt_connection._used_at = time.monotonic()


class FewTripsConnection(AsyncAdapt_asyncpg_connection):
    __slots__ = ("_operation", "_used_at", "read_committed")

    _cursor_cls = FewTripsCursor

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._operation: str | None = None
        self._used_at = time.monotonic()
        # Whether the server's default isolation is READ COMMITTED: set by `storage.db` as
        # the connection is made. Until then, every statement begins.
        self.read_committed = False

    async def _start_transaction(self) -> None:
        operation, self._operation = self._operation, None
        if operation is not None and self._may_skip_begin(operation):
            return
        await super()._start_transaction()

    def _may_skip_begin(self, operation: str) -> bool:
        if not self.read_committed or self.isolation_level not in _DEFERRABLE_ISOLATION:
            return False
        return LONE_WRITE in operation or may_begin_later(operation)

    async def run(
        self, operation: str, parameters: Sequence[Any], schema_asof: float
    ) -> tuple[list[Any], int, Sequence[Any]]:
        """One statement from async code, as `FewTripsCursor.execute` runs it through a
        greenlet: BEGIN first unless it may wait, the statement prepared once per connection;
        asyncpg's rows, the row count and the columns' attributes (with their types' oids, the
        cursor's description).
        Errors are translated as the cursor's are. `schema_asof`: the dialect's
        `_invalidate_schema_cache_asof`, as the cursor has it."""
        async with self._execute_mutex:
            if self._transaction is None and not self._may_skip_begin(operation):
                await super()._start_transaction()
            try:
                prepared, attributes = await self._prepare(operation, schema_asof)
                rows = await prepared.fetch(*parameters)
                status = prepared.get_statusmsg()
            except Exception as error:
                self._handle_exception(error)
            finally:
                self._used_at = time.monotonic()
        found = _ROW_COUNT.match(status or "")
        return rows, int(found.group(1)) if found else -1, attributes or ()

    def ping(self) -> None:
        if self._connection.is_closed():
            # As the stock ping would fail: the pool then replaces the connection.
            self._handle_exception(asyncpg.exceptions.InterfaceError("connection is closed"))
        if time.monotonic() - self._used_at < PING_AFTER_IDLE:
            return
        super().ping()
        self._used_at = time.monotonic()


class FewTripsDBAPI(AsyncAdapt_asyncpg_dbapi):
    """The DBAPI module for `create_async_engine(..., module=...)`."""

    def connect(self, *arg: Any, **kw: Any) -> FewTripsConnection:
        creator = kw.pop("async_creator_fn", self.asyncpg.connect)
        cache_size = kw.pop("prepared_statement_cache_size", 100)
        name_func = kw.pop("prepared_statement_name_func", None)
        return await_(
            FewTripsConnection.create(
                self,
                creator(*arg, **kw),
                prepared_statement_cache_size=cache_size,
                prepared_statement_name_func=name_func,
            )
        )


def few_trips_dbapi() -> FewTripsDBAPI:
    return FewTripsDBAPI(asyncpg)


def check_isolation(dbapi_connection: Any, _connection_record: Any) -> None:
    """On each new connection (one trip, once): may plain reads wait for BEGIN?"""
    if not isinstance(dbapi_connection, FewTripsConnection):
        return
    setting = await_(dbapi_connection._connection.fetchval("SHOW default_transaction_isolation"))
    dbapi_connection.read_committed = setting == "read committed"
