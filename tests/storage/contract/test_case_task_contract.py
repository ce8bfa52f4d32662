"""The contract of case tasks on the fake, SQLite and PostgreSQL: a task is stored once per
(case, kind, source, due) even when two processes set it at once, an update is a
compare-and-set, the reminder's query takes open tasks due by a day, and retention takes a
closed case's tasks with it."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.case_tasks import CaseTask, TaskKind, TaskStatus, done, handed_to
from routine.cases import Case, close
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, FJELL, committed, read

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
MONDAY = date(2026, 12, 7)


@pytest.fixture
async def cases(store: UnitOfWorkFactory) -> tuple[UnitOfWorkFactory, list[Case]]:
    """The shared store, with open cases for Ekbackaskolan's p1 and p2 and Fjell's p1."""
    new = [
        Case(EKBACKA.key, pupil, "se.step2", NOW, "rule:se.step2", "s1", "s2")
        for pupil in ("p1", "p2")
    ]
    new.append(Case(FJELL.key, "p1", "no.step2", NOW, "by_hand", "n1", "n1"))
    return store, await committed(store, lambda u: u.cases.add_new(new))


def task(case: Case, due: date = MONDAY, kind: TaskKind = TaskKind.REVIEW, **kw) -> CaseTask:
    assert case.id is not None
    return CaseTask(case.school_key, case.id, kind, "Review", "s2", due, NOW, **kw)


async def test_a_task_reads_back(cases) -> None:
    store, (one, two, _) = cases
    moved = task(one, moved_by="Jullov", source_ref="plan:1:review")
    [stored] = await committed(store, lambda u: u.case_tasks.add_new([moved]))
    assert stored == dataclasses.replace(moved, id=stored.id, version=1)
    assert await read(store, lambda u: u.case_tasks.get(stored.id)) == stored
    assert await read(store, lambda u: u.case_tasks.of_cases([one.id, two.id])) == {
        one.id: [stored]
    }
    assert await read(store, lambda u: u.case_tasks.of_cases([two.id])) == {}


async def test_the_same_task_is_stored_once(cases) -> None:
    store, (one, _, _) = cases
    first = await committed(store, lambda u: u.case_tasks.add_new([task(one)]))
    again = await committed(
        store,
        lambda u: u.case_tasks.add_new(
            [task(one), task(one, MONDAY + timedelta(days=1)), task(one, source_ref="x")]
        ),
    )
    assert len(first) == 1
    assert [(t.due, t.source_ref) for t in again] == [
        (MONDAY + timedelta(days=1), ""),
        (MONDAY, "x"),
    ]


async def test_two_processes_setting_a_task_at_once_store_one(cases) -> None:
    store, (one, _, _) = cases
    results = await asyncio.gather(
        *(committed(store, lambda u: u.case_tasks.add_new([task(one)])) for _ in range(4))
    )
    assert sorted(len(r) for r in results) == [0, 0, 0, 1]


async def test_open_tasks_of_a_school_due_by_a_day(cases) -> None:
    store, (one, two, other) = cases
    later = MONDAY + timedelta(days=3)
    stored = await committed(
        store,
        lambda u: u.case_tasks.add_new(
            [task(two, later), task(one), task(other), task(one, later + timedelta(days=1))]
        ),
    )
    finished = done(stored[1], "staff:s2", NOW, "called")
    await committed(store, lambda u: u.case_tasks.update(finished))
    found = await read(store, lambda u: u.case_tasks.open_for_school(EKBACKA.key, later))
    assert found == [stored[0]]
    mine = await read(store, lambda u: u.case_tasks.open_of_owner(EKBACKA.key, "s2"))
    assert [t.id for t in mine] == [stored[0].id, stored[3].id]
    assert await read(store, lambda u: u.case_tasks.open_of_owner(EKBACKA.key, "s9")) == []


async def test_an_update_is_a_compare_and_set(cases) -> None:
    store, (one, _, _) = cases
    [stored] = await committed(store, lambda u: u.case_tasks.add_new([task(one)]))
    finished = done(stored, "staff:s2", NOW, "Called the family.")
    updated = await committed(store, lambda u: u.case_tasks.update(finished))
    assert updated == dataclasses.replace(finished, version=2)
    assert updated.status is TaskStatus.DONE
    stale = handed_to(stored, "s3")
    assert await committed(store, lambda u: u.case_tasks.update(stale)) is None
    assert await read(store, lambda u: u.case_tasks.get(stored.id)) == updated


async def test_retention_takes_a_closed_cases_tasks(cases) -> None:
    store, (one, two, _) = cases
    await committed(store, lambda u: u.case_tasks.add_new([task(one), task(two)]))
    await committed(store, lambda u: u.cases.update(close(one, NOW - timedelta(days=400))))
    await committed(
        store, lambda u: u.cases.delete_closed_before(EKBACKA.key, NOW - timedelta(days=365))
    )
    left = await read(store, lambda u: u.case_tasks.of_cases([one.id, two.id]))
    assert list(left) == [two.id]
