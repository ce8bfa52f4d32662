"""Round trips to PostgreSQL, counted where asyncpg talks to the server."""

from __future__ import annotations

import asyncpg
import pytest
from asyncpg.prepared_stmt import PreparedStatement

from storage.asyncpg_driver import FewTripsCursor


class Trips:
    """The messages asyncpg sends and waits for: statements, BEGIN, COMMIT, pings."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sent: list[str] = []
        for owner, name in (
            (asyncpg.Connection, "execute"),
            (asyncpg.Connection, "executemany"),
            (asyncpg.Connection, "fetch"),
            (asyncpg.Connection, "fetchrow"),
            (asyncpg.Connection, "fetchval"),
            (asyncpg.Connection, "prepare"),
            (PreparedStatement, "fetch"),
        ):
            monkeypatch.setattr(owner, name, self._counted(getattr(owner, name), name))

    def _counted(self, method, name: str):  # type: ignore[no-untyped-def]
        async def counted(target, *args, **kwargs):  # type: ignore[no-untyped-def]
            query = args[0] if args and isinstance(args[0], str) else ""
            self.sent.append(query.strip().rstrip(";") if name == "execute" else name)
            return await method(target, *args, **kwargs)

        return counted

    def clear(self) -> None:
        self.sent.clear()


def through_cursor(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The statements SQLAlchemy executed through narvaro's adapter's cursor, as they come:
    those `storage.direct` sends do not pass there."""
    ran: list[str] = []
    execute = FewTripsCursor.execute

    def counted(cursor: FewTripsCursor, operation: str, parameters: object = None) -> None:
        ran.append(operation)
        execute(cursor, operation, parameters)

    monkeypatch.setattr(FewTripsCursor, "execute", counted)
    return ran
