"""The school, the day and the clock of the daily jobs' tests on the fakes, and how they run a
job and read what it queued."""

from __future__ import annotations

from datetime import UTC, date, datetime

from routine.model import (
    AbsenceReport,
    Country,
    Language,
    PrivacySettings,
    ReasonCategory,
    School,
)
from routine.outbox import OutboxMessage
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)


NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


SCHOOL = School(
    "se",
    "Ekbackens skola",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    privacy=PrivacySettings(retention_days=30),
)


class Clock:
    def now(self) -> datetime:
        return NOW


async def run(factory: FakeUnitOfWorkFactory, name: str, day: date = MONDAY) -> str:
    result = await JOBS[name].run(JobContext(factory, Clock()), "se", day)
    assert (result.school_key, result.day) == ("se", day)
    return result.summary


async def anna_reports_elsa(factory: FakeUnitOfWorkFactory, reason: ReasonCategory) -> None:
    """Anna (G1) reports Elsa (P1) absent on Monday, for the reason given."""
    async with factory() as uow:
        await uow.reports.add(AbsenceReport("se", "P1", "G1", reason, MONDAY, MONDAY))
        await uow.commit()


def queued(factory: FakeUnitOfWorkFactory) -> list[OutboxMessage]:
    return list(factory.store.outbox.values())
