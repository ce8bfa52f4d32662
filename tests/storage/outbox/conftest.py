"""The outbox's contract runs on the fakes, SQLite and PostgreSQL, each test with `add` and with
`add_many` (one message a call): a job's bulk writes keep every rule of the one-message write,
supersession and comparison with the slot included."""

from __future__ import annotations

import pytest

from routine.ports import UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.outbox.support import ADDING
from tests.storage.support import committed, save_schools_and_people


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    await committed(uow_factory, save_schools_and_people)
    return uow_factory


@pytest.fixture(autouse=True, params=("add", "add_many"))
def adding(request: pytest.FixtureRequest):
    ADDING["how"] = request.param
    yield request.param
    ADDING["how"] = "add"
