"""The contract of leave requests on the fakes, SQLite and PostgreSQL (see
test_repository_contract): what is added reads back, a decision is a compare-and-set, and the
lists and retention select by school, days, pupils and status."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date, timedelta

from routine.leave import LeaveRequest, LeaveStatus
from routine.ports import UnitOfWorkFactory
from tests.storage.contract.world import DAY, NOW
from tests.storage.support import EKBACKA, FJELL, committed, read


def request_for(
    pupil_id: str = "p1", first: date = DAY, last: date = DAY, school: str = EKBACKA.key
) -> LeaveRequest:
    return LeaveRequest(school, pupil_id, "g1", first, last, "Bröllop i Kiruna", NOW)


async def test_a_request_reads_back_as_added(store: UnitOfWorkFactory) -> None:
    added = await committed(store, lambda u: u.leave_requests.add(request_for()))
    assert added.id is not None
    assert await read(store, lambda u: u.leave_requests.get(added.id)) == added
    assert added == dataclasses.replace(request_for(), id=added.id)
    assert await read(store, lambda u: u.leave_requests.get(added.id + 1000)) is None


async def test_only_the_first_decision_counts(store: UnitOfWorkFactory) -> None:
    added = await committed(store, lambda u: u.leave_requests.add(request_for()))
    later = NOW + timedelta(hours=1)

    first = await committed(
        store,
        lambda u: u.leave_requests.decide(
            added.id, status=LeaveStatus.GRANTED, by="s3", at=later, comment="Trevlig resa"
        ),
    )
    second = await committed(
        store,
        lambda u: u.leave_requests.decide(added.id, status=LeaveStatus.REFUSED, by="s4", at=NOW),
    )
    missing = await committed(
        store,
        lambda u: u.leave_requests.decide(
            added.id + 1000, status=LeaveStatus.REFUSED, by="s4", at=NOW
        ),
    )

    assert (first, second, missing) == (True, False, False)
    assert await read(store, lambda u: u.leave_requests.get(added.id)) == dataclasses.replace(
        added,
        status=LeaveStatus.GRANTED,
        decided_by="s3",
        decided_at=later,
        comment="Trevlig resa",
    )


async def test_two_decisions_at_once_one_wins(store: UnitOfWorkFactory) -> None:
    added = await committed(store, lambda u: u.leave_requests.add(request_for()))

    async def decide(status: LeaveStatus, by: str) -> bool:
        return await committed(
            store, lambda u: u.leave_requests.decide(added.id, status=status, by=by, at=NOW)
        )

    results = await asyncio.gather(
        decide(LeaveStatus.GRANTED, "s3"), decide(LeaveStatus.REFUSED, "s4")
    )
    stored = await read(store, lambda u: u.leave_requests.get(added.id))
    assert sorted(results) == [False, True]
    winner = "s3" if results[0] else "s4"
    assert stored.decided_by == winner


async def test_reminded_requests_keep_when(store: UnitOfWorkFactory) -> None:
    one = await committed(store, lambda u: u.leave_requests.add(request_for()))
    two = await committed(store, lambda u: u.leave_requests.add(request_for("p3")))
    await committed(store, lambda u: u.leave_requests.mark_reminded([one.id], NOW))
    await committed(store, lambda u: u.leave_requests.mark_reminded([], NOW))

    assert (await read(store, lambda u: u.leave_requests.get(one.id))).reminded_at == NOW
    assert (await read(store, lambda u: u.leave_requests.get(two.id))).reminded_at is None


async def test_lists_select_by_school_days_pupils_and_status(store: UnitOfWorkFactory) -> None:
    async def add(u):
        return [
            await u.leave_requests.add(request)
            for request in (
                request_for("p1", DAY, DAY + timedelta(days=2)),
                request_for("p3", DAY + timedelta(days=3), DAY + timedelta(days=4)),
                request_for("p1", DAY - timedelta(days=5), DAY - timedelta(days=1)),
                request_for("p1", DAY, DAY, school=FJELL.key),
            )
        ]

    spans, later, earlier, other_school = await committed(store, add)
    await committed(
        store,
        lambda u: u.leave_requests.decide(spans.id, status=LeaveStatus.GRANTED, by="s", at=NOW),
    )

    def ids(requests: list[LeaveRequest]) -> list[int | None]:
        return [r.id for r in requests]

    monday_to_thursday = await read(
        store,
        lambda u: u.leave_requests.list_between(EKBACKA.key, DAY, DAY + timedelta(days=3)),
    )
    assert ids(monday_to_thursday) == [spans.id, later.id]
    only_p3 = await read(
        store,
        lambda u: u.leave_requests.list_between(
            EKBACKA.key, DAY - timedelta(days=9), DAY + timedelta(days=9), pupil_ids=["p3"]
        ),
    )
    assert ids(only_p3) == [later.id]
    granted = await read(
        store,
        lambda u: u.leave_requests.list_between(
            EKBACKA.key,
            DAY - timedelta(days=9),
            DAY + timedelta(days=9),
            statuses=[LeaveStatus.GRANTED],
        ),
    )
    assert ids(granted) == [spans.id]
    pending = await read(store, lambda u: u.leave_requests.list_pending(EKBACKA.key))
    assert ids(pending) == [later.id, earlier.id]
    assert ids(await read(store, lambda u: u.leave_requests.list_pending(FJELL.key))) == [
        other_school.id
    ]


async def test_retention_deletes_requests_that_ended_before_the_day(
    store: UnitOfWorkFactory,
) -> None:
    async def add(u):
        for request in (
            request_for("p1", DAY - timedelta(days=5), DAY - timedelta(days=1)),
            request_for("p3", DAY - timedelta(days=1), DAY),
            request_for("p1", DAY - timedelta(days=5), DAY - timedelta(days=1), FJELL.key),
        ):
            await u.leave_requests.add(request)

    await committed(store, add)
    deleted = await committed(
        store, lambda u: u.leave_requests.delete_ended_before(EKBACKA.key, DAY)
    )
    left = await read(
        store,
        lambda u: u.leave_requests.list_between(
            EKBACKA.key, DAY - timedelta(days=9), DAY + timedelta(days=9)
        ),
    )
    assert deleted == 1
    assert [r.pupil_id for r in left] == ["p3"]
    assert len(await read(store, lambda u: u.leave_requests.list_pending(FJELL.key))) == 1
