"""The clock's fixtures: the fake jobs, the three schools saved, the jobs registered as the
composition root would, and a scheduler that stores jobs and runs none."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, time

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler import clock as school_clock
from scheduler.jobs import Job, JobContext
from scheduler.schedule import PERSISTENT
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.clock.support import DK, NO, SE, FixedClock, Recorder


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def fake_jobs(recorder: Recorder) -> dict[str, Job]:
    return {
        "prompt": recorder.job("prompt"),
        "night": recorder.job("night", time(3, 30), school_days_only=False),
    }


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        for each in (SE, NO, DK):
            await uow.schools.save(each)
        await uow.commit()
    return factory


@pytest.fixture
def registered(world: FakeUnitOfWorkFactory, fake_jobs: dict[str, Job]) -> Iterator[FixedClock]:
    """The fake jobs registered as the composition root would; the clock is the test's."""
    fixed = FixedClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    school_clock.register(JobContext(uow_factory=world, clock=fixed), fake_jobs)
    yield fixed
    school_clock.unregister()


@pytest.fixture
async def paused() -> AsyncIterator[AsyncIOScheduler]:
    """Started but paused: jobs go into the store and nothing runs."""
    started = AsyncIOScheduler(jobstores={PERSISTENT: MemoryJobStore()}, timezone=UTC)
    started.start(paused=True)
    yield started
    started.shutdown(wait=False)
    while started.running:
        await asyncio.sleep(0)
