"""The database schema's version: Alembic, driven from code, with no alembic.ini.

`narvaro db upgrade` calls `upgrade(url)`; the bot calls `ensure_current(url)` at start, so it
never runs against a schema older than its code. To write a new migration after changing
the tables (`storage/orm_*.py`, all gathered by `storage/orm.py`):

    from alembic import command
    command.revision(alembic_config(url), message="...", autogenerate=True)

against a database at head, then review the generated file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.db import make_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaOutOfDate(Exception):
    """The database's schema is not the one this code was written for."""

    def __init__(self, current: str | None, expected: str) -> None:
        self.current = current
        self.expected = expected
        super().__init__(_explain(current, expected))


def _explain(current: str | None, expected: str) -> str:
    if current is None:
        return (
            f"The database has no narvaro schema yet; this code expects revision {expected}. "
            "Run `narvaro db upgrade`."
        )
    if current not in _known_revisions():
        return (
            f"The database is at revision {current}, which this code does not know "
            f"(it expects {expected}): newer code has migrated it. Run that code instead."
        )
    return (
        f"The database is at revision {current}; this code expects revision {expected}. "
        "Run `narvaro db upgrade`."
    )


def alembic_config(url: str) -> Config:
    config = _migrations_config()
    # The Config is an INI parser: a percent sign (as in %3D, or in a password) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = _script_directory().get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


async def upgrade(url: str, revision: str = "head") -> None:
    # env.py runs its own event loop; a worker thread keeps it off the caller's running one.
    await asyncio.to_thread(command.upgrade, alembic_config(url), revision)


async def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_read_revision)
    finally:
        await engine.dispose()


async def ensure_current(url: str) -> None:
    """Raise `SchemaOutOfDate` unless the database is at this code's head revision."""
    current = await current_revision(url)
    expected = head_revision()
    if current != expected:
        raise SchemaOutOfDate(current, expected)


def _read_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _migrations_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def _script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(_migrations_config())


def _known_revisions() -> set[str]:
    return {script.revision for script in _script_directory().walk_revisions()}
