"""Two schedulers, one clock: exactly one process leads, and another takes over when it dies."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.leadership import ClockLeadership
from storage.db import make_engine

EVERY = timedelta(seconds=0.05)


class Clock:
    def __init__(self) -> None:
        self.running = False
        self.starts = 0

    async def start(self) -> None:
        self.running, self.starts = True, self.starts + 1

    async def stop(self) -> None:
        self.running = False


async def wait_for(condition, seconds: float = 5) -> None:
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), seconds)


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_one_process_runs_the_clock_and_another_takes_over(
    migrated_database_url: str,
) -> None:
    engines = [make_engine(migrated_database_url) for _ in range(2)]
    clocks = [Clock(), Clock()]
    stops = [asyncio.Event(), asyncio.Event()]
    leaders = [
        ClockLeadership(engine, start=clock.start, stop=clock.stop, every=EVERY)
        for engine, clock in zip(engines, clocks, strict=True)
    ]
    tasks = [
        asyncio.create_task(lead.run(stop)) for lead, stop in zip(leaders, stops, strict=True)
    ]
    try:
        await wait_for(lambda: any(c.running for c in clocks))
        await asyncio.sleep(EVERY.total_seconds() * 5)
        assert [c.running for c in clocks].count(True) == 1
        first = next(i for i, c in enumerate(clocks) if c.running)
        other = 1 - first
        # The leader dies: its connections go, and the lock with them.
        tasks[first].cancel()
        await asyncio.gather(tasks[first], return_exceptions=True)
        await engines[first].dispose()
        await wait_for(lambda: clocks[other].running)
        assert clocks[other].starts == 1
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        for engine in engines:
            await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_on_sqlite_the_one_process_leads_at_once(migrated_database_url: str) -> None:
    engine = make_engine(migrated_database_url)
    clock, stop = Clock(), asyncio.Event()
    task = asyncio.create_task(
        ClockLeadership(engine, start=clock.start, stop=clock.stop, every=EVERY).run(stop)
    )
    await wait_for(lambda: clock.running)
    stop.set()
    await task
    assert not clock.running
    await engine.dispose()
