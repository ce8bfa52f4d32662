"""The repositories' contract runs on the fakes, SQLite and PostgreSQL alike: whatever passes
here on the fakes behaves the same on the real databases. Each test starts from a store that
already holds two schools and their people."""

from __future__ import annotations

import pytest

from routine.ports import UnitOfWorkFactory
from tests.conftest import BACKENDS
from tests.storage.support import committed, save_schools_and_people


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    # Overrides the conftest's backend: the fakes take the same contract as the databases.
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The unit-of-work factory, on a store that already holds two schools and their people."""
    await committed(uow_factory, save_schools_and_people)
    return uow_factory
