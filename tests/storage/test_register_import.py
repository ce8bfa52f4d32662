"""Importing a school's register (`routine.register_import`) on the fakes, SQLite and PostgreSQL:
the record says what the file says, the chat's own observations win, and nothing is written
while anything is wrong."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from routine.history import record_of
from routine.model import AttendanceMark, MarkKind, MarkSource, SchoolClass
from routine.ports import UnitOfWork, UnitOfWorkFactory
from routine.record import Correction, DayRecord, DayStatus, RecordSource
from routine.register_import import (
    CORRECTED,
    ROLL_CALL_MARK,
    SUBMITTED,
    RegisterImportSummary,
    RegisterRow,
    import_register,
)
from routine.roll_call import RollCall, RollCallStatus
from routine.roster import default_absence_codes
from routine.setup import InvalidInput
from tests.conftest import BACKENDS
from tests.storage.support import EKBACKA, PUPILS, committed, read, save_schools_and_people

# Ekbacka's autumn term; its retention is 200 days, so the cutoff is 2025-05-04.
TODAY = date(2025, 11, 20)
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
MON, TUE, WED, THU, FRI = (date(2025, 11, d) for d in (10, 11, 12, 13, 14))
A, LATE, L = MarkKind.ABSENT, MarkKind.LATE, MarkKind.LEFT_EARLY


@pytest.fixture(params=("fake", *BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def store(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    async def save(u: UnitOfWork) -> None:
        await save_schools_and_people(u)
        for class_name in ("7A", "7B"):
            await u.classes.save(SchoolClass(EKBACKA.key, class_name))
        for code in default_absence_codes(EKBACKA):
            await u.codes.save(code)

    await committed(uow_factory, save)
    return uow_factory


def row(line: int, day: date, pupil: str, kind: MarkKind, code=None, lesson=None, minutes=None):
    return RegisterRow(line, day, pupil, kind, code, lesson, minutes)


async def run_import(
    store: UnitOfWorkFactory, rows: list[RegisterRow], **period: date
) -> RegisterImportSummary:
    async with store() as uow:
        return await import_register(uow, EKBACKA.key, rows, today=TODAY, now=NOW, **period)


async def refused(store: UnitOfWorkFactory, rows: list[RegisterRow], **period: date) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        await run_import(store, rows, **period)
    return [str(problem) for problem in raised.value.problems]


async def record(store: UnitOfWorkFactory) -> dict[tuple[str, date], DayRecord]:
    pupils = [p for p in PUPILS if p.school_key == EKBACKA.key]
    found = await read(store, lambda u: record_of(u, EKBACKA, MON, FRI, pupils, whole_school=True))
    return {(day.pupil_id, day.day): day for days in found.values() for day in days}


async def stored(store: UnitOfWorkFactory) -> tuple[list, list]:
    async def both(u: UnitOfWork) -> tuple[list, list]:
        marks = await u.marks.list_between(EKBACKA.key, MON, FRI)
        roll_calls = await u.roll_calls.list_between(EKBACKA.key, MON, FRI)
        return sorted(marks, key=repr), roll_calls

    return await read(store, both)


FILE = [
    row(2, TUE, "p1", A, "illness"),
    row(3, WED, "p2", LATE, minutes=10),
    row(4, THU, "p3", L, "appointment", minutes=60),
    row(5, THU, "p1", A, lesson="Ma"),
]


async def test_the_record_of_an_imported_period_is_what_the_file_says(
    store: UnitOfWorkFactory,
) -> None:
    summary = await run_import(store, FILE)

    assert (summary.start, summary.end, summary.school_days) == (TUE, THU, 3)
    assert (summary.added, summary.class_days_recorded) == (4, 6)
    days = await record(store)
    said = {key: (d.status, d.source, d.code, d.valid, d.minutes) for key, d in days.items()}
    imported, unknown = (
        RecordSource.IMPORT,
        (DayStatus.UNKNOWN, RecordSource.NONE, None, None, None),
    )
    present = (DayStatus.PRESENT, imported, None, None, None)
    assert said == {
        # Outside the period nothing is known.
        **{(p, day): unknown for p in ("p1", "p2", "p3") for day in (MON, FRI)},
        ("p1", TUE): (DayStatus.ABSENT, imported, "illness", True, None),
        ("p2", TUE): present,
        ("p3", TUE): present,
        ("p1", WED): present,
        ("p2", WED): (DayStatus.LATE, imported, None, None, 10),
        ("p3", WED): present,
        ("p1", THU): present,
        ("p2", THU): present,
        ("p3", THU): (DayStatus.LEFT_EARLY, imported, "appointment", True, 60),
    }
    assert days[("p1", THU)].lessons_absent == 1
    marks, roll_calls = await stored(store)
    assert {(m.source, m.marked_by) for m in marks} == {(MarkSource.IMPORT, "import")}
    assert {(r.class_name, r.day, r.status) for r in roll_calls} == {
        (c, day, RollCallStatus.IMPORTED) for c in ("7A", "7B") for day in (TUE, WED, THU)
    }


async def test_importing_twice_changes_nothing(store: UnitOfWorkFactory) -> None:
    await run_import(store, FILE)
    before = await stored(store)

    again = await run_import(store, FILE)

    assert await stored(store) == before
    assert not again.changed
    assert (again.added, again.updated, again.removed, again.already_imported) == (0, 0, 0, 4)


async def test_a_wider_period_makes_days_without_rows_present(store: UnitOfWorkFactory) -> None:
    await run_import(store, [row(2, TUE, "p1", A, "illness")], start=MON, end=FRI)

    days = await record(store)

    assert days[("p2", MON)].status is DayStatus.PRESENT
    assert days[("p3", FRI)].source is RecordSource.IMPORT


async def test_a_corrected_file_replaces_and_removes_what_the_import_said(
    store: UnitOfWorkFactory,
) -> None:
    await run_import(store, FILE)

    fixed = [
        row(2, TUE, "p1", A, "invalid"),
        row(3, WED, "p2", LATE, minutes=10),
        row(4, THU, "p3", L, "appointment", minutes=60),
    ]
    summary = await run_import(store, fixed)

    assert (summary.added, summary.updated, summary.removed, summary.already_imported) == (
        0,
        1,
        1,
        2,
    )
    days = await record(store)
    assert (days[("p1", TUE)].code, days[("p1", TUE)].valid) == ("invalid", False)
    assert days[("p1", THU)].lessons_absent == 0


async def test_the_chat_wins_over_the_register_and_the_import_says_so(
    store: UnitOfWorkFactory,
) -> None:
    async def chat(u: UnitOfWork) -> None:
        taken = await u.roll_calls.add(RollCall(EKBACKA.key, "7A", TUE, opened_at=NOW))
        await u.roll_calls.update(
            dataclasses.replace(
                taken, status=RollCallStatus.SUBMITTED, submitted_by="s1", submitted_at=NOW
            )
        )
        await u.marks.add(AttendanceMark(EKBACKA.key, "p1", TUE, A, marked_by="s1"))
        unanswered = await u.roll_calls.add(RollCall(EKBACKA.key, "7B", TUE, opened_at=NOW))
        await u.roll_calls.mark_not_answered(unanswered.id)
        await u.roll_calls.add(RollCall(EKBACKA.key, "7B", THU, opened_at=NOW))
        await u.marks.add(AttendanceMark(EKBACKA.key, "p3", THU, LATE, marked_by="s2"))
        await u.corrections.add(
            Correction(EKBACKA.key, "p3", WED, DayStatus.PRESENT, None, None, "x", "s1", NOW)
        )

    await committed(store, chat)
    before_marks, _ = await stored(store)

    summary = await run_import(
        store,
        [
            row(2, TUE, "p1", A, "invalid"),
            row(3, TUE, "p2", LATE),
            row(4, TUE, "p3", A, "illness"),
            row(5, WED, "p3", A),
            row(6, THU, "p3", A),
        ],
    )

    assert summary.left_alone == {SUBMITTED: 2, CORRECTED: 1, ROLL_CALL_MARK: 1}
    assert (summary.added, summary.class_days_submitted, summary.class_days_not_taken) == (1, 1, 2)
    marks, roll_calls = await stored(store)
    assert [m for m in marks if m.source is MarkSource.ROLL_CALL] == [
        m for m in before_marks if m.source is MarkSource.ROLL_CALL
    ]
    status = {(r.class_name, r.day): r.status for r in roll_calls}
    assert status[("7A", TUE)] is RollCallStatus.SUBMITTED
    assert status[("7B", TUE)] is RollCallStatus.IMPORTED
    assert status[("7B", THU)] is RollCallStatus.IMPORTED
    days = await record(store)
    assert (days[("p1", TUE)].source, days[("p1", TUE)].code) == (RecordSource.ROLL_CALL, None)
    assert days[("p2", TUE)].status is DayStatus.PRESENT
    assert days[("p3", TUE)].source is RecordSource.IMPORT
    assert days[("p3", WED)].source is RecordSource.CORRECTION
    assert (days[("p3", THU)].status, days[("p3", THU)].source) == (
        DayStatus.LATE,
        RecordSource.ROLL_CALL,
    )


async def test_every_refusal_names_its_line_and_nothing_is_written(
    store: UnitOfWorkFactory,
) -> None:
    problems = await refused(
        store,
        [
            row(2, TUE, "p1", A, "illness"),
            row(3, TUE, "p9", A),
            row(4, TUE, "p2", A, "ilness"),
            row(5, date(2025, 11, 15), "p2", A),
            row(6, date(2025, 11, 7), "p2", A),
            row(7, date(2025, 10, 28), "p2", A),
            row(8, TODAY, "p2", A),
            row(9, date(2025, 12, 1), "p2", A),
            row(10, date(2025, 5, 2), "p2", A),
        ],
    )

    assert problems == [
        "line 3: pupil 'p9' is not a pupil of the school",
        "line 4: code 'ilness' is not one of the school's absence codes"
        " (appointment, illness, invalid, late, leave, other)",
        "line 5: 2025-11-15 is not a school day of the school",
        "line 6: 2025-11-07 is not a school day of the school",
        "line 7: 2025-10-28 is not a school day of the school",
        "line 8: 2025-11-20 is not a past day; the roll call of today and later days is taken"
        " in the chat",
        "line 9: 2025-12-01 is not a past day; the roll call of today and later days is taken"
        " in the chat",
        "line 10: 2025-05-02 is before the retention cutoff 2025-05-04 (200 days); it would be"
        " deleted at once",
    ]
    assert await stored(store) == ([], [])


async def test_a_period_is_only_widened_and_only_over_past_days(store: UnitOfWorkFactory) -> None:
    rows = [row(2, TUE, "p1", A)]

    assert await refused(store, rows, start=WED, end=TODAY) == [
        "--from 2025-11-12 is after the file's first date 2025-11-11",
        "--to 2025-11-20 is not a past day",
    ]
    assert await refused(store, rows, start=date(2025, 5, 1)) == [
        "--from 2025-05-01 is before the retention cutoff 2025-05-04"
    ]
    assert await refused(store, []) == ["the file has no rows; give --from and --to for a period"]
    assert await stored(store) == ([], [])


async def test_an_empty_register_for_a_given_period_makes_everyone_present(
    store: UnitOfWorkFactory,
) -> None:
    summary = await run_import(store, [], start=MON, end=MON)

    assert (summary.school_days, summary.class_days_recorded) == (1, 2)
    assert (await record(store))[("p1", MON)].status is DayStatus.PRESENT


async def test_imported_roll_calls_are_added_once_and_only_untaken_ones_turn_imported(
    store: UnitOfWorkFactory,
) -> None:
    async def setup(u: UnitOfWork) -> list[int]:
        open_one = await u.roll_calls.add(RollCall(EKBACKA.key, "7A", MON, opened_at=NOW))
        taken = await u.roll_calls.add(RollCall(EKBACKA.key, "7B", MON, opened_at=NOW))
        await u.roll_calls.update(dataclasses.replace(taken, status=RollCallStatus.SUBMITTED))
        return [open_one.id, taken.id]

    ids = await committed(store, setup)
    pairs = [("7A", MON), ("7A", TUE), ("7B", TUE)]

    assert (
        await committed(store, lambda u: u.roll_calls.add_imported(EKBACKA.key, pairs, NOW)) == 2
    )
    assert await committed(store, lambda u: u.roll_calls.mark_imported(ids)) == 1
    assert await committed(store, lambda u: u.roll_calls.mark_imported(ids)) == 0
    _, roll_calls = await stored(store)
    assert [(r.class_name, r.day, r.status) for r in roll_calls] == [
        ("7A", MON, RollCallStatus.IMPORTED),
        ("7B", MON, RollCallStatus.SUBMITTED),
        ("7A", TUE, RollCallStatus.IMPORTED),
        ("7B", TUE, RollCallStatus.IMPORTED),
    ]
    assert {(r.submitted_by, r.opened_at) for r in roll_calls[2:]} == {("import", NOW)}
