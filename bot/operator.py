"""What the CLI's commands do, one function per command, each building what it needs.

Kept apart from `cli.py` so that click stays about arguments and output, and so that the
tests can call the same code the commands call.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from bot import bootstrap, demo
from bot.console import chat_as, link_console_account
from bot.errors import OperatorError
from bot.files import parse_roster_csv, parse_school_file
from bot.settings import Settings
from routine.invites import InviteRefused, issue_invite
from routine.model import School
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.ports import Clock
from routine.roster import apply_school, import_roster
from routine.setup import ChangeSummary
from scheduler.clock import local_day, next_run, run_job, runs_on
from scheduler.jobs import JOBS, Job, JobResult
from storage import schema

log = logging.getLogger(__name__)

DEMO_COUNTRIES = ("se", "no", "dk")


async def upgrade_database(settings: Settings) -> str:
    await schema.upgrade(settings.database_url)
    return schema.head_revision()


async def database_status(settings: Settings) -> tuple[str | None, str]:
    return await schema.current_revision(settings.database_url), schema.head_revision()


async def apply_school_file(settings: Settings, path: Path) -> tuple[str, ChangeSummary]:
    spec = parse_school_file(path)
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            return spec.school.key, await apply_school(uow, spec)
    finally:
        await app.close()


async def import_roster_file(settings: Settings, school_key: str, path: Path) -> ChangeSummary:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            classes = [c.name for c in await uow.classes.list_for(school_key)]
            rows = parse_roster_csv(path, classes)
            return await import_roster(uow, school_key, rows)
    finally:
        await app.close()


async def issue_invite_code(
    settings: Settings, school_key: str, guardian_id: str, ttl: timedelta
) -> tuple[str, datetime]:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            try:
                code, invite = await issue_invite(
                    uow,
                    school_key=school_key,
                    guardian_id=guardian_id,
                    now=app.clock.now(),
                    ttl=ttl,
                )
            except InviteRefused:
                raise OperatorError(
                    f"no guardian with the id {guardian_id!r} at {school_key}"
                ) from None
        return code, invite.expires_at.astimezone()
    finally:
        await app.close()


async def run_console(
    settings: Settings, role: str, person_id: str, school_key: str | None
) -> None:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            account = await link_console_account(uow, role, person_id, school_key)
            await uow.commit()
        await chat_as(app.dialogs, account)
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


async def outbox_status(
    settings: Settings, school_key: str | None
) -> tuple[dict[str, int], list[OutboxMessage]]:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if school_key is not None and await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            counts = {
                status.value: len(await uow.outbox.list(status=status, school_key=school_key))
                for status in DeliveryStatus
            }
            failed = await uow.outbox.list(status=DeliveryStatus.FAILED, school_key=school_key)
        # Superseded versions never needed sending: nothing to act on, so no line unless some
        # are there, and the usual three lines stay as they were.
        if not counts[DeliveryStatus.SUPERSEDED.value]:
            del counts[DeliveryStatus.SUPERSEDED.value]
        return counts, failed
    finally:
        await app.close()


async def requeue_failed(
    settings: Settings,
    *,
    ids: tuple[int, ...] = (),
    kind: str | None = None,
    since: datetime | None = None,
    school_key: str | None = None,
) -> int:
    """Failed outbox messages back to pending (by id, kind, creation time, school); how many."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if school_key is not None and await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            count = await uow.outbox.requeue_failed(
                now=app.clock.now(), ids=ids, kind=kind, since=since, school_key=school_key
            )
            await uow.commit()
        # The audit trail: what an operator asked for and what it did; ids and kinds only.
        log.info(
            "requeued %d failed outbox message(s) (ids %s, kind %s, since %s, school %s)",
            count,
            ",".join(map(str, ids)) or "any",
            kind or "any",
            since.isoformat() if since else "any time",
            school_key or "any",
        )
        return count
    finally:
        await app.close()


def describe_summary(summary: ChangeSummary, *, noun: str) -> str:
    if not summary.changed:
        return f"nothing changed ({summary.unchanged} {noun}(s) already up to date)."
    parts = [f"{len(summary.created)} created", f"{len(summary.updated)} updated"]
    return ", ".join(parts) + f", {summary.unchanged} unchanged."


def demo_file(name: str) -> Path:
    return Path(str(files("bot") / "demo_data" / name))


async def run_demo(
    database: Path,
    *,
    fresh: bool,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> None:
    if fresh and database.exists():
        database.unlink()
    settings = Settings(database_url=f"sqlite+aiosqlite:///{database}")
    await schema.upgrade(settings.database_url)
    for country in DEMO_COUNTRIES:
        spec = parse_school_file(demo_file(f"{country}.toml"))
        await apply_school_file(settings, demo_file(f"{country}.toml"))
        await import_roster_file(settings, spec.school.key, demo_file(f"{country}.csv"))
    app = await bootstrap.build(settings)
    try:
        await demo.play(app, database, read=read, write=write)
    finally:
        await app.close()
