"""The nightly job decides with Python's cyclic collector paused (`scheduler.gc_pause`)."""

from __future__ import annotations

import gc

import pytest

from scheduler import jobs
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.test_evaluate_thresholds import run, set_up


async def test_the_job_decides_with_the_cyclic_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The night's hits are decided in memory with the collector off (`scheduler.gc_pause`):
    the job's whole unit of work, the cases told of them too; on again after, also where the
    job fails."""
    factory = FakeUnitOfWorkFactory()
    await set_up(factory)
    seen: list[tuple[str, bool]] = []

    def spying(name, function):
        async def spy(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return await function(*args, **kwargs)

        return spy

    monkeypatch.setattr(jobs, "evaluate_thresholds", spying("evaluate", jobs.evaluate_thresholds))
    monkeypatch.setattr(jobs, "open_cases", spying("cases", jobs.open_cases))
    assert gc.isenabled()
    await run(factory)
    assert seen == [("evaluate", False), ("cases", False)]
    assert gc.isenabled()

    async def failing(*args, **kwargs):
        raise RuntimeError("a bug on one school's data")

    monkeypatch.setattr(jobs, "evaluate_thresholds", failing)
    with pytest.raises(RuntimeError):
        await run(factory)
    assert gc.isenabled()
