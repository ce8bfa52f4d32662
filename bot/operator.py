"""What the commands that run the assistant do: the console, the jobs and the demo, one function
per command, each building what it needs.

Kept apart from `cli.py` so that click stays about arguments and output, and so that the
tests can call the same code the commands call. The other commands' work is beside their click
code in `bot/*_commands.py`; the file imports are re-exported here, since tests and benchmarks
load the demo data with `operator.apply_school_file` and `operator.import_roster_file`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

from bot import bootstrap, demo, demo_history
from bot.console import chat_as, link_console_account
from bot.console_inbox import Inbox
from bot.errors import OperatorError
from bot.files import parse_school_file
from bot.settings import Settings
from bot.setup_commands import apply_school_file, import_roster_file
from routine.model import School
from routine.ports import Clock
from scheduler.clock import local_day, next_run, run_job, runs_on
from scheduler.jobs import JOBS, Job, JobResult
from storage import schema

DEMO_COUNTRIES = ("se", "no", "dk")
WAL_FILES = ("-wal", "-shm")


async def run_console(
    settings: Settings, role: str, person_id: str, school_key: str | None
) -> None:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            account = await link_console_account(uow, role, person_id, school_key)
            await uow.commit()
        await chat_as(app.dialogs, account, inbox=Inbox(app.uow_factory, account))
    finally:
        await app.close()


@dataclass(frozen=True)
class PlannedJob:
    job: Job
    next_run: datetime | None  # in the school's timezone


@dataclass(frozen=True)
class SchoolSchedule:
    school: School
    jobs: list[PlannedJob]


async def list_jobs(
    settings: Settings, school_key: str | None = None, *, clock: Clock | None = None
) -> list[SchoolSchedule]:
    """Each school's jobs with their next run, computed from the schools as stored now."""
    app = await bootstrap.build(settings, clock=clock)
    try:
        schools = await _schools(app, school_key)
        now = app.clock.now()
        return [
            SchoolSchedule(
                school, [PlannedJob(job, next_run(job, school, now)) for job in JOBS.values()]
            )
            for school in schools
        ]
    finally:
        await app.close()


def find_job(name: str) -> Job:
    job = JOBS.get(name)
    if job is None:
        raise OperatorError(f"unknown job {name!r}; the jobs are: {', '.join(JOBS)}")
    return job


async def run_jobs(
    settings: Settings,
    name: str,
    school_key: str | None = None,
    day: date | None = None,
    *,
    force: bool = False,
    clock: Clock | None = None,
    report: Callable[[JobResult], None] = lambda _result: None,
) -> list[JobResult]:
    """Run a job now for one school or all, as of `day` or each school's today. Checks every
    school first: if the day is not a school day at any of them (for a school-days-only job),
    nothing runs unless `force`. Each result goes to `report` as soon as it is there."""
    job = find_job(name)
    app = await bootstrap.build(settings, clock=clock)
    try:
        schools = await _schools(app, school_key)
        now = app.clock.now()
        planned = [(school, day or local_day(school, now)) for school in schools]
        refused = [(s, d) for s, d in planned if not runs_on(job, s, d)]
        if refused and not force:
            places = ", ".join(f"{s.key} on {d:%Y-%m-%d} ({d:%A})" for s, d in refused)
            others = " (or --school KEY for another school)" if len(refused) < len(planned) else ""
            raise OperatorError(
                f"{job.name} runs on school days only, and it is not a school day at {places}. "
                f"Nothing was run; add --force to run it anyway{others}."
            )
        results = []
        for school, school_day in planned:
            result = await run_job(app.job_context, job, school, school_day, force=force)
            report(result)
            results.append(result)
        return results
    finally:
        await app.close()


async def _schools(app: bootstrap.App, school_key: str | None) -> list[School]:
    async with app.uow_factory() as uow:
        if school_key is not None:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            return [school]
        schools = await uow.schools.list()
    if not schools:
        raise OperatorError("there are no schools yet: add one with `narvaro school apply FILE`")
    return sorted(schools, key=lambda school: school.key)


def demo_file(name: str) -> Path:
    return Path(str(files("bot") / "demo_data" / name))


async def run_demo(
    database: Path,
    *,
    fresh: bool,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    if fresh:
        # With the write-ahead log beside it: a stale one must not be replayed into the new file.
        for stale in (database, *(database.with_name(database.name + s) for s in WAL_FILES)):
            stale.unlink(missing_ok=True)
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    await schema.upgrade(settings.database_url)
    for country in DEMO_COUNTRIES:
        spec = parse_school_file(demo_file(f"{country}.toml"))
        await apply_school_file(settings, demo_file(f"{country}.toml"))
        await import_roster_file(settings, spec.school.key, demo_file(f"{country}.csv"))
    app = await bootstrap.build(settings)
    try:
        await demo.link_demo_chats(app.uow_factory)
        await demo_history.seed_history(app.uow_factory, app.clock)
        await demo.play(app, database, read=read, write=write)
    finally:
        await app.close()
