"""The clock runs the schools due at the same minute together: one `run_many` call for a group
of schools with the same trigger, the schools without school that day left out, and one school at
a time when the run together fails.

The fake job records its calls (each `run_many` with its keys, each `run` with its key) instead
of doing anything (`support`); the clock is the test's. The stored schedule is in
`test_schedule.py`.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler import together
from scheduler.clock import run_scheduled_group
from scheduler.jobs import Job, JobResult
from scheduler.metrics import Metrics
from scheduler.triggers import group_key, trigger_for
from tests.scheduler.clock.groups.support import (
    DAY_OFF,
    LATER,
    OSLO_SCHOOL,
    PERSONAL,
    RAISED_MANY,
    RAISED_ONE,
    STOCKHOLM,
    STOCKHOLM_NINE,
    TIMES,
    WEDNESDAY,
    A,
    B,
    CountingFactory,
    ManyRecorder,
    school,
)
from tests.scheduler.clock.support import FixedClock


def runs(metrics: Metrics, outcome: str) -> float:
    found = metrics.registry.get_sample_value(
        "narvaro_job_runs_total", {"job": "prompt", "outcome": outcome}
    )
    return found or 0.0


def timed(metrics: Metrics) -> float:
    found = metrics.registry.get_sample_value("narvaro_job_seconds_count", {"job": "prompt"})
    return found or 0.0


# Groups


def test_schools_with_the_same_zone_and_time_share_a_group_and_others_do_not(job: Job) -> None:
    assert group_key(job, A) == group_key(job, B) == "Europe/Stockholm 09:00"
    assert group_key(job, OSLO_SCHOOL) == "Europe/Oslo 09:00"
    assert group_key(job, LATER) == "Europe/Stockholm 09:30"
    # The calendar is not part of the trigger: it is read when the group's job fires.
    assert group_key(job, DAY_OFF) == group_key(job, A)


def test_a_group_is_only_made_of_schools_with_the_same_trigger(job: Job) -> None:
    with_seconds = school("se-s", times=replace(TIMES, unreported_prompt=time(9, 0, 30)))

    assert group_key(job, with_seconds) == "Europe/Stockholm 09:00:30"
    for each in (OSLO_SCHOOL, LATER, with_seconds):
        assert repr(trigger_for(job, each)) != repr(trigger_for(job, A))
    assert repr(trigger_for(job, B)) == repr(trigger_for(job, A))


# Running a group


async def test_two_schools_with_the_same_time_run_in_one_run_many_call(
    registered: FixedClock,
    recorder: ManyRecorder,
    world: CountingFactory,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="scheduler")

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    # The day-off school is in the group but left out; Oslo and 09:30 are other groups.
    due = ("se-a", "se-b", "se-c", "se-v10")
    assert recorder.many_calls == [due]
    assert recorder.one_calls == []
    assert results == [JobResult(key, WEDNESDAY, "many ran") for key in due]
    # The schools were read once for the whole group.
    assert world.opened == 1
    assert [m for m in caplog.messages if m.startswith("prompt at se-")] == [
        "prompt at se-ledig skipped: 2026-11-25 is not a school day",
        "prompt at se-a on 2026-11-25: many ran",
        "prompt at se-b on 2026-11-25: many ran",
        "prompt at se-c on 2026-11-25: many ran",
        "prompt at se-v10 on 2026-11-25: many ran",
    ]
    # Each school counts as a run; the run together is timed once.
    assert (runs(metrics, "ok"), runs(metrics, "error"), timed(metrics)) == (4, 0, 1)


async def test_other_zones_and_times_are_separate_groups(
    registered: FixedClock, recorder: ManyRecorder
) -> None:
    await run_scheduled_group("prompt", "Europe/Stockholm 09:30")
    # Nine in Oslo is nine in Stockholm: the same instant, still a group of its own.
    await run_scheduled_group("prompt", "Europe/Oslo 09:00")

    # A group of one runs the school's own run.
    assert recorder.one_calls == ["se-later", "no-a"]
    assert recorder.many_calls == []


@pytest.mark.parametrize(
    ("day", "ran"),
    [
        # The others' sports break: only the school with its break in week 10 has school.
        (date(2026, 2, 25), ["se-v10"]),
        # Its own sports break: the others have school, and run together without it.
        (date(2026, 3, 4), [("se-a", "se-b", "se-c", "se-ledig")]),
        # May Day: a public holiday for all of them.
        (date(2026, 5, 1), []),
    ],
)
async def test_a_school_without_school_that_day_is_left_out_of_its_groups_run(
    registered: FixedClock, recorder: ManyRecorder, day: date, ran: list[object]
) -> None:
    nine = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(STOCKHOLM))
    registered.moment = nine.astimezone(UTC)

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    assert [*recorder.many_calls, *recorder.one_calls] == ran
    assert {r.day for r in results} <= {day}


async def test_a_group_whose_schools_all_left_runs_nothing(
    registered: FixedClock, recorder: ManyRecorder, world: CountingFactory
) -> None:
    assert await run_scheduled_group("prompt", "Europe/Stockholm 07:45") == []

    assert (recorder.many_calls, recorder.one_calls) == ([], [])
    assert world.opened == 1


# One school's failure costs only itself


async def test_a_failed_run_together_runs_the_schools_one_by_one(
    registered: FixedClock,
    recorder: ManyRecorder,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder.failing = {"se-b"}
    caplog.set_level(logging.INFO, logger="scheduler")

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    assert recorder.many_calls == [("se-a", "se-b", "se-c", "se-v10")]
    assert recorder.one_calls == ["se-a", "se-b", "se-c", "se-v10"]
    assert [(r.school_key, r.summary) for r in results] == [
        ("se-a", "one ran"),
        ("se-c", "one ran"),
        ("se-v10", "one ran"),
    ]
    # Counted per school, the failed run together not at all.
    assert (runs(metrics, "ok"), runs(metrics, "error"), timed(metrics)) == (3, 1, 4)
    failures = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in failures] == [
        f"prompt for 4 schools together on 2026-11-25 failed (RuntimeError at {RAISED_MANY}); "
        "running them one by one",
        f"prompt at se-b on 2026-11-25 failed: RuntimeError at {RAISED_ONE}",
    ]
    assert "prompt at se-c on 2026-11-25: one ran" in caplog.messages
    # Nothing of the error's message, nor a traceback, reaches the logs.
    assert not any(r.exc_info or r.exc_text for r in caplog.records)
    assert PERSONAL not in caplog.text


async def test_a_failed_school_alone_in_its_group_is_logged_and_counted(
    registered: FixedClock,
    recorder: ManyRecorder,
    metrics: Metrics,
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorder.failing = {"se-later"}

    assert await run_scheduled_group("prompt", "Europe/Stockholm 09:30") == []

    assert (recorder.many_calls, recorder.one_calls) == ([], ["se-later"])
    assert (runs(metrics, "ok"), runs(metrics, "error")) == (0, 1)
    assert f"prompt at se-later on 2026-11-25 failed: RuntimeError at {RAISED_ONE}" in (
        caplog.messages
    )
    assert PERSONAL not in caplog.text


# A large group runs in slices


async def test_a_large_group_runs_in_slices_and_a_failure_costs_only_its_slice(
    registered: FixedClock,
    recorder: ManyRecorder,
    metrics: Metrics,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(together, "SCHOOLS_AT_ONCE", 2)
    recorder.failing = {"se-c"}

    results = await run_scheduled_group("prompt", STOCKHOLM_NINE)

    # Two runs together of two schools each; only the failed slice's schools run alone.
    assert recorder.many_calls == [("se-a", "se-b"), ("se-c", "se-v10")]
    assert recorder.one_calls == ["se-c", "se-v10"]
    assert [(r.school_key, r.summary) for r in results] == [
        ("se-a", "many ran"),
        ("se-b", "many ran"),
        ("se-v10", "one ran"),
    ]
    assert (runs(metrics, "ok"), runs(metrics, "error")) == (3, 1)
