"""The morning roll call and the same-day follow-up, on the fakes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.follow_up import (
    ContactMeans,
    ContactOutcome,
    GuardianContact,
    LineState,
    line_state,
    open_follow_up,
    record_contact,
)
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    Country,
    DayPart,
    Language,
    MarkKind,
    Pupil,
    ReasonCategory,
    Role,
    School,
    SchoolClass,
    StaffMember,
)
from routine.roll_call import (
    Attendance,
    RollCallStatus,
    SubmitOutcome,
    close_unanswered,
    open_roll_calls,
    pre_marked,
    submit,
)
from routine.roster import default_absence_codes
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)
# 08:20 in Stockholm.
MORNING = datetime(2026, 11, 23, 7, 20, tzinfo=UTC)
SCHOOL = School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)
KARIN = StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U1")
JONAS = StaffMember("se", "S2", "Jonas Ahl", frozenset({Role.MENTOR}), ("7B",), slack_user_id="U2")
PUPILS = (
    Pupil("se", "P1", "Elsa Berg", "7A"),
    Pupil("se", "P2", "Maja Lind", "7A"),
    Pupil("se", "P3", "Ali Khan", "7A"),
    Pupil("se", "P4", "Olle Berg", "7B"),
)


@pytest.fixture
async def factory() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for name in ("7A", "7B", "7C"):
            await uow.classes.save(SchoolClass("se", name))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil in PUPILS:
            await uow.pupils.save(pupil)
        for member in (KARIN, JONAS):
            await uow.staff.save(member)
        await uow.commit()
    return factory


async def open_7a(factory: FakeUnitOfWorkFactory):
    async with factory() as uow:
        opened = await open_roll_calls(uow, SCHOOL, MONDAY, MORNING)
        await uow.commit()
    return next(r for r in opened if r.class_name == "7A")


async def take(factory, roll_call, attendance, *, staff=KARIN, now=MORNING) -> SubmitOutcome:
    async with factory() as uow:
        outcome = await submit(
            uow, roll_call=roll_call, school=SCHOOL, staff=staff, attendance=attendance, now=now
        )
        await uow.commit()
    return outcome


def day_marks(factory: FakeUnitOfWorkFactory) -> list[tuple[str, MarkKind]]:
    return sorted((m.pupil_id, m.kind) for m in factory.store.marks.values())


def test_guardians_reports_are_marked_before_the_roll_call() -> None:
    reports = [
        AbsenceReport("se", "P1", "G1", ReasonCategory.ILLNESS, MONDAY, MONDAY),
        AbsenceReport(
            "se", "P2", "G2", ReasonCategory.APPOINTMENT, MONDAY, MONDAY, DayPart.ARRIVING_LATE
        ),
        AbsenceReport(
            "se", "P3", "G3", ReasonCategory.OTHER, MONDAY, MONDAY, DayPart.LEAVING_EARLY
        ),
        AbsenceReport("se", "P4", "G4", ReasonCategory.ILLNESS, MONDAY, MONDAY),
    ]

    assert pre_marked(PUPILS[:3], reports, MONDAY) == Attendance(
        absent=frozenset({"P1"}), late=frozenset({"P2"})
    )
    assert pre_marked(PUPILS[:3], reports, MONDAY + timedelta(days=1)) == Attendance()


async def test_roll_calls_open_once_for_classes_with_a_mentor(factory) -> None:
    async with factory() as uow:
        first = await open_roll_calls(uow, SCHOOL, MONDAY, MORNING)
        again = await open_roll_calls(uow, SCHOOL, MONDAY, MORNING + timedelta(minutes=5))
        await uow.commit()

    assert [(r.class_name, r.status) for r in first] == [
        ("7A", RollCallStatus.OPEN),
        ("7B", RollCallStatus.OPEN),
    ]
    assert again == first


async def test_a_submitted_roll_call_marks_exactly_who_is_absent_or_late(factory) -> None:
    roll_call = await open_7a(factory)
    outcome = await take(
        factory, roll_call, Attendance(absent=frozenset({"P1", "P2"}), late=frozenset({"P3"}))
    )

    assert outcome is SubmitOutcome.SAVED
    assert day_marks(factory) == [
        ("P1", MarkKind.ABSENT),
        ("P2", MarkKind.ABSENT),
        ("P3", MarkKind.LATE),
    ]
    stored = factory.store.roll_calls[roll_call.id]
    assert (stored.status, stored.submitted_by, stored.submitted_at) == (
        RollCallStatus.SUBMITTED,
        "S1",
        MORNING,
    )


async def test_nobody_absent_is_an_answer_too(factory) -> None:
    roll_call = await open_7a(factory)
    assert await take(factory, roll_call, Attendance()) is SubmitOutcome.SAVED
    assert factory.store.roll_calls[roll_call.id].status is RollCallStatus.SUBMITTED
    assert day_marks(factory) == []


async def test_changing_the_roll_call_keeps_marks_that_stay_and_drops_the_rest(factory) -> None:
    roll_call = await open_7a(factory)
    await take(factory, roll_call, Attendance(absent=frozenset({"P1", "P2"})))
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    # Something learnt about Elsa's absence meanwhile must survive the change.
    factory.store.marks[elsa.id] = dataclasses.replace(elsa, explained=True, valid=True)

    later = MORNING + timedelta(hours=2)
    await take(
        factory, roll_call, Attendance(absent=frozenset({"P1"}), late=frozenset({"P2"})), now=later
    )

    assert day_marks(factory) == [("P1", MarkKind.ABSENT), ("P2", MarkKind.LATE)]
    assert factory.store.marks[elsa.id].explained is True
    assert factory.store.roll_calls[roll_call.id].submitted_at == later


@pytest.mark.parametrize(
    ("attendance", "staff", "now", "expected"),
    [
        (Attendance(absent=frozenset({"P1"})), JONAS, MORNING, SubmitOutcome.NOT_YOURS),
        (
            Attendance(absent=frozenset({"P1"})),
            KARIN,
            datetime(2026, 11, 23, 15, 0, tzinfo=UTC),
            SubmitOutcome.DAY_OVER,
        ),
        (
            Attendance(absent=frozenset({"P1"})),
            KARIN,
            MORNING + timedelta(days=1),
            SubmitOutcome.DAY_OVER,
        ),
        (Attendance(absent=frozenset({"P4"})), KARIN, MORNING, SubmitOutcome.UNKNOWN_PUPILS),
        (
            Attendance(absent=frozenset({"P1"}), late=frozenset({"P1"})),
            KARIN,
            MORNING,
            SubmitOutcome.BOTH_ABSENT_AND_LATE,
        ),
    ],
    ids=["other-class", "after-the-day", "next-day", "pupil-of-another-class", "both"],
)
async def test_a_roll_call_that_cannot_be_taken_changes_nothing(
    factory, attendance, staff, now, expected
) -> None:
    roll_call = await open_7a(factory)
    assert await take(factory, roll_call, attendance, staff=staff, now=now) is expected
    assert day_marks(factory) == []
    assert factory.store.roll_calls[roll_call.id].status is RollCallStatus.OPEN


async def test_only_open_roll_calls_become_not_answered(factory) -> None:
    roll_call = await open_7a(factory)
    await take(factory, roll_call, Attendance())
    async with factory() as uow:
        closed = await close_unanswered(uow, "se", MONDAY)
        await uow.commit()

    assert [(r.class_name, r.status) for r in closed] == [("7B", RollCallStatus.NOT_ANSWERED)]
    assert factory.store.roll_calls[roll_call.id].status is RollCallStatus.SUBMITTED


def contact(follow_up_id: int, **changes) -> GuardianContact:
    values = {
        "follow_up_id": follow_up_id,
        "staff_id": "S1",
        "guardian_id": "G1",
        "contacted_at": MORNING + timedelta(hours=1),
        "means": ContactMeans.PHONE,
        "outcome": ContactOutcome.REACHED,
        "valid": False,
        "recorded_at": MORNING + timedelta(hours=1),
    } | changes
    return GuardianContact(**values)


async def test_a_contact_that_settles_validity_explains_the_day_s_absence(factory) -> None:
    async with factory() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.LATE))
        follow_up = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=True, now=MORNING
        )
        await record_contact(uow, follow_up=follow_up, contact=contact(follow_up.id))
        await uow.commit()

    marks = {m.kind: m for m in factory.store.marks.values()}
    assert (marks[MarkKind.ABSENT].explained, marks[MarkKind.ABSENT].valid) == (True, False)
    assert marks[MarkKind.ABSENT].code == "invalid"
    assert (marks[MarkKind.LATE].explained, marks[MarkKind.LATE].valid) == (False, None)


async def test_a_contact_that_leaves_validity_open_leaves_the_marks_alone(factory) -> None:
    async with factory() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        follow_up = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=True, now=MORNING
        )
        again = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=False, now=MORNING
        )
        await record_contact(uow, follow_up=follow_up, contact=contact(follow_up.id, valid=None))
        await uow.commit()

    assert again == follow_up
    (mark,) = factory.store.marks.values()
    assert (mark.explained, mark.valid, mark.code) == (False, None, None)


async def test_each_line_of_the_follow_up_list_says_where_the_pupil_stands(factory) -> None:
    async with factory() as uow:
        follow_up = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=True, now=MORNING
        )
        await uow.commit()
    report = AbsenceReport("se", "P1", "G1", ReasonCategory.ILLNESS, MONDAY, MONDAY)
    tried = contact(follow_up.id, outcome=ContactOutcome.NOT_REACHED, valid=None)
    reached = contact(follow_up.id)

    assert line_state(follow_up, [], []) is LineState.WAITING
    assert line_state(follow_up, [], [tried]) is LineState.NOT_REACHED
    assert line_state(follow_up, [report], [tried]) is LineState.REPORTED
    assert line_state(follow_up, [report], [tried, reached]) is LineState.CONTACTED
