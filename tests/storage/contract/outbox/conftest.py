"""The outbox's contract (on the fakes, SQLite and PostgreSQL, as ../conftest.py says) runs each
test with `add` and with `add_many` (one message a call): a job's bulk writes keep every rule of
the one-message write, supersession and comparison with the slot included."""

from __future__ import annotations

import pytest

from tests.storage.contract.outbox.support import ADDING


@pytest.fixture(autouse=True, params=("add", "add_many"))
def adding(request: pytest.FixtureRequest):
    ADDING["how"] = request.param
    yield request.param
    ADDING["how"] = "add"
