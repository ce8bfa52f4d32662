"""Leave requests on the fakes: the limits, whose child, one decision only, and the record."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.attendance import close_the_day, without_granted_leave
from routine.history import record_of
from routine.leave import (
    LeaveError,
    LeaveRejected,
    LeaveRequest,
    LeaveStatus,
    decide,
    due_for_reminder,
    request_leave,
    withdraw,
)
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    Country,
    Guardian,
    Language,
    LeaveRules,
    MarkKind,
    Pupil,
    ReasonCategory,
    Role,
    School,
    StaffMember,
)
from routine.record import DayStatus, RecordSource
from routine.roster import default_absence_codes
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 7, 30, tzinfo=UTC)
SCHOOL = School(
    "dk",
    "Skovbakke Skole",
    Country.DK,
    "Europe/Copenhagen",
    Language.DA,
    leave=LeaveRules(max_days_ahead=30, max_span_days=5, max_reason_length=20),
)
PRINCIPAL = StaffMember("dk", "S1", "Birgitte Lund", frozenset({Role.PRINCIPAL}))
DEPUTY = StaffMember("dk", "S2", "Jens Holm", frozenset({Role.PRINCIPAL}))
MENTOR = StaffMember("dk", "S3", "Søren Madsen", frozenset({Role.MENTOR}), ("6A",))


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        await uow.pupils.save(Pupil("dk", "P1", "Emil Hansen", "6A"))
        await uow.pupils.save(Pupil("dk", "P2", "Ida Jensen", "6A"))
        await uow.pupils.save(Pupil("dk", "P3", "Gone Away", "6A", active=False))
        await uow.guardians.save(
            Guardian("dk", "G1", "Mette Hansen", Language.DA, pupil_ids=("P1", "P3"))
        )
        for member in (PRINCIPAL, DEPUTY, MENTOR):
            await uow.staff.save(member)
        await uow.commit()
    return factory


async def ask(world, *, pupil="P1", first=MONDAY, last=MONDAY, reason="Bryllup") -> LeaveRequest:
    async with world() as uow:
        request = await request_leave(
            uow,
            school=SCHOOL,
            guardian_id="G1",
            pupil_id=pupil,
            first_day=first,
            last_day=last,
            reason=reason,
            today=MONDAY,
            now=NOW,
        )
        await uow.commit()
    return request


async def test_a_request_within_the_limits_is_stored_pending(world) -> None:
    request = await ask(world, first=MONDAY, last=MONDAY + timedelta(days=2), reason=" Bryllup ")
    stored = world.store.leave_requests[request.id]
    assert (stored.status, stored.reason, stored.requested_at) == (
        LeaveStatus.PENDING,
        "Bryllup",
        NOW,
    )


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"first": MONDAY - timedelta(days=1)}, [LeaveError.IN_THE_PAST]),
        (
            {"first": MONDAY + timedelta(days=31), "last": MONDAY + timedelta(days=31)},
            [LeaveError.TOO_FAR_AHEAD],
        ),
        (
            {"last": MONDAY - timedelta(days=1)},
            [LeaveError.ENDS_BEFORE_START],
        ),
        ({"last": MONDAY + timedelta(days=5)}, [LeaveError.TOO_LONG]),
        ({"reason": "  "}, [LeaveError.REASON_MISSING]),
        ({"reason": "x" * 21}, [LeaveError.REASON_TOO_LONG]),
        ({"pupil": "P2"}, [LeaveError.NOT_YOUR_CHILD]),
        ({"pupil": "P3"}, [LeaveError.NOT_YOUR_CHILD]),
        (
            {"first": date(2026, 11, 28), "last": date(2026, 11, 29)},
            [LeaveError.NO_SCHOOL_DAYS],
        ),
    ],
)
async def test_requests_outside_the_limits_are_refused_and_nothing_stored(
    world, kwargs, errors
) -> None:
    with pytest.raises(LeaveRejected) as refused:
        await ask(world, **kwargs)
    assert refused.value.errors == errors
    assert world.store.leave_requests == {}


async def test_two_deciders_at_once_one_wins_and_the_other_is_told(world) -> None:
    request = await ask(world)
    async with world() as first, world() as second:
        granted = await decide(
            first,
            school=SCHOOL,
            staff=PRINCIPAL,
            request_id=request.id,
            grant=True,
            comment="God tur",
            now=NOW,
        )
        refused = await decide(
            second,
            school=SCHOOL,
            staff=DEPUTY,
            request_id=request.id,
            grant=False,
            comment="",
            now=NOW,
        )
        await first.commit()
        await second.commit()
    assert (granted.won, refused.won) == (True, False)
    assert refused.request.status is LeaveStatus.GRANTED
    assert refused.request.decided_by == "S1"
    assert world.store.leave_requests[request.id].comment == "God tur"


async def test_only_the_school_s_deciding_role_decides(world) -> None:
    request = await ask(world)
    async with world() as uow:
        with pytest.raises(LeaveRejected) as refused:
            await decide(
                uow,
                school=SCHOOL,
                staff=MENTOR,
                request_id=request.id,
                grant=True,
                comment="",
                now=NOW,
            )
    assert refused.value.errors == [LeaveError.NOT_A_DECIDER]
    coordinators_decide = dataclasses.replace(
        SCHOOL, leave=dataclasses.replace(SCHOOL.leave, decided_by=Role.MENTOR)
    )
    async with world() as uow:
        decision = await decide(
            uow,
            school=coordinators_decide,
            staff=MENTOR,
            request_id=request.id,
            grant=True,
            comment="",
            now=NOW,
        )
    assert decision.won
    other_school = dataclasses.replace(PRINCIPAL, school_key="se")
    async with world() as uow:
        with pytest.raises(LeaveRejected):
            await decide(
                uow,
                school=SCHOOL,
                staff=other_school,
                request_id=request.id,
                grant=True,
                comment="",
                now=NOW,
            )


async def test_a_guardian_withdraws_only_a_pending_request_of_their_own(world) -> None:
    request = await ask(world)
    guardian = world.store.guardians[("dk", "G1")]
    stranger = dataclasses.replace(guardian, guardian_id="G9")
    async with world() as uow:
        with pytest.raises(LeaveRejected):
            await withdraw(uow, guardian=stranger, request_id=request.id, now=NOW)
        withdrawn = await withdraw(uow, guardian=guardian, request_id=request.id, now=NOW)
        assert withdrawn.status is LeaveStatus.WITHDRAWN
        with pytest.raises(LeaveRejected) as again:
            await withdraw(uow, guardian=guardian, request_id=request.id, now=NOW)
    assert again.value.errors == [LeaveError.NOT_PENDING]


async def _record_status(world, request: LeaveRequest, grant: bool):
    async with world() as uow:
        await decide(
            uow,
            school=SCHOOL,
            staff=PRINCIPAL,
            request_id=request.id,
            grant=grant,
            comment="",
            now=NOW,
        )
        await uow.marks.add_many([AttendanceMark("dk", "P1", MONDAY, MarkKind.ABSENT)])
        pupil = await uow.pupils.get("dk", "P1")
        (day,) = (await record_of(uow, SCHOOL, MONDAY, MONDAY, [pupil]))["P1"]
    return day


async def test_granted_leave_makes_the_record_leave_and_valid(world) -> None:
    day = await _record_status(world, await ask(world), grant=True)
    assert (day.status, day.code, day.valid) == (DayStatus.ABSENT, "leave", True)


async def test_refused_leave_leaves_the_record_as_it_was(world) -> None:
    day = await _record_status(world, await ask(world), grant=False)
    assert day.source is not RecordSource.LEAVE
    assert day.code != "leave"


def test_the_end_of_the_day_gives_granted_leave_the_leave_code_even_with_a_report() -> None:
    granted = LeaveRequest(
        "dk", "P1", "G1", MONDAY, MONDAY, "Bryllup", NOW, status=LeaveStatus.GRANTED
    )
    refused = dataclasses.replace(granted, pupil_id="P2", status=LeaveStatus.REFUSED)
    marks = [
        AttendanceMark("dk", "P1", MONDAY, MarkKind.ABSENT, id=1),
        AttendanceMark("dk", "P2", MONDAY, MarkKind.ABSENT, id=2),
    ]
    report = AbsenceReport("dk", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
    closed = close_the_day(
        SCHOOL, marks, [report], default_absence_codes(SCHOOL), [granted, refused]
    )
    assert [(m.pupil_id, m.code, m.valid, m.explained) for m in closed.on_leave] == [
        ("P1", "leave", True, True)
    ]
    assert [m.pupil_id for m in closed.invalid] == ["P2"]
    assert without_granted_leave(["P1", "P2"], [granted, refused], MONDAY) == ["P2"]


def test_a_request_is_reminded_after_the_school_days_and_once_a_day() -> None:
    friday = datetime(2026, 11, 20, 10, tzinfo=UTC)
    request = LeaveRequest("dk", "P1", "G1", MONDAY, MONDAY, "Bryllup", friday, id=1)
    # Asked on Friday: Monday is the first school day after, Tuesday the second (default 2).
    assert due_for_reminder([request], SCHOOL, MONDAY) == []
    tuesday = MONDAY + timedelta(days=1)
    assert due_for_reminder([request], SCHOOL, tuesday) == [request]
    reminded = dataclasses.replace(request, reminded_at=datetime(2026, 11, 24, 7, tzinfo=UTC))
    assert due_for_reminder([reminded], SCHOOL, tuesday) == []
    assert due_for_reminder([reminded], SCHOOL, tuesday + timedelta(days=1)) == [reminded]
    decided = dataclasses.replace(request, status=LeaveStatus.GRANTED)
    assert due_for_reminder([decided], SCHOOL, tuesday) == []
