"""The migrations build exactly the schema of the tables gathered by `storage/orm.py`, on both
backends."""

from __future__ import annotations

import asyncio

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from routine.model import ReportingRules
from storage.db import make_engine, make_session_factory
from storage.orm import Base, is_ours
from storage.schema import (
    SchemaOutOfDate,
    alembic_config,
    current_revision,
    ensure_current,
    head_revision,
    upgrade,
)
from storage.uow import SqlAlchemyUnitOfWorkFactory


async def on_connection(url: str, work):
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def differences_from_orm(connection: Connection) -> list:
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": is_ours}
    )
    return compare_metadata(context, Base.metadata)


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def test_upgrade_takes_an_empty_database_to_head(database_url: str) -> None:
    assert await current_revision(database_url) is None

    await upgrade(database_url)

    assert await current_revision(database_url) == head_revision()
    assert await on_connection(database_url, table_names) == {
        *Base.metadata.tables,
        "alembic_version",
    }


async def test_upgrading_twice_changes_nothing(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)

    assert await current_revision(database_url) == head_revision()


async def test_the_migrated_schema_matches_the_orm(database_url: str) -> None:
    await upgrade(database_url)

    assert await on_connection(database_url, differences_from_orm) == []


async def test_downgrade_to_base_removes_every_table(database_url: str) -> None:
    await upgrade(database_url)

    await asyncio.to_thread(command.downgrade, alembic_config(database_url), "base")

    assert await on_connection(database_url, table_names) == {"alembic_version"}
    assert await current_revision(database_url) is None


async def test_an_empty_database_is_out_of_date(database_url: str) -> None:
    with pytest.raises(SchemaOutOfDate) as raised:
        await ensure_current(database_url)

    assert str(raised.value) == (
        f"The database has no narvaro schema yet; this code expects revision {head_revision()}. "
        "Run `narvaro db upgrade`."
    )
    assert (raised.value.current, raised.value.expected) == (None, head_revision())


async def test_a_migrated_database_is_current(database_url: str) -> None:
    await upgrade(database_url)

    await ensure_current(database_url)


async def test_a_database_from_newer_code_is_out_of_date(database_url: str) -> None:
    await upgrade(database_url)
    await on_connection(
        database_url,
        lambda c: c.exec_driver_sql("UPDATE alembic_version SET version_num = 'f00d'"),
    )

    with pytest.raises(SchemaOutOfDate, match="at revision f00d, which this code does not know"):
        await ensure_current(database_url)


async def test_apscheduler_s_job_table_is_not_ours_to_migrate(database_url: str) -> None:
    await upgrade(database_url)
    await on_connection(
        database_url,
        lambda c: c.exec_driver_sql(
            "CREATE TABLE scheduler_jobs (id VARCHAR(191) PRIMARY KEY, next_run_time FLOAT)"
        ),
    )

    assert await on_connection(database_url, differences_from_orm) == []


def test_there_is_one_head() -> None:
    assert head_revision() == "0020"


async def test_a_database_behind_the_code_is_out_of_date(database_url: str) -> None:
    await upgrade(database_url, "0001")

    with pytest.raises(SchemaOutOfDate) as raised:
        await ensure_current(database_url)

    assert str(raised.value) == (
        f"The database is at revision 0001; this code expects revision {head_revision()}. "
        "Run `narvaro db upgrade`."
    )


async def test_upgrading_keeps_existing_schools_with_default_reporting_rules(
    database_url: str,
) -> None:
    await upgrade(database_url, "0001")
    await on_connection(
        database_url,
        lambda c: c.exec_driver_sql(
            "INSERT INTO schools (key, name, country, timezone, language, roll_call, "
            "report_cutoff, unreported_prompt, end_of_day, mentor_sees_reason, "
            "mentor_sees_note, retention_days, calendar) VALUES ('s', 'S', 'SE', "
            "'Europe/Stockholm', 'sv', '08:15:00', '08:00:00', '09:00:00', '16:00:00', "
            "true, true, 400, '{}')"
        ),
    )

    await upgrade(database_url)

    engine = make_engine(database_url)
    try:
        async with SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))() as uow:
            school = await uow.schools.get("s")
    finally:
        await engine.dispose()
    assert school is not None and school.reporting == ReportingRules()
