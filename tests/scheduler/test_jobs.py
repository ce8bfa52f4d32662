"""The daily jobs on the fakes: what they decide, what they queue, and that twice is once."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta

import pytest

from dialogs.i18n import _, format_clock, format_day, use_locale
from dialogs.labels import REASONS, mid_sentence
from routine.cases import Case, close
from routine.concerns import StaffConcern, StaffConcernKind
from routine.follow_up import ContactMeans, ContactOutcome, GuardianContact, record_contact
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
from routine.record import Correction, DayStatus
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
    RequestStatus,
)
from routine.roll_call import RollCallStatus
from routine.roster import default_absence_codes
from routine.thresholds import RuleHit
from scheduler.jobs import JOBS, JobContext
from scheduler.morning import UnknownSchool
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
    lists = {m.recipient: m for m in queued(factory) if m.kind == "follow-up-list"}
    assert list(lists) == ["U1"]  # Olle (7B) is reported ill, so Jonas gets no list
    lines = lists["U1"].text.splitlines()
    with use_locale("sv"):
        asked = _("asked the guardians in chat; no answer yet.")
        contact = _("Contact the guardian of {name}")
    # Maja's guardians: Per has no chat account, but Sara is on Telegram.
    assert lines[1:3] == [f"• Elsa Berg (7A): {asked}", f"• Maja Lind (7A): {asked}"]
    assert len(lines) == 4
    follow_ups = sorted(factory.store.follow_ups.values(), key=lambda f: f.pupil_id)
    assert [(f.pupil_id, f.day, f.reachable) for f in follow_ups] == [
        ("P1", MONDAY, True),
        ("P2", MONDAY, True),
    ]
    assert [(b.id, b.label) for b in lists["U1"].buttons] == [
        (f"f.{follow_ups[0].id}.contact", contact.format(name="Elsa Berg")),
        (f"f.{follow_ups[1].id}.contact", contact.format(name="Maja Lind")),
    ]
    assert lists["U1"].slot == "follow-up:2026-11-23"


async def test_the_mentor_is_told_to_phone_when_no_guardian_is_in_chat(factory) -> None:
    async with factory() as uow:
        await uow.accounts.delete("telegram", "1003")
        await uow.commit()
    await run(factory, "unreported-absences")
    (mentor_list,) = [m.text for m in queued(factory) if m.kind == "follow-up-list"]
    with use_locale("sv"):
        phone = _("no guardian can be reached in chat: please phone.")
    assert mentor_list.splitlines()[2] == f"• Maja Lind (7A): {phone}"
    maja = next(f for f in factory.store.follow_ups.values() if f.pupil_id == "P2")
    assert maja.reachable is False


async def test_running_the_job_twice_queues_nothing_twice(factory) -> None:
    first = await run(factory, "unreported-absences")
    second = await run(factory, "unreported-absences")
    assert first == (
        "0 roll call(s) not answered, 2 unreported absence(s); "
        "3 message(s) queued, 0 already queued"
    )
    # The mentor's list shows nothing new, so it is not queued again.
    assert second == (
        "0 roll call(s) not answered, 2 unreported absence(s); "
        "0 message(s) queued, 3 already queued"
    )
    assert len(queued(factory)) == 3
    assert len(factory.store.follow_ups) == 2


async def test_a_report_arriving_later_takes_the_pupil_off_the_list(factory) -> None:
    async with factory() as uow:
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await uow.commit()
    summary = await run(factory, "unreported-absences")
    assert summary.startswith("0 roll call(s) not answered, 1 unreported absence(s)")


async def test_another_reason_stays_on_the_list_for_staff_to_judge(factory) -> None:
    # Valid absence is illness, an appointment or granted leave (000: 783–788): "other reason"
    # is judged by staff, and the guardian who reported is not asked again.
    async with factory() as uow:
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        await uow.commit()
    summary = await run(factory, "unreported-absences")
    assert summary.startswith("0 roll call(s) not answered, 2 unreported absence(s)")
    prompts = [m for m in queued(factory) if m.kind == "unreported-prompt"]
    assert [m.recipient for m in prompts] == ["1003"]
    (mentor_list,) = [m.text for m in queued(factory) if m.kind == "follow-up-list"]
    with use_locale("sv"):
        judge = _(
            "the guardian has reported: {reason}. Valid only if the school judges so: contact "
            "the guardian and record whether it is valid."
        ).format(reason=mid_sentence(REASONS[ReasonCategory.OTHER]))
    assert f"• Elsa Berg (7A): {judge}" in mentor_list.splitlines()
    await run(factory, "end-of-day")
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    assert (elsa.explained, elsa.valid, elsa.code) == (False, None, "other")


async def test_the_end_of_the_day_makes_unexplained_absence_invalid(factory) -> None:
    summary = await run(factory, "end-of-day")
    marks = {(m.pupil_id, m.lesson): m for m in factory.store.marks.values()}
    assert summary == (
        "1 explained by reports, 3 invalid, 0 without a contact with a guardian; "
        "0 message(s) queued, 0 already queued"
    )
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
    assert (await run(factory, "end-of-day")).startswith("0 explained by reports, 3 invalid")


async def test_the_coordinators_hear_at_the_end_of_the_day_whose_guardians_nobody_reached(
    factory,
) -> None:
    # "Rektor ska se till att elevens vårdnadshavare underrättas samma dag" (001: 640–644).
    async with factory() as uow:
        await uow.staff.save(
            StaffMember(
                "se", "S4", "Lena Sund", frozenset({Role.COORDINATOR}), (), Language.NB, "U4"
            )
        )
        await uow.commit()
    await run(factory, "unreported-absences")
    elsa = next(f for f in factory.store.follow_ups.values() if f.pupil_id == "P1")
    async with factory() as uow:
        await record_contact(
            uow,
            follow_up=elsa,
            contact=GuardianContact(
                elsa.id, "S1", "G1", NOW, ContactMeans.PHONE, ContactOutcome.REACHED, None,
                recorded_at=NOW,
            ),
        )  # fmt: skip
        await uow.commit()
    summary = await run(factory, "end-of-day")
    assert "1 without a contact with a guardian; 1 message(s) queued" in summary
    (notice,) = [m for m in queued(factory) if m.kind == "guardians-not-reached"]
    assert notice.recipient == "U4"
    with use_locale("nb"):
        assert notice.text.splitlines()[1:] == [
            "• Maja Lind (7A)",
            _("The guardians must be told today."),
        ]
    again = await run(factory, "end-of-day")
    assert again.endswith("0 message(s) queued, 1 already queued")


async def test_in_denmark_another_reason_is_unlawful_absence(factory) -> None:
    danish = [
        c
        for c in default_absence_codes(
            SCHOOL.__class__(**{**SCHOOL.__dict__, "country": Country.DK})
        )
    ]
    async with factory() as uow:
        await uow.schools.save(dataclasses.replace(SCHOOL, country=Country.DK))
        for code in danish:
            await uow.codes.save(code)
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        await uow.commit()
    summary = await run(factory, "unreported-absences")
    # Unlawful absence, reported or not, is followed up the same day (004: 2474–2477).
    assert summary.startswith("0 roll call(s) not answered, 2 unreported absence(s)")
    await run(factory, "end-of-day")
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    assert (elsa.explained, elsa.valid, elsa.code) == (True, False, "other")


async def test_each_class_s_roll_call_opens_and_reaches_its_mentors(factory) -> None:
    summary = await run(factory, "roll-call")
    roll_calls = sorted(factory.store.roll_calls.values(), key=lambda r: r.class_name)
    messages = {m.recipient: m for m in queued(factory)}

    assert summary == "2 roll call(s) open; 2 message(s) queued, 0 already queued"
    assert [(r.class_name, r.day, r.status.value) for r in roll_calls] == [
        ("7A", MONDAY, "open"),
        ("7B", MONDAY, "open"),
    ]
    assert (messages["U1"].slot, messages["U2"].slot) == (
        "roll-call:7A:2026-11-23",
        "roll-call:7B:2026-11-23",
    )
    assert [b.id for b in messages["U1"].buttons] == [
        f"r.{roll_calls[0].id}.open",
        f"r.{roll_calls[0].id}.confirm",
    ]
    with use_locale("da"):
        reported = _("Reported by guardians:")
        absent = _("Absent: {names}").format(names="Olle Berg")
    # Olle's illness is reported: Jonas sees it, in Danish, before he starts.
    assert messages["U2"].text.splitlines()[2:4] == [reported, absent]
    assert await run(factory, "roll-call") == (
        "2 roll call(s) open; 0 message(s) queued, 2 already queued"
    )


async def test_mentors_whose_roll_call_is_not_in_are_reminded(factory) -> None:
    await run(factory, "roll-call")
    seven_a = next(r for r in factory.store.roll_calls.values() if r.class_name == "7A")
    factory.store.roll_calls[seven_a.id] = dataclasses.replace(
        seven_a, status=RollCallStatus.SUBMITTED, submitted_by="S1", submitted_at=NOW
    )
    summary = await run(factory, "roll-call-reminder")
    reminders = [m for m in queued(factory) if m.kind == "roll-call-reminder"]

    assert summary == "1 roll call(s) not in; 1 message(s) queued, 0 already queued"
    assert [m.recipient for m in reminders] == ["U2"]
    with use_locale("da"):
        expected = _(
            "Reminder: the roll call for class {name} is not in yet. It is due at {time}."
        ).format(name="7B", time=format_clock(time(9, 0)))
    assert reminders[0].text == expected


async def test_a_roll_call_not_in_when_due_is_recorded_as_not_answered(factory) -> None:
    async with factory() as uow:
        await uow.staff.save(
            StaffMember("se", "S4", "Lena Holm", frozenset({Role.COORDINATOR}), slack_user_id="U4")
        )
        await uow.commit()
    await run(factory, "roll-call")
    summary = await run(factory, "unreported-absences")
    statuses = {r.class_name: r.status for r in factory.store.roll_calls.values()}
    (summary_message,) = [m for m in queued(factory) if m.kind == "missing-roll-calls"]

    assert summary.startswith("2 roll call(s) not answered, ")
    assert statuses == {"7A": RollCallStatus.NOT_ANSWERED, "7B": RollCallStatus.NOT_ANSWERED}
    assert summary_message.recipient == "U4"
    with use_locale("sv"):
        first_line = _("Roll calls not answered by {time} on {day}: {classes}.").format(
            time=format_clock(time(9, 0)), day=format_day(MONDAY), classes="7A, 7B"
        )
    assert summary_message.text.splitlines()[0] == first_line


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
        await uow.staff_concerns.add(
            StaffConcern(
                "se",
                "P1",
                "S1",
                StaffConcernKind.LEAVES_LESSONS,
                "",
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
        at = datetime(2026, 10, 1, 9, tzinfo=UTC)
        for day in (old_day, MONDAY):
            await uow.corrections.add(
                Correction("se", "P1", day, DayStatus.PRESENT, None, None, "why", "S1", at)
            )
            await uow.record_uses.add("se", "P1", day, "step-2", at)
            await uow.rule_hits.add_new(
                [RuleHit("se", "P1", "se.step2", day - timedelta(days=27), day, {"count": 3})], at
            )
        # A case closed before the cutoff goes with its log; an open one stays however old.
        [old_case] = await uow.cases.add_new([Case("se", "P1", "se.step2", at, "rule:se.step2")])
        await uow.cases.update(close(old_case, at))
        await uow.cases.add_new([Case("se", "P1", "se.step2", at, "guardian_concern")])
        await uow.commit()
    summary = await run(factory, "retention")
    assert summary == (
        "deleted before 2026-10-24: 1 report(s), 0 leave request(s), 1 mark(s), "
        "0 roll call(s) and follow-up(s), 3 correction(s), record use(s) and rule hit(s), "
        "1 message(s), 1 closed case(s), "
        "3 answer(s), request(s) and concern(s)"
    )
    assert [c.opened_by for c in factory.store.cases.values()] == ["guardian_concern"]
    assert (factory.store.prompts, factory.store.concerns) == ({}, {})
    assert factory.store.staff_concerns == {}
    assert {m.day for m in factory.store.marks.values()} == {MONDAY}
    assert [r.first_day for r in factory.store.reports.values()] == [MONDAY]
    assert [c.day for c in factory.store.corrections.values()] == [MONDAY]
    assert [u.day for u in factory.store.record_uses.values()] == [MONDAY]
    assert [h.window_end for h in factory.store.rule_hits.values()] == [MONDAY]


def test_jobs_run_at_the_school_s_times() -> None:
    assert {name: job.local_time(SCHOOL) for name, job in JOBS.items()} == {
        "platform-locales": time(7, 15),
        "roll-call": time(8, 15),
        "roll-call-reminder": time(8, 45),
        "unreported-absences": time(9, 0),
        "end-of-day": time(16, 0),
        "evaluate-thresholds": time(16, 30),
        "retention": time(3, 30),
        "leave-reminder": time(8, 15),
        "case-reminders": time(8, 15),
        "nothing-new": time(8, 15),
        "contact-escalation": time(8, 15),
    }
    assert [n for n, job in JOBS.items() if not job.school_days_only] == ["retention"]
    assert [(n, job.every) for n, job in JOBS.items() if job.every] == [
        ("contact-escalation", timedelta(minutes=5))
    ]


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


async def test_contact_requests_nobody_took_in_time_go_to_the_coordinators(factory) -> None:
    async with factory() as uow:
        await uow.staff.save(
            StaffMember("se", "S4", "Lena Holm", frozenset({Role.COORDINATOR}), slack_user_id="U4")
        )
        waited = await uow.contact_requests.add(
            ContactRequest(
                "se",
                "P1",
                "G1",
                ContactTopic.ATTENDANCE,
                ContactWay.PHONE,
                ContactTime.ANY,
                created_at=NOW - timedelta(hours=2, minutes=1),
            )
        )
        for created, status in (
            (NOW - timedelta(minutes=90), RequestStatus.OPEN),
            (NOW - timedelta(hours=5), RequestStatus.TAKEN),
        ):
            await uow.contact_requests.add(
                ContactRequest(
                    "se",
                    "P2",
                    "G3",
                    ContactTopic.WELLBEING,
                    ContactWay.MESSAGE,
                    ContactTime.MORNING,
                    created_at=created,
                    status=status,
                )
            )
        await uow.commit()

    first = await run(factory, "contact-escalation")
    second = await run(factory, "contact-escalation")
    (message,) = [m for m in queued(factory) if m.kind == "contact-escalated"]

    assert first == "1 request(s) escalated; 1 message(s) queued, 0 already queued"
    assert second == "0 request(s) escalated; 0 message(s) queued, 0 already queued"
    assert factory.store.contact_requests[waited.id].escalated_at == NOW
    assert message.recipient == "U4"
    assert "Elsa Berg" in message.text and "Anna Berg" in message.text
    # No possessive built from a name, and the labels in lower case inside the sentence.
    assert message.text.startswith("Ingen har tagit förfrågan från Anna Berg än.")
    assert "Hur: per telefon." in message.text
    assert [b.id for b in message.buttons] == [f"c.{waited.id}.take", f"c.{waited.id}.done"]


async def test_requests_are_not_escalated_outside_the_school_day(factory) -> None:
    async with factory() as uow:
        await uow.contact_requests.add(
            ContactRequest(
                "se",
                "P1",
                "G1",
                ContactTopic.ATTENDANCE,
                ContactWay.PHONE,
                ContactTime.ANY,
                created_at=NOW - timedelta(hours=12),
            )
        )
        await uow.commit()

    class Evening:
        def now(self) -> datetime:
            return datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm

    result = await JOBS["contact-escalation"].run(JobContext(factory, Evening()), "se", MONDAY)
    assert result.summary.startswith("0 request(s) escalated")


async def test_at_the_end_of_the_day_the_roll_call_messages_lose_their_buttons(factory) -> None:
    await run(factory, "roll-call")
    seven_a = next(r for r in factory.store.roll_calls.values() if r.class_name == "7A")
    factory.store.roll_calls[seven_a.id] = dataclasses.replace(
        seven_a, status=RollCallStatus.SUBMITTED, submitted_by="S1", submitted_at=NOW
    )

    class Afternoon:
        def now(self) -> datetime:
            return datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 16:00 in Stockholm

    await JOBS["end-of-day"].run(JobContext(factory, Afternoon()), "se", MONDAY)
    latest = {}
    for message in sorted(queued(factory), key=lambda m: m.id or 0):
        latest[message.recipient] = message

    assert (latest["U1"].buttons, latest["U2"].buttons) == ((), ())
    with use_locale("da"):
        not_taken = _("Not answered: no roll call was taken for this day.")
    with use_locale("sv"):
        still = _("You can change it until {time}.").format(time=format_clock(time(16, 0)))
    assert latest["U2"].text.splitlines()[-1] == not_taken
    assert "Karin Ek" in latest["U1"].text and still not in latest["U1"].text
