"""The dispatcher's tests run on the fakes and on one fake clock that also sleeps
(tests/scheduler/support.py), so backoff, rate limits and leases take no real time."""

from __future__ import annotations

import pytest

from tests.scheduler.support import FakeTime


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()
