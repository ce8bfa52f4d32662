"""The registry of the daily jobs: each runs at the school's times, and a school that does not
exist is refused."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from scheduler.jobs import JOBS, JobContext
from scheduler.morning import UnknownSchool
from tests.scheduler.jobs.support import MONDAY, SCHOOL, Clock


def test_jobs_run_at_the_school_s_times() -> None:
    assert {name: job.local_time(SCHOOL) for name, job in JOBS.items()} == {
        "platform-locales": time(7, 15),
        "roll-call": time(8, 15),
        "roll-call-reminder": time(8, 45),
        "unreported-absences": time(9, 0),
        "end-of-day": time(16, 0),
        "evaluate-thresholds": time(16, 30),
        "retention": time(3, 30),
        "leave-reminder": time(8, 15),
        "case-reminders": time(8, 15),
        "nothing-new": time(8, 15),
        "contact-escalation": time(8, 15),
    }
    assert [n for n, job in JOBS.items() if not job.school_days_only] == ["retention"]
    assert [(n, job.every) for n, job in JOBS.items() if job.every] == [
        ("contact-escalation", timedelta(minutes=5))
    ]


async def test_an_unknown_school_is_refused(factory) -> None:
    with pytest.raises(UnknownSchool):
        await JOBS["end-of-day"].run(JobContext(factory, Clock()), "nowhere", MONDAY)
