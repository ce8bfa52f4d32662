"""What the clock's tests share: three schools in three timezones with one calendar, a fixed
clock, fake jobs that note their runs, and a paused scheduler's stored jobs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from routine.model import Country, DateSpan, Language, School, SchoolCalendar, SchoolTimes
from scheduler.jobs import Job, JobContext, JobResult
from scheduler.schedule import PERSISTENT
from tests.fakes import FakeUnitOfWorkFactory

STOCKHOLM, OSLO, COPENHAGEN = "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen"
ZONES = (STOCKHOLM, OSLO, COPENHAGEN)

CALENDAR = SchoolCalendar(
    terms=(
        DateSpan(date(2026, 1, 7), date(2026, 6, 12), "vår 2026"),
        DateSpan(date(2026, 8, 17), date(2026, 12, 18), "höst 2026"),
        DateSpan(date(2027, 1, 7), date(2027, 6, 11), "vår 2027"),
    ),
    breaks=(DateSpan(date(2026, 2, 23), date(2026, 2, 27), "sportlov"),),
    days_off=(date(2026, 11, 9),),
)
TIMES = SchoolTimes(
    roll_call=time(8, 15),
    report_cutoff=time(8, 0),
    unreported_prompt=time(9, 0),
    end_of_day=time(15, 30),
)


def school(key: str, zone: str = STOCKHOLM, country: Country = Country.SE) -> School:
    return School(key, key, country, zone, Language.SV, times=TIMES, calendar=CALENDAR)


SE = school("se-ek", STOCKHOLM, Country.SE)
NO = school("no-fjell", OSLO, Country.NO)
DK = school("dk-skov", COPENHAGEN, Country.DK)
SCHOOLS_BY_ZONE = {STOCKHOLM: SE, OSLO: NO, COPENHAGEN: DK}


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@dataclass
class Recorder:
    """Fake jobs that note each run (school key, day) instead of doing anything."""

    runs: list[tuple[str, str, date]] = field(default_factory=list)
    ran: asyncio.Event = field(default_factory=asyncio.Event)
    delay: float = 0.0

    def job(self, name: str, at: time | None = None, *, school_days_only: bool = True) -> Job:
        async def run(ctx: JobContext, school_key: str, day: date) -> JobResult:
            if self.delay:
                await asyncio.sleep(self.delay)
            self.runs.append((name, school_key, day))
            self.ran.set()
            return JobResult(school_key, day, f"{name} ran")

        return Job(
            name,
            (lambda s: at) if at else (lambda s: s.times.unreported_prompt),
            school_days_only,
            run,
        )


def context(world: FakeUnitOfWorkFactory, now: datetime) -> JobContext:
    return JobContext(uow_factory=world, clock=FixedClock(now))


def at_nine(day: date, zone: str = STOCKHOLM) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def stored(scheduler: AsyncIOScheduler) -> dict[str, object]:
    return {job.id: job for job in scheduler.get_jobs(jobstore=PERSISTENT)}
