"""The contract of absence reports, attendance marks and absence codes, on the fakes, SQLite and
PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    DayPart,
    MarkKind,
    ReasonCategory,
    ReportStatus,
)
from routine.ports import UnitOfWorkFactory
from tests.storage.support import (
    EKBACKA,
    FJELL,
    committed,
    read,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# Absence reports


def report(
    pupil_id: str = "p1", first_day: int = 10, last_day: int = 10, **changes: object
) -> AbsenceReport:
    """A report at Ekbackaskolan; days are days of November 2025."""
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "guardian_id": "g1",
        "reason": ReasonCategory.ILLNESS,
        "first_day": date(2025, 11, first_day),
        "last_day": date(2025, 11, last_day),
    } | changes
    return AbsenceReport(**values)


async def add_reports(store: UnitOfWorkFactory, *reports: AbsenceReport) -> list[AbsenceReport]:
    async def add(u):
        return [await u.reports.add(r) for r in reports]

    return await committed(store, add)


async def test_an_added_report_gets_an_id_and_reads_back_as_added(
    store: UnitOfWorkFactory,
) -> None:
    late = report(
        reason=ReasonCategory.APPOINTMENT,
        part=DayPart.ARRIVING_LATE,
        at_time=time(10, 30),
        note="Tandläkare",
        reported_at=datetime(2025, 11, 10, 7, 12, 5, tzinfo=STOCKHOLM),
    )
    [added, other] = await add_reports(store, late, report())

    assert added == dataclasses.replace(late, id=added.id)
    assert added.id is not None
    assert other.id not in (None, added.id)
    assert await read(store, lambda u: u.reports.get(added.id)) == added


async def test_report_times_come_back_as_the_same_instant(store: UnitOfWorkFactory) -> None:
    reported_at = datetime(2025, 3, 30, 1, 59, 59, 123456, tzinfo=STOCKHOLM)
    [added] = await add_reports(store, report(reported_at=reported_at))

    stored = await read(store, lambda u: u.reports.get(added.id))

    assert stored.reported_at == reported_at
    assert stored.reported_at.utcoffset() is not None


async def test_an_unknown_report_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.reports.get(999)) is None


async def test_an_updated_report_reads_back_updated(store: UnitOfWorkFactory) -> None:
    [added] = await add_reports(store, report())
    withdrawn = dataclasses.replace(
        added, last_day=date(2025, 11, 12), status=ReportStatus.WITHDRAWN
    )
    await committed(store, lambda u: u.reports.update(withdrawn))

    assert await read(store, lambda u: u.reports.get(added.id)) == withdrawn


async def test_updating_an_unknown_report_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.reports.update(report(id=999)))


async def test_reports_covering_a_day_are_active_for_those_pupils(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 10, 12),  # covers, ends after
        report("p2", 11, 11),  # covers, that day only
        report("p1", 11, 14, status=ReportStatus.WITHDRAWN),
        report("p3", 11, 11),  # pupil not asked about
        report("p1", 3, 10),  # over before
        report("p2", 12, 13),  # not yet
        report("p1", 11, 11, school_key=FJELL.key),  # the other school's p1
    )

    covering = await read(
        store, lambda u: u.reports.list_covering(EKBACKA.key, ["p1", "p2"], date(2025, 11, 11))
    )

    assert covering == [added[0], added[1]]


async def test_reports_cover_their_first_and_last_day(store: UnitOfWorkFactory) -> None:
    [added] = await add_reports(store, report("p1", 10, 12))

    def covering(day: int):
        return read(
            store, lambda u: u.reports.list_covering(EKBACKA.key, ["p1"], date(2025, 11, day))
        )

    assert await covering(10) == [added]
    assert await covering(12) == [added]
    assert await covering(13) == []
    assert (
        await read(store, lambda u: u.reports.list_covering(EKBACKA.key, [], date(2025, 11, 10)))
        == []
    )


async def test_current_reports_end_on_or_after_the_day_ordered_by_first_day(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 20, 21),
        report("p2", 5, 10),  # ends on the day
        report("p1", 12, 12),
        report("p2", 9, 9),  # over
        report("p1", 11, 30, status=ReportStatus.WITHDRAWN),
        report("p3", 10, 10),  # pupil not asked about
        report("p1", 15, 15, school_key=FJELL.key),
        report("p2", 12, 14),  # same first day as an earlier report: then by id
    )

    current = await read(
        store,
        lambda u: u.reports.list_current_for_pupils(EKBACKA.key, ["p1", "p2"], date(2025, 11, 10)),
    )

    assert current == [added[1], added[2], added[7], added[0]]


async def test_reports_that_ended_before_a_day_are_deleted_whatever_their_status(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_reports(
        store,
        report("p1", 3, 9),
        report("p2", 5, 9, status=ReportStatus.WITHDRAWN),
        report("p1", 9, 10),  # ends on the day: kept
        report("p3", 20, 21),
        report("p1", 3, 9, school_key=FJELL.key),  # the other school's: kept
    )

    deleted = await committed(
        store, lambda u: u.reports.delete_ended_before(EKBACKA.key, date(2025, 11, 10))
    )

    async def stored(u):
        return [await u.reports.get(r.id) for r in added]

    assert deleted == 2
    assert await read(store, stored) == [None, None, added[2], added[3], added[4]]


# Attendance marks


async def test_marks_of_a_day_are_listed_in_the_order_added(store: UnitOfWorkFactory) -> None:
    marks = [
        AttendanceMark(EKBACKA.key, "p2", date(2025, 11, 10), MarkKind.ABSENT, marked_by="s2"),
        AttendanceMark(
            EKBACKA.key,
            "p1",
            date(2025, 11, 10),
            MarkKind.LATE,
            lesson="Matematik",
            explained=True,
            valid=False,
            code="S",
            marked_by="s2",
            minutes=15,
        ),
        AttendanceMark(EKBACKA.key, "p1", date(2025, 11, 11), MarkKind.LEFT_EARLY),
        AttendanceMark(FJELL.key, "p1", date(2025, 11, 10), MarkKind.ABSENT, valid=True),
    ]

    async def add(u):
        return [await u.marks.add(m) for m in marks]

    added = await committed(store, add)

    assert [dataclasses.replace(m, id=None) for m in added] == marks
    assert len({m.id for m in added} - {None}) == 4
    assert (
        await read(store, lambda u: u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10)))
        == added[:2]
    )


def mark(pupil_id: str, day: int, **changes: object) -> AttendanceMark:
    """An absence at Ekbackaskolan; days are days of November 2025."""
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "day": date(2025, 11, day),
        "kind": MarkKind.ABSENT,
    } | changes
    return AttendanceMark(**values)


async def add_marks(store: UnitOfWorkFactory, *marks: AttendanceMark) -> list[AttendanceMark]:
    async def add(u):
        return [await u.marks.add(m) for m in marks]

    return await committed(store, add)


async def test_an_updated_mark_reads_back_updated_in_its_place(store: UnitOfWorkFactory) -> None:
    added = await add_marks(store, mark("p1", 10), mark("p2", 10), mark("p3", 10))
    explained = dataclasses.replace(added[1], explained=True, valid=True, code="S")

    await committed(store, lambda u: u.marks.update(explained))

    assert await read(store, lambda u: u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10))) == [
        added[0],
        explained,
        added[2],
    ]


async def test_updating_an_unknown_mark_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.marks.update(mark("p1", 10, id=999)))


async def test_marks_from_before_a_day_are_deleted(store: UnitOfWorkFactory) -> None:
    added = await add_marks(
        store,
        mark("p1", 8),
        mark("p2", 9, kind=MarkKind.LATE, minutes=5),
        mark("p1", 10),  # on the day: kept
        mark("p1", 9, school_key=FJELL.key),  # the other school's: kept
    )

    deleted = await committed(
        store, lambda u: u.marks.delete_before(EKBACKA.key, date(2025, 11, 10))
    )

    async def remaining(u):
        return [
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 8)),
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 9)),
            *await u.marks.list_for_day(EKBACKA.key, date(2025, 11, 10)),
            *await u.marks.list_for_day(FJELL.key, date(2025, 11, 9)),
        ]

    assert deleted == 2
    assert await read(store, remaining) == [added[2], added[3]]


# Absence codes


async def test_codes_are_listed_per_school_by_code_and_updated_by_saving(
    store: UnitOfWorkFactory,
) -> None:
    sick = AbsenceCode(EKBACKA.key, "S", "Sjuk", valid=True)
    late = AbsenceCode(EKBACKA.key, "F", "Försenad", counts_as_absence=False, late=True)
    elsewhere = AbsenceCode(FJELL.key, "A", "Annet")

    async def save(u):
        for code in (sick, late, elsewhere):
            await u.codes.save(code)

    await committed(store, save)
    relabelled = dataclasses.replace(sick, label="Sjukdom")
    await committed(store, lambda u: u.codes.save(relabelled))

    assert await read(store, lambda u: u.codes.list_for(EKBACKA.key)) == [late, relabelled]
