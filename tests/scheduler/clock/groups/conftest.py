"""The clock's group tests' fixtures, in place of the single schools' (`../conftest.py`): a
job that runs several schools at once and records its calls, the schools that share their times
or not, and that job registered with the test's clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from scheduler import clock as school_clock
from scheduler.jobs import Job, JobContext
from scheduler.metrics import Metrics
from tests.scheduler.clock.groups.support import (
    STOCKHOLM,
    WEDNESDAY,
    CountingFactory,
    ManyRecorder,
    world_of_schools,
)
from tests.scheduler.clock.support import FixedClock


@pytest.fixture
def recorder() -> ManyRecorder:
    return ManyRecorder()


@pytest.fixture
def job(recorder: ManyRecorder) -> Job:
    return recorder.job()


@pytest.fixture
async def world() -> CountingFactory:
    return await world_of_schools()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
def registered(world: CountingFactory, job: Job, metrics: Metrics) -> Iterator[FixedClock]:
    nine = datetime.combine(WEDNESDAY, time(9, 0), tzinfo=ZoneInfo(STOCKHOLM))
    fixed = FixedClock(nine.astimezone(UTC))
    school_clock.register(JobContext(world, fixed, metrics), {job.name: job})
    yield fixed
    school_clock.unregister()
