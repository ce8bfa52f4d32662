"""`narvaro outbox requeue` as an operator runs it: failed messages back to pending by id, kind
and time, the count printed, and one audit line in the log without personal data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import operator
from bot.operator import demo_file
from bot.settings import Settings
from routine.outbox import DeliveryStatus, OutboxMessage
from tests.bot.process import run_narvaro
from tests.conftest import sql_uow_factory

SCHOOL = "se-bjorkangen"
CREATED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def failed(key: str, kind: str, minutes: int) -> OutboxMessage:
    return OutboxMessage(
        key=key,
        platform="telegram",
        recipient="4711000",
        text="Alva Nilsson är inte anmäld frånvarande.",
        kind=kind,
        school_key=SCHOOL,
        created_at=CREATED + timedelta(minutes=minutes),
        status=DeliveryStatus.FAILED,
        attempts=40,
        last_error="502 Bad Gateway",
    )


@pytest.fixture
async def database(migrated_database_url: str) -> str:
    await operator.apply_school_file(
        Settings(database_url=migrated_database_url), demo_file("se.toml")
    )
    async with sql_uow_factory(migrated_database_url) as factory, factory() as uow:
        for message in (
            failed("a", "unreported", 0),
            failed("b", "roll_call", 10),
            failed("c", "unreported", 20),
            failed("d", "roll_call", 30),
        ):
            await uow.outbox.add(message)
        await uow.commit()
    return migrated_database_url


async def statuses(database: str) -> dict[str, str]:
    async with sql_uow_factory(database) as factory, factory() as uow:
        return {m.key: m.status.value for m in await uow.outbox.list()}


async def ids(database: str) -> dict[str, int]:
    async with sql_uow_factory(database) as factory, factory() as uow:
        return {m.key: m.id or 0 for m in await uow.outbox.list()}


async def test_requeue_by_id_kind_and_time(database: str, tmp_path: Path) -> None:
    env = {"NARVARO_DATABASE_URL": database, "NARVARO_LOG_LEVEL": "INFO"}
    first = (await ids(database))["a"]
    by_id = run_narvaro("outbox", "requeue", "--id", str(first), cwd=tmp_path, **env)
    assert (by_id.returncode, by_id.stdout) == (0, "requeued 1 failed message(s).\n")
    assert "outbox requeue: operator=" in by_id.stderr
    assert f" school=any ids={first} kind=any since=any requeued=1" in by_id.stderr
    assert "4711000" not in by_id.stderr and "Alva" not in by_id.stderr

    by_time = run_narvaro(
        "outbox",
        "requeue",
        "--kind",
        "roll_call",
        "--since",
        "2026-11-23T08:20:00+01:00",
        cwd=tmp_path,
        **env,
    )
    assert by_time.stdout == "requeued 1 failed message(s).\n"
    assert await statuses(database) == {
        "a": "pending",
        "b": "failed",
        "c": "failed",
        "d": "pending",
    }

    by_kind = run_narvaro("outbox", "requeue", "--kind", "unreported", cwd=tmp_path, **env)
    assert by_kind.stdout == "requeued 1 failed message(s).\n"
    assert (await statuses(database))["c"] == "pending"


@pytest.mark.parametrize("since", ["yesterday", "2026-11-23T08:00:00"])
async def test_a_since_without_an_offset_is_refused(
    database: str, tmp_path: Path, since: str
) -> None:
    env = {"NARVARO_DATABASE_URL": database}
    result = run_narvaro("outbox", "requeue", "--since", since, cwd=tmp_path, **env)
    assert result.returncode != 0 and "UTC offset" in result.stderr
    assert "Traceback" not in result.stderr
    assert set((await statuses(database)).values()) == {"failed"}
