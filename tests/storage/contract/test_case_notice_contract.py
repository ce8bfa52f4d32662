"""The contract of case notices (routine.notices_dk) on the fakes, SQLite and PostgreSQL: kept
once per case, kind and quarter; decided once, even by two processes at once; retention takes
them with their closed case."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from routine.cases import Case, close
from routine.notices_dk import CaseNotice, NoticeKind, NoticeStatus
from routine.ports import UnitOfWorkFactory
from tests.storage.support import EKBACKA, committed, read

NOW = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


@pytest.fixture
async def cases(store: UnitOfWorkFactory) -> tuple[UnitOfWorkFactory, list[Case]]:
    """The shared store, with an open case for Ekbackaskolan's p1 and p2."""
    opened = await committed(
        store,
        lambda u: u.cases.add_new(
            [
                Case(EKBACKA.key, pupil, "dk.detection", NOW, "rule:dk.unlawful_10", "s1")
                for pupil in ("p1", "p2")
            ]
        ),
    )
    return store, opened


def notice(case: Case, kind: NoticeKind = NoticeKind.PARENTS, quarter: str = "2026Q4"):
    assert case.id is not None
    numbers = {"count": 5.0, "known": 40.0, "share": 0.125}
    return CaseNotice(case.id, case.school_key, case.pupil_id, kind, quarter, NOW, numbers)


async def test_a_notice_is_kept_once_per_case_kind_and_quarter(cases) -> None:
    store, (one, two) = cases
    first = await committed(
        store, lambda u: u.case_notices.add_new([notice(one), notice(one, NoticeKind.COUNCIL)])
    )
    assert [(n.case_id, n.kind, n.status) for n in first] == [
        (one.id, NoticeKind.PARENTS, NoticeStatus.PENDING),
        (one.id, NoticeKind.COUNCIL, NoticeStatus.PENDING),
    ]
    assert first[0].numbers == {"count": 5.0, "known": 40.0, "share": 0.125}
    again = await committed(
        store,
        lambda u: u.case_notices.add_new(
            [notice(one), notice(two), notice(one, quarter="2027Q1")]
        ),
    )
    assert [(n.case_id, n.quarter) for n in again] == [(two.id, "2026Q4"), (one.id, "2027Q1")]
    assert await read(store, lambda u: u.case_notices.get(first[0].id)) == first[0]
    kept = await read(store, lambda u: u.case_notices.of_cases([one.id]))
    assert [n.id for n in kept] == [first[0].id, first[1].id, again[1].id]
    assert await read(store, lambda u: u.case_notices.get(10_000)) is None


async def test_a_decision_is_a_compare_and_set(cases) -> None:
    store, (one, _two) = cases
    [stored] = await committed(store, lambda u: u.case_notices.add_new([notice(one)]))
    decided = await committed(
        store, lambda u: u.case_notices.decide(stored.id, NoticeStatus.APPROVED, "s9", NOW)
    )
    assert (decided.status, decided.decided_by, decided.decided_at) == (
        NoticeStatus.APPROVED,
        "s9",
        NOW,
    )
    later = NOW + timedelta(minutes=1)
    assert (
        await committed(
            store, lambda u: u.case_notices.decide(stored.id, NoticeStatus.APPROVED, "s8", later)
        )
        is None
    )
    assert await read(store, lambda u: u.case_notices.get(stored.id)) == decided


async def test_two_processes_deciding_at_once_decide_once(cases) -> None:
    store, (one, _two) = cases
    [stored] = await committed(store, lambda u: u.case_notices.add_new([notice(one)]))
    results = await asyncio.gather(
        *(
            committed(
                store,
                lambda u, who=who: u.case_notices.decide(
                    stored.id, NoticeStatus.APPROVED, who, NOW
                ),
            )
            for who in ("s1", "s2", "s3", "s4")
        )
    )
    winners = [r for r in results if r is not None]
    assert len(winners) == 1
    assert await read(store, lambda u: u.case_notices.get(stored.id)) == winners[0]


async def test_retention_takes_the_notices_of_a_closed_case(cases) -> None:
    store, (one, two) = cases
    await committed(store, lambda u: u.case_notices.add_new([notice(one), notice(two)]))
    await committed(store, lambda u: u.cases.update(close(one, NOW - timedelta(days=400))))
    await committed(
        store, lambda u: u.cases.delete_closed_before(EKBACKA.key, NOW - timedelta(days=365))
    )
    left = await read(store, lambda u: u.case_notices.of_cases([one.id, two.id]))
    assert [n.case_id for n in left] == [two.id]
