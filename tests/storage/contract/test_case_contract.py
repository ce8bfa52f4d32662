"""The contract of cases on the fakes, SQLite and PostgreSQL (see test_repository_contract): one
open case per pupil even when two processes open one at once, an update is a compare-and-set,
the log reads back in order, and retention takes closed cases with their logs."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta

from routine.cases import Case, CaseEvent, CaseStatus, EventKind, close, staff_actor
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, FJELL, committed, read

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)


def new(pupil_id: str = "p1", school: str = EKBACKA.key) -> Case:
    return Case(school, pupil_id, "se.step2", NOW, "rule:se.step2", "s1", "s2", ("s3",))


async def test_a_new_case_reads_back(store: UnitOfWorkFactory) -> None:
    [stored] = await committed(store, lambda u: u.cases.add_new([new()]))
    assert stored.id is not None
    assert stored == dataclasses.replace(new(), id=stored.id, version=1)
    assert await read(store, lambda u: u.cases.get(stored.id)) == stored
    assert await read(store, lambda u: u.cases.get(stored.id + 1000)) is None
    assert await read(store, lambda u: u.cases.open_cases(EKBACKA.key)) == [stored]
    assert await read(store, lambda u: u.cases.open_cases(EKBACKA.key, ["p2"])) == []
    assert await read(store, lambda u: u.cases.open_cases(FJELL.key)) == []


async def test_one_open_case_per_pupil(store: UnitOfWorkFactory) -> None:
    first = await committed(store, lambda u: u.cases.add_new([new(), new("p3")]))
    again = await committed(store, lambda u: u.cases.add_new([new(), new("p2")]))
    assert [c.pupil_id for c in first] == ["p1", "p3"]
    assert [c.pupil_id for c in again] == ["p2"]
    # The same pupil id at another school is another pupil.
    assert len(await committed(store, lambda u: u.cases.add_new([new(school=FJELL.key)]))) == 1


async def test_two_processes_opening_at_once_store_one(store: UnitOfWorkFactory) -> None:
    results = await asyncio.gather(
        *(committed(store, lambda u: u.cases.add_new([new()])) for _ in range(4))
    )
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]
    assert len(await read(store, lambda u: u.cases.open_cases(EKBACKA.key))) == 1


async def test_an_update_is_a_compare_and_set(store: UnitOfWorkFactory) -> None:
    [stored] = await committed(store, lambda u: u.cases.add_new([new()]))
    moved = dataclasses.replace(stored, stage="se.step3", members=("s3", "s4"))
    updated = await committed(store, lambda u: u.cases.update(moved))
    assert updated == dataclasses.replace(moved, version=2)
    # A second writer who read version 1 loses.
    stale = dataclasses.replace(stored, owner_id="s9")
    assert await committed(store, lambda u: u.cases.update(stale)) is None
    assert await read(store, lambda u: u.cases.get(stored.id)) == updated


async def test_closing_frees_the_pupil_for_a_new_case(store: UnitOfWorkFactory) -> None:
    [stored] = await committed(store, lambda u: u.cases.add_new([new()]))
    closed = await committed(store, lambda u: u.cases.update(close(stored, NOW)))
    assert closed.status is CaseStatus.CLOSED
    assert await read(store, lambda u: u.cases.open_cases(EKBACKA.key)) == []
    assert await read(store, lambda u: u.cases.last_closed(EKBACKA.key, ["p1", "p2"])) == {
        "p1": closed
    }
    [second] = await committed(store, lambda u: u.cases.add_new([new()]))
    history = await read(store, lambda u: u.cases.of_pupil(EKBACKA.key, "p1"))
    assert {c.id for c in history} == {closed.id, second.id}


async def test_the_log_reads_back_in_order(store: UnitOfWorkFactory) -> None:
    one, two = await committed(store, lambda u: u.cases.add_new([new(), new("p2")]))
    events = [
        CaseEvent(one.id, NOW, EventKind.OPENED, "rule:se.step2", {"numbers": {"share": 0.15}}),
        CaseEvent(two.id, NOW, EventKind.OPENED, "guardian:g1", {"reason": "guardian_concern"}),
        CaseEvent(
            one.id,
            NOW + timedelta(minutes=5),
            EventKind.TICKED,
            staff_actor("s1"),
            {"stage": "se.step2", "item": "meeting"},
        ),
    ]
    await committed(store, lambda u: u.cases.add_events(events))
    logs = await read(store, lambda u: u.cases.events_of([one.id, two.id]))
    assert [(e.kind, dict(e.detail)) for e in logs[one.id]] == [
        (EventKind.OPENED, {"numbers": {"share": 0.15}}),
        (EventKind.TICKED, {"stage": "se.step2", "item": "meeting"}),
    ]
    assert [e.actor for e in logs[two.id]] == ["guardian:g1"]
    assert all(e.id is not None for e in logs[one.id])
    assert await read(store, lambda u: u.cases.events_of([one.id + 1000])) == {}


async def test_retention_takes_closed_cases_with_their_logs(store: UnitOfWorkFactory) -> None:
    old, kept = await committed(store, lambda u: u.cases.add_new([new(), new("p2")]))
    await committed(store, lambda u: u.cases.update(close(old, NOW - timedelta(days=400))))
    event = CaseEvent(old.id, NOW, EventKind.OPENED, "rule:se.step2", {})
    # A note on a question is part of the case's log: it goes with the case.
    note = CaseEvent(
        old.id, NOW, EventKind.NOTED, "staff:s1", {"stage": "se.step2", "item": "a/b", "note": "x"}
    )
    await committed(store, lambda u: u.cases.add_events([event, note]))
    deleted = await committed(
        store, lambda u: u.cases.delete_closed_before(EKBACKA.key, NOW - timedelta(days=365))
    )
    assert deleted == 1
    assert await read(store, lambda u: u.cases.get(old.id)) is None
    assert await read(store, lambda u: u.cases.events_of([old.id])) == {}
    assert await read(store, lambda u: u.cases.get(kept.id)) == kept
