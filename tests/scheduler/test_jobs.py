"""The daily jobs on the fakes: what they decide, what they queue, and that twice is once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from dialogs.i18n import _, format_day, use_locale
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Country,
    Guardian,
    Language,
    MarkKind,
    PrivacySettings,
    Pupil,
    ReasonCategory,
    Role,
    School,
    SchoolClass,
    StaffMember,
)
from routine.outbox import OutboxMessage
from routine.requests import AbsencePrompt, ConcernKind, GuardianConcern
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext, UnknownSchool
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SCHOOL = School(
    "se",
    "Ekbackens skola",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    privacy=PrivacySettings(retention_days=30),
)


class Clock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
async def factory() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        for name in ("7A", "7B"):
            await uow.classes.save(SchoolClass("se", name))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil in (
            Pupil("se", "P1", "Elsa Berg", "7A"),
            Pupil("se", "P2", "Maja Lind", "7A"),
            Pupil("se", "P3", "Olle Berg", "7B"),
            Pupil("se", "P4", "Ali Khan", "7B"),
        ):
            await uow.pupils.save(pupil)
        await uow.guardians.save(
            Guardian("se", "G1", "Anna Berg", Language.SV, pupil_ids=("P1", "P3"))
        )
        await uow.guardians.save(Guardian("se", "G2", "Per Lind", Language.NB, pupil_ids=("P2",)))
        await uow.guardians.save(Guardian("se", "G3", "Sara Lind", Language.DA, pupil_ids=("P2",)))
        await uow.accounts.save(ChatAccount("telegram", "1001", "se", "guardian", "G1"))
        await uow.accounts.save(ChatAccount("console", "se/guardian/G1", "se", "guardian", "G1"))
        await uow.accounts.save(ChatAccount("telegram", "1003", "se", "guardian", "G3"))
        await uow.staff.save(
            StaffMember(
                "se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U1"
            )
        )
        await uow.staff.save(
            StaffMember(
                "se", "S2", "Jonas Ahl", frozenset({Role.MENTOR}), ("7B",), Language.DA, "U2"
            )
        )
        await uow.staff.save(
            StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL}), slack_user_id="U3")
        )
        for pupil_id, kind, lesson in (
            ("P1", MarkKind.ABSENT, None),
            ("P2", MarkKind.ABSENT, "Matematik"),
            ("P2", MarkKind.ABSENT, "Engelska"),
            ("P3", MarkKind.ABSENT, None),
            ("P4", MarkKind.LATE, None),
        ):
            await uow.marks.add(AttendanceMark("se", pupil_id, MONDAY, kind, lesson=lesson))
        await uow.reports.add(
            AbsenceReport("se", "P3", "G1", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await uow.commit()
    return factory


async def run(factory: FakeUnitOfWorkFactory, name: str, day: date = MONDAY) -> str:
    result = await JOBS[name].run(JobContext(factory, Clock()), "se", day)
    assert (result.school_key, result.day) == ("se", day)
    return result.summary


def queued(factory: FakeUnitOfWorkFactory) -> list[OutboxMessage]:
    return list(factory.store.outbox.values())


async def test_guardians_of_unreported_absences_are_asked_in_their_language(factory) -> None:
    await run(factory, "unreported-absences")
    prompts = [m for m in queued(factory) if m.kind == "unreported-prompt"]
    assert [(m.platform, m.recipient) for m in prompts] == [
        ("telegram", "1001"),
        ("telegram", "1003"),
    ]
    with use_locale("da"):
        day_in_danish = format_day(MONDAY)
    assert prompts[0].text.startswith("Elsa Berg ")
    assert prompts[1].text.startswith("Maja Lind ") and day_in_danish in prompts[1].text


async def test_each_mentor_gets_the_list_for_their_classes(factory) -> None:
    await run(factory, "unreported-absences")
    lists = {m.recipient: m.text for m in queued(factory) if m.kind == "unreported-list"}
    assert list(lists) == ["U1"]  # Olle (7B) is reported ill, so Jonas gets no list
    lines = lists["U1"].splitlines()
    with use_locale("sv"):
        phone = _("no guardian can be reached in chat: please phone")
    # Maja's guardians: Per has no chat account, but Sara is on Telegram.
    assert lines[1:3] == ["• Elsa Berg (7A)", "• Maja Lind (7A)"]
    assert len(lines) == 4 and phone not in lists["U1"]


async def test_the_mentor_is_told_to_phone_when_no_guardian_is_in_chat(factory) -> None:
    async with factory() as uow:
        await uow.accounts.delete("telegram", "1003")
        await uow.commit()
    await run(factory, "unreported-absences")
    (mentor_list,) = [m.text for m in queued(factory) if m.kind == "unreported-list"]
    with use_locale("sv"):
        phone = _("no guardian can be reached in chat: please phone")
    assert mentor_list.splitlines()[2] == f"• Maja Lind (7A) — {phone}"


async def test_running_the_job_twice_queues_nothing_twice(factory) -> None:
    first = await run(factory, "unreported-absences")
    second = await run(factory, "unreported-absences")
    assert first == "2 unreported absence(s); 3 message(s) queued, 0 already queued"
    assert second == "2 unreported absence(s); 0 message(s) queued, 3 already queued"
    assert len(queued(factory)) == 3


async def test_a_report_arriving_later_takes_the_pupil_off_the_list(factory) -> None:
    async with factory() as uow:
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        await uow.commit()
    assert (await run(factory, "unreported-absences")).startswith("1 unreported absence(s)")


async def test_the_end_of_the_day_makes_unexplained_absence_invalid(factory) -> None:
    summary = await run(factory, "end-of-day")
    marks = {(m.pupil_id, m.lesson): m for m in factory.store.marks.values()}
    assert summary == "1 explained by reports, 3 invalid"
    assert [
        (key, m.explained, m.valid, m.code)
        for key, m in sorted(marks.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    ] == [
        (("P1", None), False, False, "invalid"),
        (("P2", "Engelska"), False, False, "invalid"),
        (("P2", "Matematik"), False, False, "invalid"),
        (("P3", None), True, True, "illness"),
        (("P4", None), False, None, None),
    ]
    assert await run(factory, "end-of-day") == "0 explained by reports, 3 invalid"


async def test_in_denmark_another_reason_is_unlawful_absence(factory) -> None:
    danish = [
        c
        for c in default_absence_codes(
            SCHOOL.__class__(**{**SCHOOL.__dict__, "country": Country.DK})
        )
    ]
    async with factory() as uow:
        for code in danish:
            await uow.codes.save(code)
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        await uow.commit()
    await run(factory, "end-of-day")
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    assert (elsa.explained, elsa.valid, elsa.code) == (True, False, "other")


async def test_mentors_are_reminded_of_the_roll_call(factory) -> None:
    await run(factory, "roll-call")
    reminders = {m.recipient: m.text for m in queued(factory)}
    assert reminders == {
        "U1": "God morgon! Dags för upprop i 7A.",
        "U2": "Godmorgen! Det er tid til fremmøderegistrering i 7B.",
    }


async def test_retention_deletes_what_is_older_than_the_school_keeps(factory) -> None:
    old_day = date(2026, 10, 1)
    async with factory() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", old_day, MarkKind.ABSENT))
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.ILLNESS, old_day, old_day)
        )
        await uow.prompts.add(
            AbsencePrompt(
                "t-old", "se", "P1", "G1", old_day, created_at=datetime(2026, 10, 1, 9, tzinfo=UTC)
            )
        )
        await uow.concerns.add(
            GuardianConcern(
                "se",
                "P1",
                "G1",
                ConcernKind.HARD_TO_GET_TO_SCHOOL,
                created_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            )
        )
        await uow.outbox.add(
            OutboxMessage(
                "old",
                "telegram",
                "1001",
                "hej",
                "x",
                "se",
                created_at=datetime(2026, 10, 1, 9, tzinfo=UTC),
            )
        )
        await uow.commit()
    summary = await run(factory, "retention")
    assert summary == (
        "deleted before 2026-10-24: 1 report(s), 1 mark(s), 1 message(s), "
        "2 answer(s), request(s) and concern(s)"
    )
    assert (factory.store.prompts, factory.store.concerns) == ({}, {})
    assert {m.day for m in factory.store.marks.values()} == {MONDAY}
    assert [r.first_day for r in factory.store.reports.values()] == [MONDAY]


def test_jobs_run_at_the_school_s_times() -> None:
    assert {name: job.local_time(SCHOOL) for name, job in JOBS.items()} == {
        "roll-call": time(8, 15),
        "unreported-absences": time(9, 0),
        "end-of-day": time(16, 0),
        "retention": time(3, 30),
    }
    assert [n for n, job in JOBS.items() if not job.school_days_only] == ["retention"]


async def test_an_unknown_school_is_refused(factory) -> None:
    with pytest.raises(UnknownSchool):
        await JOBS["end-of-day"].run(JobContext(factory, Clock()), "nowhere", MONDAY)


async def test_each_prompt_carries_its_answers_as_buttons_and_is_stored_once(factory) -> None:
    await run(factory, "unreported-absences")
    await run(factory, "unreported-absences")
    prompts = sorted(factory.store.prompts.values(), key=lambda p: p.pupil_id)
    assert [(p.pupil_id, p.guardian_id, p.day) for p in prompts] == [
        ("P1", "G1", MONDAY),
        ("P2", "G3", MONDAY),
    ]
    elsa = next(m for m in queued(factory) if m.recipient == "1001")
    assert [b.id for b in elsa.buttons] == [
        f"p.{prompts[0].token}.{answer}" for answer in ("ill", "other", "call_me", "mistake")
    ]
    assert [b.label for b in elsa.buttons][:2] == ["Sjuk", "Annan orsak"]
