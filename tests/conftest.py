"""Fixtures for every test folder: databases on both backends, and units of work.

- `backend`: "sqlite" or "postgresql" (override it in a module to add "fake").
- `database_url`: an empty database of that backend.
- `migrated_database_url`: a database at the head revision, with empty tables.
- `uow_factory`: a unit-of-work factory on that database (or the fakes, for "fake").
- `fake_uow_factory`: the in-memory fakes.

PostgreSQL is the server at `NARVARO_TEST_POSTGRES_URL` (default: the local `test` database).
Each test session works in schemas of its own, created and dropped here. If the server cannot be
reached, PostgreSQL tests are skipped, except under CI (`CI=true`), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from routine.ports import UnitOfWorkFactory
from storage.db import make_engine, make_session_factory
from storage.orm import Base
from storage.schema import upgrade
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.fakes import FakeUnitOfWorkFactory

POSTGRES_URL = os.environ.get(
    "NARVARO_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


# Empty databases


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest) -> str:
    """An empty database: a fresh SQLite file, or a fresh PostgreSQL schema, per test."""
    return request.getfixturevalue(f"empty_{backend}_url")


@pytest.fixture
def empty_sqlite_url(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "narvaro.db")


@pytest.fixture
async def empty_postgresql_url(postgres_server: str) -> AsyncIterator[str]:
    async with fresh_schema(postgres_server) as url:
        yield url


# Migrated databases: migrated once per session and backend, emptied for each test.


@pytest.fixture
def migrated_database_url(backend: str, request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"migrated_{backend}_url")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("migrated") / "template.db"
    await upgrade(sqlite_url(path))
    return path


@pytest.fixture
def migrated_sqlite_url(migrated_sqlite_template: Path, tmp_path: Path) -> str:
    # Copying a migrated file is much quicker than migrating again.
    path = tmp_path / "narvaro.db"
    shutil.copyfile(migrated_sqlite_template, path)
    return sqlite_url(path)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_postgresql_schema(postgres_server: str) -> AsyncIterator[str]:
    async with fresh_schema(postgres_server) as url:
        await upgrade(url)
        yield url


@pytest.fixture
async def migrated_postgresql_url(migrated_postgresql_schema: str) -> str:
    await empty_all_tables(migrated_postgresql_schema)
    return migrated_postgresql_schema


# Units of work


@pytest.fixture
def uow_factory(backend: str, request: pytest.FixtureRequest) -> UnitOfWorkFactory:
    return request.getfixturevalue(f"{backend}_uow_factory")


@pytest.fixture
def fake_uow_factory() -> FakeUnitOfWorkFactory:
    return FakeUnitOfWorkFactory()


@pytest.fixture
async def sqlite_uow_factory(migrated_sqlite_url: str) -> AsyncIterator[UnitOfWorkFactory]:
    async with sql_uow_factory(migrated_sqlite_url) as factory:
        yield factory


@pytest.fixture
async def postgresql_uow_factory(
    migrated_postgresql_url: str,
) -> AsyncIterator[UnitOfWorkFactory]:
    async with sql_uow_factory(migrated_postgresql_url) as factory:
        yield factory


@asynccontextmanager
async def sql_uow_factory(url: str) -> AsyncIterator[SqlAlchemyUnitOfWorkFactory]:
    engine = make_engine(url)
    try:
        yield SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
    finally:
        await engine.dispose()


# PostgreSQL


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_server() -> str:
    """The server's URL, once it has answered."""
    problem = await connection_problem(POSTGRES_URL)
    if problem is not None:
        postgres_unavailable(f"cannot connect to {POSTGRES_URL}: {problem}")
    return POSTGRES_URL


async def connection_problem(url: str) -> str | None:
    engine = make_engine(url)
    try:
        async with asyncio.timeout(10), engine.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
    except (OSError, TimeoutError, SQLAlchemyError) as error:
        return f"{type(error).__name__}: {error}"
    finally:
        await engine.dispose()
    return None


def postgres_unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        # In CI a skipped backend would pass silently: the PostgreSQL service must be there.
        pytest.fail(f"PostgreSQL is required when CI=true; {message}", pytrace=False)
    pytest.skip(f"PostgreSQL unavailable ({message}); set CI=true to make this fail")


@asynccontextmanager
async def fresh_schema(server_url: str) -> AsyncIterator[str]:
    """A new, empty schema, and a URL that works in it; dropped afterwards."""
    schema = f"narvaro_test_{os.getpid()}_{secrets.token_hex(4)}"
    await run_sql(server_url, f'CREATE SCHEMA "{schema}"')
    try:
        yield in_schema(server_url, schema)
    finally:
        await run_sql(server_url, f'DROP SCHEMA "{schema}" CASCADE')


def in_schema(url: str, schema: str) -> str:
    # storage.db hands libpq-style options to asyncpg; alembic_version lands there too.
    with_path = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return with_path.render_as_string(hide_password=False)


async def empty_all_tables(url: str) -> None:
    # DELETE, children first: on a few rows it is much quicker than TRUNCATE.
    tables = reversed(Base.metadata.sorted_tables)
    await run_sql(url, *(f'DELETE FROM "{table.name}"' for table in tables))


async def run_sql(url: str, *statements: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.exec_driver_sql(statement)
    finally:
        await engine.dispose()


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"
