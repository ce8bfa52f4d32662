"""Corrections of past days: who may correct which day, and the audit trail they leave."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.corrections import Corrected, Refusal, correct, may_correct, school_days_back
from routine.history import record_of
from routine.model import (
    AbsenceCode,
    AttendanceMark,
    AttendanceRules,
    Country,
    Language,
    MarkKind,
    PrivacySettings,
    Pupil,
    Role,
    School,
    SchoolCalendar,
    StaffMember,
)
from routine.record import DayStatus, RecordSource
from tests.fakes import FakeUnitOfWorkFactory

# Friday 13 November 2026 is a day off: the count of school days skips it like a weekend.
SCHOOL = School(
    "se",
    "Ekbacka",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    calendar=SchoolCalendar(days_off=(date(2026, 11, 13),)),
    privacy=PrivacySettings(retention_days=30),
)
TODAY = date(2026, 11, 23)  # a Monday
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ALVA = Pupil("se", "P1", "Alva", "7A")
BO = Pupil("se", "P2", "Bo", "7B")
MENTOR = StaffMember("se", "S1", "Karin", frozenset({Role.MENTOR}), ("7A",))
PRINCIPAL = StaffMember("se", "S2", "Eva", frozenset({Role.PRINCIPAL}), slack_user_id="U-EVA")
COORDINATOR = StaffMember("se", "S3", "Nils", frozenset({Role.COORDINATOR}))
HEALTH = StaffMember("se", "S4", "Siv", frozenset({Role.PUPIL_HEALTH}), ("7A",))
CODES = (
    AbsenceCode("se", "illness", "Sjuk", valid=True),
    AbsenceCode("se", "invalid", "Ogiltig", valid=False),
    AbsenceCode("se", "late", "Sen", counts_as_absence=False, late=True),
)


def test_a_mentor_may_go_back_ten_school_days_across_weekends_and_a_day_off() -> None:
    # Mon 23 (1), 20–16 (2–6), 13 is off, 12–9 (7–10), Fri 6 would be 11.
    assert school_days_back(SCHOOL, date(2026, 11, 9), TODAY) == 10
    assert may_correct(MENTOR, SCHOOL, ALVA, TODAY, TODAY) is None
    assert may_correct(MENTOR, SCHOOL, ALVA, date(2026, 11, 9), TODAY) is None
    assert may_correct(MENTOR, SCHOOL, ALVA, date(2026, 11, 6), TODAY) is Refusal.TOO_FAR_BACK


def test_on_a_weekend_the_friday_is_the_first_day_back() -> None:
    saturday = date(2026, 11, 21)
    assert school_days_back(SCHOOL, date(2026, 11, 20), saturday) == 1
    assert may_correct(MENTOR, SCHOOL, ALVA, date(2026, 11, 6), saturday) is None
    assert may_correct(MENTOR, SCHOOL, ALVA, date(2026, 11, 5), saturday) is Refusal.TOO_FAR_BACK


def test_the_school_file_sets_how_far_back_a_mentor_may_go() -> None:
    strict = dataclasses.replace(SCHOOL, attendance=AttendanceRules(correction_days=2))
    assert may_correct(MENTOR, strict, ALVA, date(2026, 11, 20), TODAY) is None
    assert may_correct(MENTOR, strict, ALVA, date(2026, 11, 19), TODAY) is Refusal.TOO_FAR_BACK


def test_a_mentor_may_not_correct_another_class() -> None:
    assert may_correct(MENTOR, SCHOOL, BO, TODAY, TODAY) is Refusal.NOT_YOUR_CLASS


@pytest.mark.parametrize("staff", [PRINCIPAL, COORDINATOR], ids=["principal", "coordinator"])
def test_principals_and_coordinators_may_correct_any_day_of_their_school(staff) -> None:
    long_ago = date(2026, 10, 26)
    assert may_correct(staff, SCHOOL, BO, long_ago, TODAY) is None
    assert may_correct(staff, SCHOOL, ALVA, TODAY, TODAY) is None
    other_school = Pupil("no", "P1", "Ola", "7B")
    assert may_correct(staff, SCHOOL, other_school, TODAY, TODAY) is Refusal.NOT_YOUR_CLASS


def test_pupil_health_may_not_correct() -> None:
    assert may_correct(HEALTH, SCHOOL, ALVA, TODAY, TODAY) is Refusal.ROLE


@pytest.mark.parametrize("staff", [MENTOR, PRINCIPAL], ids=["mentor", "principal"])
def test_nobody_corrects_the_future_a_weekend_or_before_the_retention_cutoff(staff) -> None:
    assert may_correct(staff, SCHOOL, ALVA, date(2026, 11, 24), TODAY) is Refusal.IN_FUTURE
    assert may_correct(staff, SCHOOL, ALVA, date(2026, 11, 22), TODAY) is Refusal.NOT_SCHOOL_DAY
    # The cutoff is 30 days back, Saturday 24 October: Monday 26 is the first day left.
    assert may_correct(PRINCIPAL, SCHOOL, ALVA, date(2026, 10, 26), TODAY) is None
    old = date(2026, 10, 23)
    assert may_correct(PRINCIPAL, SCHOOL, ALVA, old, TODAY) is Refusal.PAST_RETENTION


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for pupil in (ALVA, BO):
            await uow.pupils.save(pupil)
        for member in (MENTOR, PRINCIPAL, COORDINATOR, HEALTH):
            await uow.staff.save(member)
        for code in CODES:
            await uow.codes.save(code)
        await uow.marks.add_many(
            [AttendanceMark("se", "P1", date(2026, 11, 20), MarkKind.ABSENT, marked_by="S1")]
        )
        await uow.commit()
    return factory


async def run(world: FakeUnitOfWorkFactory, **given) -> Corrected | Refusal:
    values = {
        "school": SCHOOL,
        "staff": MENTOR,
        "pupil_id": "P1",
        "day": date(2026, 11, 20),
        "status": "absent",
        "code": "illness",
        "reason": "  Illness confirmed by the guardian  ",
        "now": NOW,
        "today": TODAY,
    } | given
    async with world() as uow:
        result = await correct(uow, **values)
        await uow.commit()
    return result


async def day_of(world: FakeUnitOfWorkFactory, pupil: Pupil, day: date):
    async with world() as uow:
        return (await record_of(uow, SCHOOL, day, day, [pupil]))[pupil.pupil_id][0]


async def test_a_correction_explains_an_absence_and_keeps_before_after_who_and_why(
    world,
) -> None:
    result = await run(world)

    assert isinstance(result, Corrected)
    assert (result.before.status, result.before.source, result.before.valid) == (
        DayStatus.ABSENT,
        RecordSource.ROLL_CALL,
        None,
    )
    (stored,) = world.store.corrections.values()
    assert stored == result.correction
    assert (stored.corrected_by, stored.corrected_at, stored.reason) == (
        "S1",
        NOW,
        "Illness confirmed by the guardian",
    )
    assert (stored.status, stored.code, stored.valid, stored.flagged) == (
        DayStatus.ABSENT,
        "illness",
        True,
        False,
    )
    assert stored.before == result.before
    after = await day_of(world, ALVA, date(2026, 11, 20))
    assert (after.status, after.source, after.code, after.valid) == (
        DayStatus.ABSENT,
        RecordSource.CORRECTION,
        "illness",
        True,
    )


async def test_the_latest_correction_decides_and_each_keeps_its_own_before(world) -> None:
    first = await run(world)
    second = await run(
        world, staff=PRINCIPAL, status="present", code=None, reason="Was on a school trip", now=NOW
    )
    assert isinstance(first, Corrected) and isinstance(second, Corrected)
    assert second.before.source is RecordSource.CORRECTION
    assert second.before.code == "illness"
    after = await day_of(world, ALVA, date(2026, 11, 20))
    assert (after.status, after.code, after.valid) == (DayStatus.PRESENT, None, None)
    trail = sorted(world.store.corrections.values(), key=lambda c: c.id or 0)
    assert [(c.corrected_by, c.status) for c in trail] == [
        ("S1", DayStatus.ABSENT),
        ("S2", DayStatus.PRESENT),
    ]


async def test_an_absence_without_a_code_is_unexplained(world) -> None:
    result = await run(world, pupil_id="P1", day=TODAY, code="")
    assert isinstance(result, Corrected)
    assert (result.correction.code, result.correction.valid) == (None, None)


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        ({"staff": MENTOR, "pupil_id": "P2"}, Refusal.NOT_YOUR_CLASS),
        ({"day": date(2026, 11, 6)}, Refusal.TOO_FAR_BACK),
        ({"staff": HEALTH}, Refusal.ROLE),
        ({"day": date(2026, 11, 24)}, Refusal.IN_FUTURE),
        ({"pupil_id": "P9"}, Refusal.UNKNOWN_PUPIL),
        ({"status": "unknown"}, Refusal.UNKNOWN_STATUS),
        ({"status": "asleep"}, Refusal.UNKNOWN_STATUS),
        ({"code": "late"}, Refusal.UNKNOWN_CODE),
        ({"code": "nonsense"}, Refusal.UNKNOWN_CODE),
        ({"status": "present", "code": "illness"}, Refusal.UNKNOWN_CODE),
        ({"reason": "   "}, Refusal.REASON_MISSING),
        ({"reason": "x" * 301}, Refusal.REASON_TOO_LONG),
        ({"code": None}, Refusal.ALREADY_SO),
    ],
)
async def test_a_refused_correction_changes_nothing(world, given, refusal) -> None:
    before = await day_of(world, ALVA, date(2026, 11, 20))
    others = await day_of(world, BO, date(2026, 11, 20))

    assert await run(world, **given) is refusal

    assert world.store.corrections == {}
    assert world.store.outbox == {}
    assert await day_of(world, ALVA, date(2026, 11, 20)) == before
    assert await day_of(world, BO, date(2026, 11, 20)) == others


async def test_a_reason_of_300_characters_is_kept(world) -> None:
    result = await run(world, reason="x" * 300)
    assert isinstance(result, Corrected)


async def test_a_day_a_rule_used_is_flagged(world) -> None:
    async with world() as uow:
        await uow.record_uses.add(
            "se", "P1", date(2026, 11, 20), "step-2", NOW - timedelta(days=1)
        )
        await uow.record_uses.add("se", "P1", date(2026, 11, 19), "other-day", NOW)
        await uow.commit()

    result = await run(world)

    assert isinstance(result, Corrected)
    assert result.flagged and result.correction.flagged
    assert [use.used_by for use in result.uses] == ["step-2"]
