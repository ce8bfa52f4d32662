"""`narvaro jobs list` and `narvaro jobs run`, as an operator runs them: a real process, the
demo schools of Sweden and Norway, a real database."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect

from bot import bootstrap, operator
from bot.files import parse_school_file
from bot.operator import demo_file
from bot.settings import Settings
from routine.calendar import is_school_day
from scheduler.jobs import JOBS
from scheduler.schedule import JOB_TABLE, sync_database_url
from tests.bot.process import MONDAY_MORNING, run_narvaro

SE, NO = "se-bjorkangen", "no-furulund"
SE_SCHOOL = parse_school_file(demo_file("se.toml")).school

LISTED = re.compile(
    r"^  (?P<name>\S+) +(?P<at>\d\d:\d\d|every \d+ min \d\d:\d\d-\d\d:\d\d) "
    r"(?P<days>school days|every day) +"
    r"next: (?P<local>\S+ \S+) (?P<zone>\S+) = (?P<utc>\S+ \S+) UTC$"
)
QUEUED = re.compile(r"(\d+) \S+ queued, (\d+) already queued")


@pytest.fixture
def run(migrated_database_url: str, tmp_path: Path):
    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_narvaro(*args, cwd=tmp_path, NARVARO_DATABASE_URL=migrated_database_url, **env)

    return run


@pytest.fixture
async def schools(migrated_database_url: str) -> None:
    """The Swedish and Norwegian demo schools (`school apply` itself is tested elsewhere)."""
    settings = Settings(database_url=migrated_database_url)
    for country in ("se", "no"):
        await operator.apply_school_file(settings, demo_file(f"{country}.toml"))


def assert_clean_failure(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def queued(result: subprocess.CompletedProcess[str]) -> tuple[int, int]:
    found = QUEUED.search(result.stdout)
    assert found is not None, result.stdout + result.stderr
    return int(found[1]), int(found[2])


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("command", [["jobs"], ["jobs", "list"], ["jobs", "run"]], ids=" ".join)
def test_the_jobs_commands_have_help(run, command: list[str]) -> None:
    result = run(*command, "--help")
    assert (result.returncode, result.stdout.startswith("Usage: narvaro")) == (0, True)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_run_help_names_every_job(run) -> None:
    assert all(name in run("jobs", "run", "--help").stdout for name in JOBS)


def test_jobs_list_shows_each_jobs_next_run_in_local_time_and_utc(run, schools) -> None:
    result = run("jobs", "list", "--school", SE)

    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stderr
    assert lines[0] == f"{SE} (Europe/Stockholm)"
    rows = [LISTED.match(line) for line in lines[1:]]
    assert all(rows), lines
    assert [row["name"] for row in rows] == list(JOBS)
    zone = ZoneInfo("Europe/Stockholm")
    for row in rows:
        job = JOBS[row["name"]]
        local = datetime.strptime(row["local"], "%Y-%m-%d %H:%M").replace(tzinfo=zone)
        utc = datetime.strptime(row["utc"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
        if job.every is not None:
            times = SE_SCHOOL.times
            window = f"{times.roll_call:%H:%M}-{times.end_of_day:%H:%M}"
            assert row["at"] == f"every {job.every.seconds // 60} min {window}"
        else:
            assert row["at"] == f"{job.local_time(SE_SCHOOL):%H:%M}" == f"{local:%H:%M}"
        assert (local == utc, row["zone"]) == (True, local.tzname())
        # An interval job may be due at this very moment.
        assert local >= datetime.fromisoformat(MONDAY_MORNING)
        assert row["days"] == ("school days" if job.school_days_only else "every day")
        if job.school_days_only:
            assert is_school_day(SE_SCHOOL, local.date()), row["local"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_jobs_list_without_a_school_lists_every_school(run, schools) -> None:
    result = run("jobs", "list")

    headers = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert headers == [f"{NO} (Europe/Oslo)", f"{SE} (Europe/Stockholm)"]
    assert len(result.stdout.splitlines()) == 2 + 2 * len(JOBS)


def test_running_a_job_twice_for_a_day_queues_nothing_twice(run, schools) -> None:
    # Monday 23 November 2026 is a school day; the Swedish demo school's two mentors are on Slack.
    first = run("jobs", "run", "roll-call", "--school", SE, "--date", "2026-11-23")
    second = run("jobs", "run", "roll-call", "--school", SE, "--date", "2026-11-23")

    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"roll-call at {SE} on 2026-11-23: ")
    count, already = queued(first)
    assert count > 0 and already == 0
    assert queued(second) == (0, count)


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("day", "why"),
    [("2026-11-21", "Saturday"), ("2026-11-22", "Sunday"), ("2026-10-28", "Wednesday")],
    ids=["saturday", "sunday", "autumn break"],
)
def test_a_day_without_school_is_refused_for_school_day_jobs(
    run, schools, day: str, why: str
) -> None:
    result = run("jobs", "run", "roll-call", "--school", SE, "--date", day)

    assert_clean_failure(
        result,
        f"roll-call runs on school days only, and it is not a school day at {SE} on {day} "
        f"({why}). Nothing was run; add --force to run it anyway.",
    )
    assert result.stdout == ""


@pytest.mark.parametrize("backend", ["sqlite"])
def test_force_runs_it_anyway(run, schools) -> None:
    result = run("jobs", "run", "roll-call", "--school", SE, "--date", "2026-11-21", "--force")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"roll-call at {SE} on 2026-11-21: ")
    assert queued(result)[0] > 0


@pytest.mark.parametrize("backend", ["sqlite"])
def test_for_every_school_nothing_runs_unless_it_is_a_school_day_at_each(run, schools) -> None:
    # 17 May 2027: Constitution Day in Norway, an ordinary Monday in Sweden.
    refused = run("jobs", "run", "roll-call", "--date", "2027-05-17")
    only_sweden = run("jobs", "run", "roll-call", "--school", SE, "--date", "2027-05-17")

    assert_clean_failure(refused, f"not a school day at {NO} on 2027-05-17", "--school KEY")
    assert SE not in refused.stderr
    assert queued(only_sweden)[1] == 0  # nothing had been queued by the refused run


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_every_day_job_runs_for_every_school_as_of_its_today(run, schools) -> None:
    result = run("jobs", "run", "retention")

    assert result.returncode == 0, result.stderr
    assert [line.split(" on ")[0] for line in result.stdout.splitlines()] == [
        f"retention at {NO}",
        f"retention at {SE}",
    ]
    today = datetime.fromisoformat(MONDAY_MORNING).astimezone(ZoneInfo("Europe/Oslo")).date()
    assert f"retention at {NO} on {today:%Y-%m-%d}: deleted before" in result.stdout


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["run", "roll-cal"],
            "unknown job 'roll-cal'; the jobs are: " + ", ".join(JOBS),
        ),
        (["run", "retention", "--school", "se-nope"], "no school with the key 'se-nope'"),
        (["list", "--school", "se-nope"], "no school with the key 'se-nope'"),
        (
            ["run", "retention", "--date", "2026-02-30"],
            "Invalid value for '--date': '2026-02-30' does not match the format '%Y-%m-%d'",
        ),
        (["run", "retention", "--date", "23/11/2026"], "Invalid value for '--date'"),
    ],
    ids=["unknown job", "unknown school", "list unknown school", "no such date", "format"],
)
def test_mistakes_are_explained(run, schools, args: list[str], expected: str) -> None:
    assert_clean_failure(run("jobs", *args), expected)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_without_schools_there_is_nothing_to_run(run) -> None:
    assert_clean_failure(run("jobs", "list"), "there are no schools yet")


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_misfire_grace_time_must_be_positive(run) -> None:
    result = run("jobs", "list", NARVARO_MISFIRE_GRACE_SECONDS="0")

    assert_clean_failure(result, "NARVARO_MISFIRE_GRACE_SECONDS")


# In process, with a fixed clock


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


async def test_the_listed_next_runs_follow_dst_and_the_break(
    migrated_database_url: str, schools: None
) -> None:
    settings = Settings(database_url=migrated_database_url)
    # Friday 23 October 2026, noon in Stockholm. The clocks go back on Sunday the 25th, and the
    # autumn break is the week after: school-day jobs next run on Monday 2 November.
    friday_noon = FixedClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))

    [schedule] = await operator.list_jobs(settings, SE, clock=friday_noon)

    runs = {planned.job.name: planned.next_run for planned in schedule.jobs}
    assert runs["roll-call"] is not None and runs["retention"] is not None
    assert runs["roll-call"].astimezone(UTC) == datetime(2026, 11, 2, 7, 15, tzinfo=UTC)
    assert (runs["roll-call"].date(), runs["roll-call"].time()) == (date(2026, 11, 2), time(8, 15))
    assert runs["retention"].astimezone(UTC) == datetime(2026, 10, 24, 1, 30, tzinfo=UTC)


async def test_run_jobs_reports_each_result_as_it_comes(
    migrated_database_url: str, schools: None
) -> None:
    settings = Settings(database_url=migrated_database_url)
    reported = []
    monday = FixedClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))

    results = await operator.run_jobs(settings, "end-of-day", clock=monday, report=reported.append)

    assert reported == results
    assert [(r.school_key, r.day) for r in results] == [
        (NO, date(2026, 11, 23)),
        (SE, date(2026, 11, 23)),
    ]


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_composition_root_wires_the_job_context_and_the_school_clock(
    migrated_database_url: str,
) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 6, 0, tzinfo=UTC))
    app = await bootstrap.build(
        Settings(database_url=migrated_database_url, misfire_grace_seconds=77), clock=clock
    )
    try:
        running = bootstrap.school_clock(app)
        await running.start()
        await running.stop()
        async with app.db_engine.connect() as connection:
            tables = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await app.close()

    assert (app.job_context.uow_factory, app.job_context.clock) == (app.uow_factory, clock)
    assert running.misfire_grace_seconds == 77
    assert running.job_store.engine.url.render_as_string(False) == sync_database_url(
        migrated_database_url
    )
    assert JOB_TABLE in tables
