"""`narvaro run` as a real process on a prepared database, talking to the fake Bot API.

One process serves a whole test module (starting one takes seconds); each test then uses
people of its own. The database holds the three demo schools with their rosters. The clock
stands at MONDAY_MORNING, in the process and in what the tests do beside it (invites).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import invite_commands, operator
from bot.files import parse_school_file
from bot.operator import demo_file
from bot.settings import Settings
from routine.cases import Case
from routine.concerns import StaffConcern
from routine.model import AbsenceReport, AttendanceMark, MarkKind
from routine.outbox import OutboxMessage
from routine.requests import ContactRequest, GuardianConcern
from storage.schema import upgrade
from tests.bot.process import MONDAY_MORNING, NARVARO
from tests.conftest import in_schema, run_sql, sql_uow_factory, sqlite_url
from tests.telegram.fake_bot_api import FakeBotApi

COUNTRIES = ("se", "no", "dk")


@dataclass
class Service:
    api: FakeBotApi
    database: str
    log: Path
    process: subprocess.Popen[str]
    folder: Path

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.database, fixed_time=MONDAY_MORNING)

    def invite(self, school: str, guardian: str, *, valid: timedelta = timedelta(hours=1)) -> str:
        code, _expires = asyncio.run(
            invite_commands.issue_invite_code(self.settings, school, guardian, valid)
        )
        return code

    def reports(self, school: str, pupil: str) -> list[AbsenceReport]:
        async def read() -> list[AbsenceReport]:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                return await uow.reports.list_current_for_pupils(school, [pupil], date.min)

        return asyncio.run(read())

    def queue(self, message: OutboxMessage) -> None:
        """As a job would: the dispatcher in `narvaro run` takes it from here."""

        async def add() -> None:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                assert await uow.outbox.add(message)
                await uow.commit()

        asyncio.run(add())

    def outbox(self, key: str) -> OutboxMessage:
        async def read() -> OutboxMessage:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                (message,) = [m for m in await uow.outbox.list() if m.key == key]
                return message

        return asyncio.run(read())

    def mark_absent(self, school: str, pupil: str, day: date) -> None:
        """As the roll call would."""

        async def add() -> None:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                await uow.marks.add(AttendanceMark(school, pupil, day, MarkKind.ABSENT))
                await uow.commit()

        asyncio.run(add())

    def contact_requests(self, school: str, pupil: str) -> list[ContactRequest]:
        async def read() -> list[ContactRequest]:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                return await uow.contact_requests.list_open(school, [pupil])

        return asyncio.run(read())

    def concerns(self, school: str, pupil: str) -> list[GuardianConcern]:
        async def read() -> list[GuardianConcern]:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                return await uow.concerns.list_for_pupil(school, pupil)

        return asyncio.run(read())

    def open_cases(self, school: str, pupil: str) -> list[Case]:
        async def read() -> list[Case]:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                return await uow.cases.open_cases(school, [pupil])

        return asyncio.run(read())

    def staff_concerns(self, school: str, pupil: str) -> list[StaffConcern]:
        async def read() -> list[StaffConcern]:
            async with sql_uow_factory(self.database) as factory, factory() as uow:
                return await uow.staff_concerns.list_for_pupil(school, pupil)

        return asyncio.run(read())

    def log_text(self) -> str:
        return self.log.read_text()


@contextmanager
def module_database(request: pytest.FixtureRequest, backend: str, folder: Path) -> Iterator[str]:
    """A migrated database for one module: a copy of the migrated SQLite template, or a
    PostgreSQL schema of its own, dropped afterwards."""
    if backend == "sqlite":
        template = request.getfixturevalue("migrated_sqlite_template")
        shutil.copyfile(template, folder / "narvaro.db")
        yield sqlite_url(folder / "narvaro.db")
        return
    server = request.getfixturevalue("postgres_server")
    schema = f"narvaro_telegram_{os.getpid()}_{secrets.token_hex(4)}"
    asyncio.run(run_sql(server, f'CREATE SCHEMA "{schema}"'))
    try:
        url = in_schema(server, schema)
        asyncio.run(upgrade(url))
        yield url
    finally:
        asyncio.run(run_sql(server, f'DROP SCHEMA "{schema}" CASCADE'))


async def load_demo_schools(database: str) -> None:
    settings = Settings(database_url=database)
    for country in COUNTRIES:
        key = parse_school_file(demo_file(f"{country}.toml")).school.key
        await operator.apply_school_file(settings, demo_file(f"{country}.toml"))
        await operator.import_roster_file(settings, key, demo_file(f"{country}.csv"))


@contextmanager
def running_service(
    database: str, api: FakeBotApi, folder: Path, **settings: str
) -> Iterator[Service]:
    """`narvaro run` until the block ends; then SIGTERM, and it must stop cleanly."""
    environment = {
        "NARVARO_DATABASE_URL": database,
        "NARVARO_TELEGRAM_TOKEN": api.token,
        "NARVARO_TELEGRAM_API_URL": api.url,
        "NARVARO_LOG_LEVEL": "INFO",
        "NARVARO_FIXED_TIME": MONDAY_MORNING,
        **settings,
    }
    with running_narvaro(
        api, database, folder, environment, ["run"], hidden=[api.token]
    ) as service:
        yield service


@contextmanager
def running_narvaro(
    api: Any,
    database: str,
    folder: Path,
    environment: dict[str, str],
    arguments: list[str],
    *,
    hidden: list[str],
    quiet: bool = False,
) -> Iterator[Service]:
    """`narvaro ARGUMENTS` with only these NARVARO_ settings, until the block ends; then
    SIGTERM, and it must stop cleanly: exit 0, no traceback, none of `hidden` in its log
    (and, if `quiet`, no warning either)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("NARVARO_")}
    log = folder / "narvaro-run.log"
    with log.open("w") as output:
        # A file, not a pipe: nobody reads a pipe while the tests run, and a full one blocks.
        process = subprocess.Popen(
            [NARVARO, *arguments],
            cwd=folder,
            env=inherited | environment,
            text=True,
            stderr=output,
        )
    service = Service(api, database, log, process, folder)
    try:
        wait_for_log(service, "narvaro is running")
        yield service
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    written = service.log_text()
    assert (code, "narvaro stopped" in written) == (0, True), written
    assert "Traceback" not in written, written
    assert not quiet or "Warning" not in written, written
    assert not any(secret in written for secret in hidden), "a secret reached the log"


def wait_for_log(service: Service, line: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while line not in service.log_text():
        if service.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"never saw {line!r}; the log says:\n{service.log_text()}")
        time.sleep(0.05)
