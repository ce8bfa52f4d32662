"""What the CLI's commands do, one function per command, each building what it needs.

Kept apart from `cli.py` so that click stays about arguments and output, and so that the
tests can call the same code the commands call.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files
from pathlib import Path

from bot import audit, bootstrap, demo, demo_history
from bot.attendance_view import default_period, describe_record
from bot.console import chat_as, link_console_account
from bot.errors import OperatorError
from bot.files import parse_roster_csv, parse_school_file
from bot.files.register_csv import Progress as RowProgress
from bot.files.register_csv import parse_register_csv
from bot.settings import Settings
from routine.history import record_of
from routine.invites import InviteRefused, issue_invite, issue_invites
from routine.model import School
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.policy import describe_rule, rules_for
from routine.ports import Clock
from routine.register_import import RegisterImportSummary, import_register, register_check
from routine.roster import apply_school, import_roster
from routine.setup import ChangeSummary, Progress, no_progress
from scheduler.clock import local_day, next_run, run_job, runs_on
from scheduler.jobs import JOBS, Job, JobResult
from storage import schema
from storage.db import optimize

DEMO_COUNTRIES = ("se", "no", "dk")
WAL_FILES = ("-wal", "-shm")


async def upgrade_database(settings: Settings) -> str:
    await schema.upgrade(settings.database_url)
    return schema.head_revision()


async def database_status(settings: Settings) -> tuple[str | None, str]:
    return await schema.current_revision(settings.database_url), schema.head_revision()


# A file longer than this shows its progress, and refreshes the statistics once written.
BIG_FILE_LINES = 10_000
ROSTER_TABLES = ("pupils", "guardians", "guardian_pupils")
SCHOOL_TABLES = ("classes", "staff", "staff_roles", "staff_classes")


async def apply_school_file(
    settings: Settings, path: Path, *, progress: Progress = no_progress
) -> tuple[str, ChangeSummary]:
    """`progress` is told about the writes if the file has more than BIG_FILE_LINES lines."""
    big = _lines(path) > BIG_FILE_LINES
    with _without_gc_pauses():
        spec = parse_school_file(path)
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            with _without_gc_pauses():
                summary = await apply_school(uow, spec, progress=progress if big else no_progress)
        if big:
            await optimize(app.db_engine, SCHOOL_TABLES)
        return spec.school.key, summary
    finally:
        await app.close()


async def import_roster_file(
    settings: Settings, school_key: str, path: Path, *, progress: Progress = no_progress
) -> ChangeSummary:
    """`progress` is told about the writes if the file has more than BIG_FILE_LINES lines."""
    big = _lines(path) > BIG_FILE_LINES
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            classes = [c.name for c in await uow.classes.list_for(school_key)]
            with _without_gc_pauses():
                rows = parse_roster_csv(path, classes)
                if big:
                    progress("lines read and checked", len(rows), len(rows))
                summary = await import_roster(
                    uow, school_key, rows, progress=progress if big else no_progress
                )
        if big:
            await optimize(app.db_engine, ROSTER_TABLES)
        return summary
    finally:
        await app.close()


async def import_register_file(
    settings: Settings,
    school_key: str,
    path: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    progress: RowProgress | None = None,
) -> RegisterImportSummary:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            now = app.clock.now()
            today = local_day(school, now)
            check = await register_check(uow, school, today)
            rows = parse_register_csv(path, check, progress)
            return await import_register(
                uow,
                school_key,
                rows,
                today=today,
                now=now,
                start=start,
                end=end,
            )
    finally:
        await app.close()


def describe_register_import(summary: RegisterImportSummary) -> list[str]:
    """The import's outcome for the operator, one line per thing worth knowing."""
    lines = [
        f"{summary.start} to {summary.end}, {summary.school_days} school day(s): "
        f"{summary.added} mark(s) added, {summary.updated} updated, {summary.removed} removed, "
        f"{summary.already_imported} already imported."
    ]
    if summary.class_days_recorded or summary.class_days_not_taken:
        recorded = summary.class_days_recorded + summary.class_days_not_taken
        lines.append(
            f"{recorded} class day(s) recorded as imported ({summary.class_days_not_taken} "
            "of them had a roll call nobody took)."
        )
    if summary.class_days_submitted:
        lines.append(
            f"{summary.class_days_submitted} class day(s) keep the roll call a mentor submitted."
        )
    for why, count in sorted(summary.left_alone.items()):
        lines.append(f"{count} row(s) left alone: {why}.")
    if not summary.changed:
        lines.append("Nothing changed.")
    return lines


async def attendance_record(
    settings: Settings,
    school_key: str,
    pupil_id: str,
    start: date | None = None,
    end: date | None = None,
) -> list[str]:
    """One pupil's record, day by day, and its totals, as lines for the operator."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            pupil = await uow.pupils.get(school_key, pupil_id)
            if pupil is None:
                raise OperatorError(f"no pupil {pupil_id!r} at {school_key}")
            default_start, default_end = default_period(school, local_day(school, app.clock.now()))
            start = start if start is not None else default_start
            end = end if end is not None else default_end
            if start > end:
                raise OperatorError(f"the period starts on {start}, after its end {end}")
            found = await record_of(uow, school, start, end, [pupil])
        audit.record("attendance show", school=school_key, pupil_id=pupil_id, start=start, end=end)
        return describe_record(school, pupil, start, end, found[pupil.pupil_id])
    finally:
        await app.close()


async def policy_lines(settings: Settings, school_key: str) -> list[str]:
    """Each of the school's rules on one line (`routine.policy.describe_rule`)."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
        if school is None:
            raise OperatorError(f"no school with the key {school_key!r}")
        return [describe_rule(rule) for rule in rules_for(school)]
    finally:
        await app.close()


@contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection while a file is imported. Building 100,000s of small
    objects that all stay alive sets off full collections again and again, which find nothing
    to free and took almost half of a big roster's time. Reference counting still frees
    everything else; the collector catches up once the import is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


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
        audit.record("invite", school=school_key, guardian_id=guardian_id)
        return code, invite.expires_at.astimezone()
    finally:
        await app.close()


@dataclass(frozen=True)
class IssuedInvite:
    guardian_id: str
    guardian_name: str
    pupils: str
    code: str
    expires_at: datetime


async def issue_invites_to_unlinked(
    settings: Settings, school_key: str, class_name: str | None, ttl: timedelta
) -> list[IssuedInvite]:
    """A new code for every guardian of the school (of the class, if given) whose chat is not
    linked yet; their earlier unused codes stop working."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            pupils = {p.pupil_id: p for p in await uow.pupils.list_for_school(school_key)}
            if class_name is not None:
                classes = {c.name for c in await uow.classes.list_for(school_key)}
                if class_name not in classes:
                    raise OperatorError(f"no class {class_name!r} at {school_key}")
                pupils = {i: p for i, p in pupils.items() if p.class_name == class_name}
            guardians = await uow.school_day.guardians_of(school_key, list(pupils))
            linked = {
                a.person_id
                for a in await uow.school_day.chat_accounts(
                    school_key, "guardian", [g.guardian_id for g in guardians]
                )
                if a.platform == "telegram"
            }
            waiting = [g for g in guardians if g.guardian_id not in linked]
            issued = await issue_invites(
                uow,
                school_key=school_key,
                guardian_ids=[g.guardian_id for g in waiting],
                now=app.clock.now(),
                ttl=ttl,
            )
        audit.record("invites", school=school_key, **{"class": class_name}, issued=len(issued))
        by_id = {g.guardian_id: g for g in waiting}
        return [
            IssuedInvite(
                guardian_id,
                by_id[guardian_id].name,
                "; ".join(
                    f"{pupils[p].name} ({pupils[p].class_name})"
                    for p in by_id[guardian_id].pupil_ids
                    if p in pupils
                ),
                code,
                invite.expires_at.astimezone(),
            )
            for guardian_id, code, invite in issued
        ]
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
        # The audit trail: who asked for what, and what it did; ids and kinds only.
        audit.record(
            "outbox requeue",
            school=school_key or "any",
            ids=",".join(map(str, ids)) or "any",
            kind=kind or "any",
            since=since.isoformat() if since else "any",
            requeued=count,
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
        await demo_history.seed_history(app.uow_factory, app.clock)
        await demo.play(app, database, read=read, write=write)
    finally:
        await app.close()
