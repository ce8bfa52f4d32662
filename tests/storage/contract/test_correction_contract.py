"""The contract of corrections (the audit trail) and record uses, on the fakes, SQLite and
PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

from routine.history import record_of
from routine.model import AttendanceMark, MarkKind
from routine.record import Correction, DayRecord, DayStatus, RecordSource
from tests.storage.support import (
    EKBACKA,
    FJELL,
    PUPILS,
    committed,
    read,
)

NOW = datetime(2025, 11, 10, 9, 15, tzinfo=UTC)
MON, TUE, WED = date(2025, 11, 10), date(2025, 11, 11), date(2025, 11, 12)


def correction(pupil_id: str = "p1", day: date = MON, **given) -> Correction:
    values = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "day": day,
        "status": DayStatus.ABSENT,
        "code": "illness",
        "valid": True,
        "reason": "Sjukdom bekräftad av vårdnadshavaren",
        "corrected_by": "s1",
        "corrected_at": NOW,
        "before": DayRecord(pupil_id, day, DayStatus.ABSENT, RecordSource.ROLL_CALL, None, None),
        "flagged": False,
    }
    return Correction(**(values | given))


async def test_a_correction_reads_back_with_who_when_before_after_and_why(store) -> None:
    made = correction(flagged=True)
    added = await committed(store, lambda u: u.corrections.add(made))

    assert added == dataclasses.replace(made, id=added.id)
    assert await read(store, lambda u: u.corrections.list_between(EKBACKA.key, MON, MON)) == [
        added
    ]


async def test_a_correction_of_an_unknown_day_has_no_code_and_may_have_no_before(store) -> None:
    unknown = DayRecord("p1", MON, DayStatus.UNKNOWN, RecordSource.NONE)
    made = [
        correction(status=DayStatus.PRESENT, code=None, valid=None, before=unknown),
        correction("p2", status=DayStatus.LATE, code=None, valid=None, before=None),
    ]
    added = [await committed(store, lambda u, c=c: u.corrections.add(c)) for c in made]

    found = await read(store, lambda u: u.corrections.list_between(EKBACKA.key, MON, MON))
    assert found == added
    assert [c.before for c in found] == [unknown, None]


async def test_corrections_are_listed_by_days_and_pupils_oldest_first(store) -> None:
    for made in (
        correction("p1", TUE),
        correction("p2", MON),
        correction("p1", MON, corrected_at=NOW + timedelta(hours=1)),
        correction("p1", WED),
        dataclasses.replace(correction("p1", MON), school_key=FJELL.key),
    ):
        await committed(store, lambda u, c=made: u.corrections.add(c))

    def listed(start, end, pupil_ids=None):
        return read(
            store,
            lambda u: u.corrections.list_between(EKBACKA.key, start, end, pupil_ids),
        )

    assert [(c.pupil_id, c.day) for c in await listed(MON, TUE)] == [
        ("p1", TUE),
        ("p2", MON),
        ("p1", MON),
    ]
    assert [(c.pupil_id, c.day) for c in await listed(MON, WED, ["p1"])] == [
        ("p1", TUE),
        ("p1", MON),
        ("p1", WED),
    ]
    assert await listed(MON, WED, []) == []


async def test_corrections_of_days_before_a_cutoff_are_deleted(store) -> None:
    for made in (correction("p1", MON), correction("p1", TUE)):
        await committed(store, lambda u, c=made: u.corrections.add(c))
    other = dataclasses.replace(correction("p1", MON), school_key=FJELL.key)
    await committed(store, lambda u: u.corrections.add(other))

    assert await committed(store, lambda u: u.corrections.delete_before(EKBACKA.key, TUE)) == 1

    left = await read(store, lambda u: u.corrections.list_between(EKBACKA.key, MON, WED))
    assert [c.day for c in left] == [TUE]
    assert len(await read(store, lambda u: u.corrections.list_between(FJELL.key, MON, WED))) == 1


async def test_record_uses_read_back_and_are_listed_by_days_and_pupils(store) -> None:
    async def add(u):
        return [
            await u.record_uses.add(EKBACKA.key, "p1", MON, "step-2", NOW),
            await u.record_uses.add(EKBACKA.key, "p2", TUE, "notice-10-percent", NOW),
            await u.record_uses.add(EKBACKA.key, "p1", WED, "step-2", NOW),
            await u.record_uses.add(FJELL.key, "p1", MON, "step-2", NOW),
        ]

    added = await committed(store, add)
    assert [(u.school_key, u.pupil_id, u.day, u.used_by, u.used_at) for u in added[:1]] == [
        (EKBACKA.key, "p1", MON, "step-2", NOW)
    ]

    def listed(start, end, pupil_ids=None):
        return read(
            store, lambda u: u.record_uses.list_between(EKBACKA.key, start, end, pupil_ids)
        )

    assert await listed(MON, TUE) == added[:2]
    assert await listed(MON, WED, ["p1"]) == [added[0], added[2]]
    assert await listed(MON, WED, []) == []


async def test_record_uses_of_days_before_a_cutoff_are_deleted(store) -> None:
    async def add(u):
        await u.record_uses.add(EKBACKA.key, "p1", MON, "step-2", NOW)
        await u.record_uses.add(EKBACKA.key, "p1", TUE, "step-2", NOW)
        await u.record_uses.add(FJELL.key, "p1", MON, "step-2", NOW)

    await committed(store, add)

    assert await committed(store, lambda u: u.record_uses.delete_before(EKBACKA.key, TUE)) == 1

    left = await read(store, lambda u: u.record_uses.list_between(EKBACKA.key, MON, WED))
    assert [u.day for u in left] == [TUE]
    assert len(await read(store, lambda u: u.record_uses.list_between(FJELL.key, MON, WED))) == 1


async def test_a_correction_decides_the_record_read_from_storage(store) -> None:
    """The record loaded through the ports takes the latest correction over the mark."""
    mark = AttendanceMark(EKBACKA.key, "p1", MON, MarkKind.ABSENT, marked_by="s1")
    await committed(store, lambda u: u.marks.add_many([mark]))
    for made in (
        correction(),
        correction(status=DayStatus.PRESENT, code=None, valid=None, corrected_at=NOW),
    ):
        await committed(store, lambda u, c=made: u.corrections.add(c))

    found = await read(store, lambda u: record_of(u, EKBACKA, MON, MON, [PUPILS[0]]))
    (day,) = found["p1"]
    assert (day.status, day.source) == (DayStatus.PRESENT, RecordSource.CORRECTION)
