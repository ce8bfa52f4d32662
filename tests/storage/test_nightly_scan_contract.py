"""The nightly evaluation's reads and writes (routine.evaluation), one contract on the fakes,
SQLite and PostgreSQL: the scan of the marks (counts per window and kind, and the pupils with
a day of two marks), the listed days of some pupils or all (with their days of two marks),
the pupils marked on some days, against the marks counted here by hand; and the record uses
stored only where missing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.model import AttendanceMark, MarkKind, MarkSource
from routine.policy import Counted
from routine.ports import UnitOfWorkFactory
from storage import thresholds, window_scan
from storage.window_scan import unpacked as window_scan_unpacked
from tests.conftest import BACKENDS
from tests.storage.support import EKBACKA, FJELL, committed, read, save_schools_and_people

START = date(2026, 9, 1)
MONTH = date(2026, 10, 1)
END = date(2026, 10, 20)
NOW = datetime(2026, 10, 20, 16, 0, tzinfo=UTC)
PUPILS = ("p1", "p2", "p3")


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def some_marks(seed: int) -> list[AttendanceMark]:
    """Marks of every kind over two months and a week either side (lesson marks, weekends,
    days of two marks among them), and the other school's pupil p1 absent every day."""
    chance = random.Random(seed)
    marks = []
    day = START - timedelta(days=7)
    while day <= END + timedelta(days=7):
        for pupil_id in PUPILS:
            if chance.random() < 0.35:
                for _ in range(2 if chance.random() < 0.15 else 1):
                    marks.append(
                        AttendanceMark(
                            EKBACKA.key,
                            pupil_id,
                            day,
                            chance.choice([MarkKind.ABSENT] * 3 + list(MarkKind)),
                            lesson=chance.choice([None] * 5 + ["2"]),
                            valid=chance.choice([True, False, None]),
                            code=chance.choice(["illness", "invalid", None]),
                            source=MarkSource.IMPORT,
                        )
                    )
        marks.append(AttendanceMark(FJELL.key, "p1", day, MarkKind.ABSENT, valid=False))
        day += timedelta(days=1)
    return marks


def counts(mark: AttendanceMark, kind: Counted) -> bool:
    absent = mark.kind is MarkKind.ABSENT
    return {
        Counted.ABSENCE: absent,
        Counted.INVALID: absent and mark.valid is False,
        Counted.VALID: absent and mark.valid is True,
        Counted.LATE: mark.kind is MarkKind.LATE,
        Counted.ILLNESS: absent and mark.code == "illness",
    }[kind]


WANTED = [(START, Counted.INVALID), (MONTH, Counted.LATE), (START, Counted.VALID)]


def day_level_of(marks: list[AttendanceMark]) -> list[AttendanceMark]:
    """Ekbacka's day-level marks from the scan's start to its end."""
    return [
        m
        for m in marks
        if m.school_key == EKBACKA.key and m.lesson is None and START <= m.day <= END
    ]


def counted_by_hand(
    day_level: list[AttendanceMark], wanted: list[tuple[date, Counted]]
) -> list[dict[str, int]]:
    """Each window's and kind's count by pupil, as the scan should return it."""
    return [
        {
            p: n
            for p in PUPILS
            if (n := sum(1 for m in day_level if m.pupil_id == p and m.day >= s and counts(m, k)))
        }
        for s, k in wanted
    ]


@pytest.mark.parametrize(("seed", "invalid", "late"), [(1, 6, 5), (3, 5, 2)])
async def test_the_scan_counts_and_lists_as_the_marks_say(
    uow_factory: UnitOfWorkFactory, seed: int, invalid: int, late: int
) -> None:
    marks = some_marks(seed)

    async def store(uow):
        await save_schools_and_people(uow)
        await uow.marks.add_many(marks)

    await committed(uow_factory, store)
    day_level = day_level_of(marks)
    expected = counted_by_hand(day_level, WANTED)
    per_day: dict[tuple[str, date], int] = {}
    for m in day_level:
        per_day[(m.pupil_id, m.day)] = per_day.get((m.pupil_id, m.day), 0) + 1
    twice = frozenset(p for (p, _d), n in per_day.items() if n > 1)
    scan = await read(
        uow_factory, lambda u: u.thresholds.scan_windows(EKBACKA.key, END, WANTED, True)
    )
    assert (scan.counts, scan.twice) == (expected, twice)
    assert twice, "the seed should have a day of two marks"
    # Over the last three days only.
    short = [(END - timedelta(days=2), Counted.INVALID)]
    few = await read(
        uow_factory, lambda u: u.thresholds.scan_windows(EKBACKA.key, END, short, True)
    )
    assert few.twice == frozenset(
        p for (p, d), n in per_day.items() if n > 1 and d >= END - timedelta(days=2)
    )
    # With a least for each window and kind: only the pupils with a count reaching one.
    least = [invalid, late, 10_000]
    some = await read(
        uow_factory, lambda u: u.thresholds.scan_windows(EKBACKA.key, END, WANTED, True, least)
    )
    kept = {
        p for found, n in zip(expected, least, strict=True) for p, c in found.items() if c >= n
    }
    assert kept and kept != set(PUPILS), "the seed should keep some pupils, not all"
    assert some.counts == [{p: c for p, c in found.items() if p in kept} for found in expected]
    assert some.twice == twice & kept
    # Without `twice`, the counts alone.
    alone = await read(uow_factory, lambda u: u.thresholds.scan_windows(EKBACKA.key, END, WANTED))
    assert (alone.counts, alone.twice) == (expected, frozenset())
    # Listed: the pupils with as many invalid days as that, or as many late ones this month.
    reaching = {
        p for p in PUPILS if expected[0].get(p, 0) >= invalid or expected[1].get(p, 0) >= late
    }
    assert reaching and reaching != set(PUPILS), "the seed should list some pupils, not all"
    kinds = [Counted.INVALID, Counted.LATE]
    for pupils, first in ((reaching, START), (None, MONTH)):
        listed = await read(
            uow_factory,
            lambda u, pupils=pupils, first=first: u.thresholds.list_days(
                EKBACKA.key, first, END, kinds, pupils
            ),
        )
        chosen = set(PUPILS) if pupils is None else pupils
        inside = [m for m in day_level if m.day >= first]
        for kind in kinds:
            assert {p: tuple(listed.days[kind].get(p, ())) for p in PUPILS} == {
                p: tuple(sorted(m.day for m in inside if m.pupil_id == p and counts(m, kind)))
                if p in chosen
                else ()
                for p in PUPILS
            }
        assert {p: listed.doubled.get(p, frozenset()) for p in PUPILS} == {
            p: frozenset(d for (q, d), n in per_day.items() if q == p and n > 1 and d >= first)
            if p in chosen
            else frozenset()
            for p in PUPILS
        }
    assert any(listed.doubled.get(p) for p in PUPILS), "the seed should have a day of two marks"
    # Marked on a Saturday and a Sunday (day-level marks only), and on no day at all.
    weekend = [d for d in (START + timedelta(days=n) for n in range(7)) if d.weekday() >= 5]
    on = await read(uow_factory, lambda u: u.thresholds.marked_on(EKBACKA.key, weekend))
    assert on == {m.pupil_id for m in day_level if m.day in weekend}
    assert on, "the seed should mark a weekend"
    assert await read(uow_factory, lambda u: u.thresholds.marked_on(EKBACKA.key, [])) == set()


async def test_counts_past_a_packed_field_are_read_again_unpacked(
    uow_factory: UnitOfWorkFactory, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A packed field (`storage.window_scan`, SQLite) holds so many marks: a pupil with more
    in the scan is read again with a sum for each window and kind, and every count is still
    right. Here a field of two bits (at most 3) against counts of up to a dozen; six windows
    and kinds, so two packed sums. PostgreSQL reads a sum for each at once."""
    monkeypatch.setattr(window_scan, "SLOT_BITS", 2)
    unpacked = []
    monkeypatch.setattr(
        thresholds, "unpacked", lambda *a: unpacked.append(1) or window_scan_unpacked(*a)
    )
    marks = some_marks(1)

    async def store(uow):
        await save_schools_and_people(uow)
        await uow.marks.add_many(marks)

    await committed(uow_factory, store)
    wanted = [*WANTED, (MONTH, Counted.ILLNESS), (START, Counted.ABSENCE), (MONTH, Counted.VALID)]
    expected = counted_by_hand(day_level_of(marks), wanted)
    assert max(n for found in expected for n in found.values()) > 3
    scan = await read(
        uow_factory, lambda u: u.thresholds.scan_windows(EKBACKA.key, END, wanted, True)
    )
    assert scan.counts == expected
    assert bool(unpacked) is (backend != "fake"), "a SQL scan reads the counts again"


async def test_record_uses_are_stored_where_missing(uow_factory: UnitOfWorkFactory) -> None:
    await committed(uow_factory, save_schools_and_people)
    days = [START + timedelta(days=n) for n in range(5)]
    # A notice used p1's first day; the rule's own use of it is another use.
    await committed(
        uow_factory, lambda u: u.record_uses.add(EKBACKA.key, "p1", days[0], "notice", NOW)
    )
    rule = "no.invalid_repeated"
    first = [("p1", rule, days[:3]), ("p2", rule, days[1:2])]
    assert (
        await committed(
            uow_factory, lambda u: u.record_uses.add_missing_days(EKBACKA.key, first, NOW)
        )
        == 4
    )
    # The next night: the same days and two more; p1's day 3 twice in one call.
    later = NOW + timedelta(days=1)
    following = [("p1", rule, days), ("p1", rule, days[3:4]), ("p2", rule, days[1:2])]
    assert (
        await committed(
            uow_factory, lambda u: u.record_uses.add_missing_days(EKBACKA.key, following, later)
        )
        == 2
    )
    uses = await read(uow_factory, lambda u: u.record_uses.list_between(EKBACKA.key, START, END))
    assert sorted((u.pupil_id, u.day, u.used_by, u.used_at) for u in uses) == sorted(
        [("p1", days[0], "notice", NOW)]
        + [("p1", d, rule, NOW) for d in days[:3]]
        + [("p1", d, rule, later) for d in days[3:]]
        + [("p2", days[1], rule, NOW)]
    )
    # Uses of the other school's pupil of the same id are its own.
    assert (
        await committed(
            uow_factory, lambda u: u.record_uses.add_missing_days(FJELL.key, first[:1], NOW)
        )
        == 3
    )
