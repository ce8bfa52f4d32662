"""The fakes of the clock's group tests (`test_runs.py`, `test_schedule.py` here): schools that
share their times or not, a job that records its calls, a unit-of-work factory that counts what
it opened."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path

from routine.model import Country, DateSpan, Language, School
from scheduler.jobs import Job, JobContext, JobResult
from tests.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory
from tests.scheduler.clock.support import CALENDAR, OSLO, STOCKHOLM, TIMES

WEDNESDAY = date(2026, 11, 25)
# Something personal, as an error's message might hold it: it must never reach the logs.
PERSONAL = "Astrid Lindgren, 120512-1234"


def raised_at(marker: str) -> str:
    """Where the fake job raises: this file and the line marked with `marker`."""
    lines = Path(__file__).read_text(encoding="utf-8").splitlines()
    found = next(n for n, line in enumerate(lines, 1) if line.endswith(f"# {marker}"))
    return f"{Path(__file__).name}:{found}"


RAISED_ONE, RAISED_MANY = raised_at("RAISED_ONE"), raised_at("RAISED_MANY")


def school(key: str, zone: str = STOCKHOLM, **changes: object) -> School:
    base = School(key, key, Country.SE, zone, Language.SV, times=TIMES, calendar=CALENDAR)
    return replace(base, **changes)


A, B, C = school("se-a"), school("se-b"), school("se-c")
OSLO_SCHOOL = school("no-a", OSLO, country=Country.NO)
LATER = school("se-later", times=replace(TIMES, unreported_prompt=time(9, 30)))
# Wednesday 25 November is a day off at this school only.
DAY_OFF = school("se-ledig", calendar=replace(CALENDAR, days_off=(*CALENDAR.days_off, WEDNESDAY)))
# Its sports break is a week after the others' (week 10, not 9), as municipalities' differ.
WEEK_10 = school(
    "se-v10", calendar=replace(CALENDAR, breaks=(DateSpan(date(2026, 3, 2), date(2026, 3, 6)),))
)
STOCKHOLM_NINE = "Europe/Stockholm 09:00"


@dataclass
class ManyRecorder:
    """A fake job that can run several schools at once, and notes each call."""

    many_calls: list[tuple[str, ...]] = field(default_factory=list)
    one_calls: list[str] = field(default_factory=list)
    # Keys whose own run raises; any key here makes a run together raise too.
    failing: set[str] = field(default_factory=set)
    ran: asyncio.Event = field(default_factory=asyncio.Event)

    def job(self, name: str = "prompt", *, school_days_only: bool = True) -> Job:
        async def run(ctx: JobContext, school_key: str, day: date) -> JobResult:
            self.one_calls.append(school_key)
            if school_key in self.failing:
                raise RuntimeError(f"bad data for {PERSONAL}")  # RAISED_ONE
            return JobResult(school_key, day, "one ran")

        async def run_many(
            ctx: JobContext, school_keys: Sequence[str], day: date
        ) -> list[JobResult]:
            self.many_calls.append(tuple(school_keys))
            self.ran.set()
            if self.failing & set(school_keys):
                raise RuntimeError(f"bad data for {PERSONAL}")  # RAISED_MANY
            return [JobResult(key, day, "many ran") for key in school_keys]

        return Job(
            name, lambda s: s.times.unreported_prompt, school_days_only, run, run_many=run_many
        )


class CountingFactory(FakeUnitOfWorkFactory):
    """Counts the units of work opened: the clock's reads at fire time."""

    opened = 0

    def __call__(self) -> FakeUnitOfWork:
        self.opened += 1
        return super().__call__()


async def world_of_schools() -> CountingFactory:
    """The schools above, saved; nothing counted yet."""
    factory = CountingFactory()
    async with factory() as uow:
        for each in (A, B, C, OSLO_SCHOOL, LATER, DAY_OFF, WEEK_10):
            await uow.schools.save(each)
        await uow.commit()
    factory.opened = 0
    return factory
