"""The contract of case plans on the fakes, SQLite and PostgreSQL: versions read back, two
saves of one version store one, the pupil's agreement and a guardian's confirmation are
recorded once, and a plan goes with its case at retention."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.cases import Case, close
from routine.plans import Plan, PlanRow, Responsible
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, committed, read

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)


@pytest.fixture
async def case_id(store: UnitOfWorkFactory) -> int:
    """The id of an open case for p1, in the shared store."""
    [case] = await committed(
        store,
        lambda u: u.cases.add_new([Case(EKBACKA.key, "p1", "se.step2", NOW, "rule:se.step2")]),
    )
    return case.id


def plan(case_id: int, version: int = 1, goal: str = "Eleven är i skolan varje dag") -> Plan:
    return Plan(
        EKBACKA.key,
        case_id,
        version,
        "Eleven har svårt med morgnarna.",
        goal,
        (
            PlanRow(
                "Komma i tid", "Väckning kl. 7", Responsible.GUARDIANS, "", date(2026, 12, 11)
            ),
            PlanRow("Trivas i klassen", "Samtal varje vecka", Responsible.STAFF, "s1"),
        ),
        date(2026, 12, 7),
        date(2027, 2, 26),
        date(2027, 1, 22),
        "s1",
        NOW,
    )


async def test_versions_read_back(uow_factory: UnitOfWorkFactory, case_id: int) -> None:
    first = await committed(uow_factory, lambda u: u.plans.add_version(plan(case_id)))
    second = await committed(
        uow_factory, lambda u: u.plans.add_version(plan(case_id, 2, "Närvaro över 90 %"))
    )
    assert first == dataclasses.replace(plan(case_id), id=first.id)
    assert await read(uow_factory, lambda u: u.plans.get(first.id)) == first
    assert await read(uow_factory, lambda u: u.plans.versions(case_id)) == [first, second]
    assert await read(uow_factory, lambda u: u.plans.latest_of([case_id, case_id + 99])) == {
        case_id: second
    }
    assert await read(uow_factory, lambda u: u.plans.get(second.id + 99)) is None


async def test_two_saves_of_one_version_store_one(
    uow_factory: UnitOfWorkFactory, case_id: int
) -> None:
    results = await asyncio.gather(
        *(committed(uow_factory, lambda u: u.plans.add_version(plan(case_id))) for _ in range(3))
    )
    assert sum(r is not None for r in results) == 1
    assert len(await read(uow_factory, lambda u: u.plans.versions(case_id))) == 1


async def test_agreement_and_confirmations_are_recorded_once(
    uow_factory: UnitOfWorkFactory, case_id: int
) -> None:
    stored = await committed(uow_factory, lambda u: u.plans.add_version(plan(case_id)))
    later = NOW + timedelta(hours=1)
    agreed = [
        await committed(
            uow_factory, lambda u, by=by: u.plans.record_pupil_agreement(stored.id, by, later)
        )
        for by in ("s1", "s2")
    ]
    assert agreed == [True, False]
    again = await read(uow_factory, lambda u: u.plans.get(stored.id))
    assert (again.pupil_agreed_by, again.pupil_agreed_at) == ("s1", later)
    confirmed = [
        await committed(uow_factory, lambda u, g=g: u.plans.confirm(stored.id, g, later))
        for g in ("g1", "g1", "g2")
    ]
    assert confirmed == [True, False, True]
    assert not await committed(uow_factory, lambda u: u.plans.confirm(stored.id + 99, "g1", NOW))
    found = await read(uow_factory, lambda u: u.plans.confirmations([stored.id]))
    assert [(c.guardian_id, c.at) for c in found[stored.id]] == [("g1", later), ("g2", later)]


async def test_a_plan_goes_with_its_closed_case(
    uow_factory: UnitOfWorkFactory, case_id: int
) -> None:
    stored = await committed(uow_factory, lambda u: u.plans.add_version(plan(case_id)))
    await committed(uow_factory, lambda u: u.plans.confirm(stored.id, "g1", NOW))
    case = await read(uow_factory, lambda u: u.cases.get(case_id))
    await committed(uow_factory, lambda u: u.cases.update(close(case, NOW)))
    deleted = await committed(
        uow_factory, lambda u: u.cases.delete_closed_before(EKBACKA.key, NOW + timedelta(days=1))
    )
    assert deleted == 1
    assert await read(uow_factory, lambda u: u.plans.versions(case_id)) == []
    assert await read(uow_factory, lambda u: u.plans.confirmations([stored.id])) == {}
