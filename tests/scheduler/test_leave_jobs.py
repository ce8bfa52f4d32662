"""The day's jobs and leave: granted leave at the end of the day and in step 1, the reminder of
requests nobody decided, and retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Language,
    MarkKind,
    Pupil,
    ReasonCategory,
    Role,
    SchoolClass,
    StaffMember,
)
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.jobs.support import MONDAY, SCHOOL

FRIDAY_BEFORE = datetime(2026, 11, 20, 12, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    """Elsa (P1) on granted leave Monday, also reported 'other'; Maja (P2) absent, refused
    leave; both marked absent. Eva and Lars decide leave; Karin is 7A's mentor."""
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.classes.save(SchoolClass("se", "7A"))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        await uow.pupils.save(Pupil("se", "P1", "Elsa Berg", "7A"))
        await uow.pupils.save(Pupil("se", "P2", "Maja Lind", "7A"))
        await uow.guardians.save(Guardian("se", "G1", "Anna Berg", Language.SV, pupil_ids=("P1",)))
        await uow.guardians.save(Guardian("se", "G2", "Per Lind", Language.SV, pupil_ids=("P2",)))
        for guardian_id, chat in (("G1", "1001"), ("G2", "1002")):
            await uow.accounts.save(ChatAccount("telegram", chat, "se", "guardian", guardian_id))
        for member in (
            StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), None, "U1"),
            StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL}), (), None, "U3"),
            StaffMember("se", "S4", "Lars Ek", frozenset({Role.PRINCIPAL}), (), Language.DA, "U4"),
            StaffMember("se", "S5", "No Slack", frozenset({Role.PRINCIPAL})),
        ):
            await uow.staff.save(member)
        for pupil_id in ("P1", "P2"):
            await uow.marks.add(AttendanceMark("se", pupil_id, MONDAY, MarkKind.ABSENT))
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        for pupil_id, guardian_id, status in (
            ("P1", "G1", LeaveStatus.GRANTED),
            ("P2", "G2", LeaveStatus.REFUSED),
        ):
            await uow.leave_requests.add(
                LeaveRequest(
                    "se",
                    pupil_id,
                    guardian_id,
                    MONDAY,
                    MONDAY,
                    "Resa",
                    FRIDAY_BEFORE,
                    status=status,
                    decided_by="S3",
                )
            )
        await uow.commit()
    return factory


async def run(world, name: str, day: date, now: datetime | None = None) -> str:
    moment = now or datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
    result = await JOBS[name].run(JobContext(world, Clock(moment)), "se", day)
    return result.summary


async def test_the_end_of_the_day_gives_granted_leave_the_leave_code(world) -> None:
    summary = await run(world, "end-of-day", MONDAY)
    marks = {m.pupil_id: m for m in world.store.marks.values()}
    assert summary.startswith("1 on granted leave, 0 explained by reports, 1 invalid, ")
    assert (marks["P1"].code, marks["P1"].valid, marks["P1"].explained) == ("leave", True, True)
    assert (marks["P2"].code, marks["P2"].valid) == ("invalid", False)


async def test_a_pupil_on_granted_leave_is_not_followed_up_as_unreported(world) -> None:
    async with world() as uow:
        # Without the report, Elsa would be absent with nothing explaining it but the leave.
        for report_id in list(world.store.reports):
            del world.store.reports[report_id]
        await uow.commit()
    summary = await run(world, "unreported-absences", MONDAY)
    assert "1 unreported absence(s)" in summary
    prompts = [m for m in world.store.outbox.values() if m.kind == "unreported-prompt"]
    assert [m.recipient for m in prompts] == ["1002"]
    assert [f.pupil_id for f in world.store.follow_ups.values()] == ["P2"]


async def _pending(world) -> LeaveRequest:
    async with world() as uow:
        request = await uow.leave_requests.add(
            LeaveRequest(
                "se", "P2", "G2", date(2026, 12, 7), date(2026, 12, 8), "Resa", FRIDAY_BEFORE
            )
        )
        await uow.commit()
    return request


async def test_a_request_waiting_two_school_days_is_reminded_once_a_day(world) -> None:
    request = await _pending(world)
    # Asked on Friday: the weekend does not count, so Monday is one school day.
    assert await run(world, "leave-reminder", MONDAY) == (
        "0 leave request(s) waiting; 0 message(s) queued, 0 already queued"
    )
    tuesday = MONDAY + timedelta(days=1)
    assert await run(world, "leave-reminder", tuesday) == (
        "1 leave request(s) waiting; 2 message(s) queued, 0 already queued"
    )
    reminders = [m for m in world.store.outbox.values() if m.kind == "leave-reminder"]
    assert sorted(m.recipient for m in reminders) == ["U3", "U4"]
    by_recipient = {m.recipient: m for m in reminders}
    assert by_recipient["U3"].text.startswith("En ansökan om ledighet för Maja Lind (7A)")
    assert by_recipient["U4"].text.startswith("En ansøgning om ekstraordinær frihed til Maja")
    assert [b.id for b in by_recipient["U3"].buttons] == [
        f"l.{request.id}.grant",
        f"l.{request.id}.refuse",
    ]
    assert world.store.leave_requests[request.id].reminded_at is not None
    # Later the same day: not again. The next school day: again.
    later = datetime(2026, 11, 24, 13, tzinfo=UTC)
    assert (await run(world, "leave-reminder", tuesday, later)).startswith("0 leave request(s)")
    wednesday = tuesday + timedelta(days=1)
    assert (await run(world, "leave-reminder", wednesday)).startswith("1 leave request(s)")
    assert JOBS["leave-reminder"].school_days_only


async def test_a_decided_request_is_not_reminded(world) -> None:
    request = await _pending(world)
    async with world() as uow:
        await uow.leave_requests.decide(
            request.id, status=LeaveStatus.GRANTED, by="S3", at=FRIDAY_BEFORE
        )
        await uow.commit()
    assert (await run(world, "leave-reminder", MONDAY + timedelta(days=3))).startswith(
        "0 leave request(s)"
    )


async def test_retention_deletes_leave_that_ended_before_the_cutoff(world) -> None:
    await _pending(world)
    summary = await run(world, "retention", date(2026, 12, 24))
    assert "2 leave request(s)" in summary
    assert [r.first_day for r in world.store.leave_requests.values()] == [date(2026, 12, 7)]
