"""The staff side of the day through the engine: the roll call, the same-day follow-up list,
guardian contacts, the day at a glance, and escalated contact requests."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from dialogs.events import Incoming, Reply
from dialogs.flows.roll_call import pupils_absent, pupils_late
from dialogs.i18n import _, format_day, use_locale
from dialogs.labels import mid_sentence
from routine.follow_up import ContactMeans, ContactOutcome, open_follow_up
from routine.guardian_requests import ask_about_absence
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    MarkKind,
    ReasonCategory,
)
from routine.outbox import OutboxMessage
from routine.requests import (
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    RequestStatus,
)
from routine.roll_call import RollCall, RollCallStatus, open_roll_calls
from routine.roster import default_absence_codes
from tests.dialogs.conftest import MONDAY_MORNING, SCHOOLS, FixedClock
from tests.dialogs.transcript import Chat
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)
SE = SCHOOLS["se"]


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


@pytest.fixture
async def day(world: FakeUnitOfWorkFactory, clock: FixedClock) -> FakeUnitOfWorkFactory:
    """Staff on Slack; Maja (P3, 7A) reported ill by Per; roll calls open."""
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        for code in default_absence_codes(SE):
            await uow.codes.save(code)
        await uow.reports.add(
            AbsenceReport("se", "P3", "G2", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await open_roll_calls(uow, SE, MONDAY, clock.now())
        await uow.commit()
    return world


def roll_call_of(world: FakeUnitOfWorkFactory, class_name: str) -> RollCall:
    return next(r for r in world.store.roll_calls.values() if r.class_name == class_name)


async def press(chat: Chat, button_id: str) -> list[Reply]:
    return await chat.engine.handle(Incoming(key=chat.key, button=button_id))


async def submit(chat: Chat, reply: Reply, **values: str) -> list[Reply]:
    assert reply.form is not None
    incoming = Incoming(key=chat.key, form=values, form_id=reply.form.id)
    return await chat.engine.handle(incoming)


def with_form(replies: list[Reply]) -> Reply:
    (reply,) = [r for r in replies if r.form is not None]
    return reply


def slack_to(world: FakeUnitOfWorkFactory, recipient: str, kind: str) -> list[OutboxMessage]:
    return [
        m
        for m in sorted(world.store.outbox.values(), key=lambda m: m.id or 0)
        if m.recipient == recipient and m.kind == kind
    ]


async def test_the_roll_call_form_lists_the_class_with_reported_absences_marked(
    chat_as, day
) -> None:
    karin = chat_as("se-S1")
    await karin.send("/start")
    form = with_form(await karin.send(f"[{sv('Roll call')}]")).form

    absent, late = form.fields
    assert (absent.name, absent.multiple, absent.required) == ("absent", True, False)
    assert absent.choices == (("P1", "Elsa Berg"), ("P3", "Maja Lind"))
    assert (absent.initial, late.initial) == (("P3",), ())


async def test_a_submitted_roll_call_is_stored_and_its_message_edited(chat_as, day) -> None:
    karin = chat_as("se-S1")
    seven_a = roll_call_of(day, "7A")
    form_reply = with_form(await press(karin, f"r.{seven_a.id}.open"))
    replies = await submit(karin, form_reply, absent="P1\nP3", late="")

    with use_locale("sv"):
        saved = _("Roll call for class {name} saved: {absent}, {late}.").format(
            name="7A", absent=pupils_absent(2), late=pupils_late(0)
        )
    assert replies[0].text.startswith(saved)
    assert sorted((m.pupil_id, m.kind) for m in day.store.marks.values()) == [
        ("P1", MarkKind.ABSENT),
        ("P3", MarkKind.ABSENT),
    ]
    assert day.store.roll_calls[seven_a.id].status is RollCallStatus.SUBMITTED
    (message,) = slack_to(day, "U-S1", "roll-call")
    assert message.slot == "roll-call:7A:2026-11-23"
    with use_locale("sv"):
        assert _("Absent: {names}").format(names="Elsa Berg, Maja Lind") in message.text
        assert [b.label for b in message.buttons] == [_("Change the roll call")]


async def test_nobody_else_absent_takes_the_reports_as_they_are(chat_as, day) -> None:
    karin = chat_as("se-S1")
    seven_a = roll_call_of(day, "7A")
    await press(karin, f"r.{seven_a.id}.confirm")
    again = await press(karin, f"r.{seven_a.id}.confirm")

    assert [(m.pupil_id, m.kind) for m in day.store.marks.values()] == [("P3", MarkKind.ABSENT)]
    assert day.store.roll_calls[seven_a.id].status is RollCallStatus.SUBMITTED
    with use_locale("sv"):
        already = _("The roll call for class {name} is already in.").format(name="7A")
    assert again[0].text == already


async def test_a_submitted_roll_call_can_be_changed_and_shows_what_was_submitted(
    chat_as, day
) -> None:
    karin = chat_as("se-S1")
    seven_a = roll_call_of(day, "7A")
    await submit(karin, with_form(await press(karin, f"r.{seven_a.id}.open")), absent="P1")
    form = with_form(await press(karin, f"r.{seven_a.id}.change")).form
    assert [f.initial for f in form.fields] == [("P1",), ()]

    await submit(karin, with_form([Reply("", form=form)]), absent="", late="P1")
    assert [(m.pupil_id, m.kind) for m in day.store.marks.values()] == [("P1", MarkKind.LATE)]


async def test_a_mentor_of_another_class_cannot_take_it(chat_as, day) -> None:
    jonas = chat_as("se-S2")
    replies = await press(jonas, f"r.{roll_call_of(day, '7A').id}.open")
    assert replies[0].text == sv("This button has expired.")
    assert all(r.form is None for r in replies)


async def test_absent_and_late_at_once_is_explained_and_nothing_saved(chat_as, day) -> None:
    karin = chat_as("se-S1")
    form_reply = with_form(await press(karin, f"r.{roll_call_of(day, '7A').id}.open"))
    replies = await submit(karin, form_reply, absent="P1", late="P1")

    assert replies[0].text == sv(
        "A pupil cannot be both absent and late. Please correct the roll call."
    )
    assert replies[-1].form is not None
    assert list(day.store.marks.values()) == []


async def test_after_the_end_of_the_day_the_roll_call_is_closed(chat_as, day, clock) -> None:
    clock.moment = MONDAY_MORNING + timedelta(hours=8)  # 16:30
    replies = await press(chat_as("se-S1"), f"r.{roll_call_of(day, '7A').id}.open")
    with use_locale("sv"):
        closed = _("The roll call for class {name} can no longer be changed.").format(name="7A")
    assert replies[0].text == closed


async def test_a_roll_call_taken_after_it_was_due_is_followed_up_at_once(
    chat_as, day, clock
) -> None:
    async with day() as uow:
        await uow.accounts.save(ChatAccount("telegram", "1001", "se", "guardian", "G1"))
        await uow.commit()
    clock.moment = MONDAY_MORNING + timedelta(hours=1)  # 09:30, after the prompts went out
    karin = chat_as("se-S1")
    await submit(
        karin, with_form(await press(karin, f"r.{roll_call_of(day, '7A').id}.open")), absent="P1"
    )

    prompts = [m for m in day.store.outbox.values() if m.kind == "unreported-prompt"]
    assert [(m.platform, m.recipient) for m in prompts] == [("telegram", "1001")]
    (follow_up_list,) = slack_to(day, "U-S1", "follow-up-list")
    assert "Elsa Berg" in follow_up_list.text


@pytest.fixture
async def followed(day: FakeUnitOfWorkFactory, clock: FixedClock) -> int:
    """Elsa (P1) is absent without a report, and is being followed up."""
    async with day() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        follow_up = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=True, now=clock.now()
        )
        await uow.commit()
    assert follow_up.id is not None
    return follow_up.id


async def test_the_contact_form_offers_the_guardians_and_the_step_1_topics(
    chat_as, followed
) -> None:
    form = with_form(await press(chat_as("se-S1"), f"f.{followed}.contact")).form

    fields = {f.name: f for f in form.fields}
    assert list(fields) == ["whom", "means", "time", "outcome", "valid", "topics", "note"]
    assert fields["whom"].choices == (("G1", "Anna Berg"), ("-", sv("Someone else")))
    assert fields["time"].initial == ("08:30",)
    assert [label for _value, label in fields["topics"].choices] == [
        sv("Causes of the absence"),
        sv("The next school day"),
        sv("The pupil's perspective"),
        sv("Compulsory schooling"),
    ]
    assert (fields["topics"].multiple, fields["note"].required) == (True, False)


async def test_a_recorded_contact_explains_the_absence_and_updates_the_list(
    chat_as, day, followed
) -> None:
    karin = chat_as("se-S1")
    form_reply = with_form(await press(karin, f"f.{followed}.contact"))
    replies = await submit(
        karin,
        form_reply,
        whom="G1",
        means="phone",
        time="08:20",
        outcome="reached",
        valid="invalid",
        topics="causes\nnext_school_day",
        note="",
    )

    with use_locale("sv"):
        assert replies[0].text == _("Saved: your contact with the guardian of {name}.").format(
            name="Elsa Berg"
        )
    (contact,) = day.store.guardian_contacts.values()
    assert (contact.staff_id, contact.guardian_id, contact.means, contact.outcome) == (
        "S1",
        "G1",
        ContactMeans.PHONE,
        ContactOutcome.REACHED,
    )
    assert contact.contacted_at == datetime(2026, 11, 23, 7, 20, tzinfo=MONDAY_MORNING.tzinfo)
    (mark,) = day.store.marks.values()
    assert (mark.explained, mark.valid, mark.code) == (True, False, "invalid")
    (follow_up_list,) = slack_to(day, "U-S1", "follow-up-list")
    assert follow_up_list.slot == "follow-up:2026-11-23"
    with use_locale("sv"):
        line = _("contacted by {name} at {time}, {means}.").format(
            name="Karin Ek", time="08:20", means=_("by phone")
        )
    assert f"• Elsa Berg (7A): {line}" in follow_up_list.text


async def test_a_contact_time_in_the_future_is_explained(chat_as, day, followed) -> None:
    karin = chat_as("se-S1")
    form_reply = with_form(await press(karin, f"f.{followed}.contact"))
    replies = await submit(
        karin, form_reply, whom="G1", means="phone", time="10:00", outcome="reached", valid="open"
    )
    assert replies[0].text == "Ange tiden för kontakten som TT:MM, i dag och inte senare än nu."
    assert day.store.guardian_contacts == {}


async def test_staff_who_may_not_see_the_pupil_cannot_record_a_contact(chat_as, followed) -> None:
    replies = await press(chat_as("se-S2"), f"f.{followed}.contact")
    assert replies[0].text == sv("This button has expired.")


async def test_a_guardian_s_answer_updates_the_mentor_s_list(
    chat_as, day, followed, clock
) -> None:
    async with day() as uow:
        prompt = await ask_about_absence(
            uow, school_key="se", pupil_id="P1", guardian_id="G1", day=MONDAY, now=clock.now()
        )
        await uow.commit()
    await press(chat_as("se-G1"), f"p.{prompt.token}.ill")

    (follow_up_list,) = slack_to(day, "U-S1", "follow-up-list")
    with use_locale("sv"):
        line = _("the guardian has reported: {reason}.").format(reason=mid_sentence(_("Ill")))
    assert f"• Elsa Berg (7A): {line}" in follow_up_list.text


async def test_today_shows_roll_calls_to_take_and_who_to_contact(chat_as, day, followed) -> None:
    replies = await chat_as("se-S1").send("/today")

    summary = replies[0]
    with use_locale("sv"):
        expected = [
            _("Today, {day}").format(day=format_day(MONDAY)),
            _("Roll calls to take: {classes}").format(classes="7A"),
            _("Absent without a report: {count}, of whom still to contact: {names}").format(
                count="1", names="Elsa Berg"
            ),
            _("Open contact requests: {count}").format(count="0"),
        ]
        label = f"{_('Take the roll call')}: 7A"
    assert summary.text.splitlines() == expected
    assert [(b.id, b.label) for b in summary.buttons] == [
        (f"r.{roll_call_of(day, '7A').id}.open", label)
    ]
    assert replies[1].buttons  # the menu follows


async def test_a_coordinator_may_take_an_escalated_request(chat_as, day, clock) -> None:
    async with day() as uow:
        request = await uow.contact_requests.add(
            ContactRequest(
                "se",
                "P1",
                "G1",
                ContactTopic.ATTENDANCE,
                ContactWay.PHONE,
                ContactTime.ANY,
                created_at=clock.now() - timedelta(hours=3),
            )
        )
        await uow.commit()
    nils = chat_as("se-S4")  # coordinator, no classes
    refused = await press(nils, f"c.{request.id}.take")
    day.store.contact_requests[request.id] = dataclasses.replace(request, escalated_at=clock.now())
    taken = await press(nils, f"c.{request.id}.take")

    assert refused[0].text == sv("This button has expired.")
    assert taken[0].text == sv(
        "You have taken the request. The guardian is told that you will contact them."
    )
    assert day.store.contact_requests[request.id].status is RequestStatus.TAKEN


async def test_nobody_else_absent_pressed_meanwhile_leaves_the_open_form_working(
    chat_as, day
) -> None:
    karin = chat_as("se-S1")
    seven_a = roll_call_of(day, "7A")
    await press(karin, f"r.{seven_a.id}.open")
    replies = await press(karin, f"r.{seven_a.id}.confirm")

    assert sv("This button has expired.") not in [r.text for r in replies]
    # The form she had open is offered again, now as submitted.
    assert replies[-1].form is not None
    assert [f.initial for f in replies[-1].form.fields] == [("P3",), ()]


@pytest.mark.parametrize("forged", ["r.².open", "r.99999999999999999999.open", "f.-1.contact"])
async def test_a_forged_button_is_refused_politely(chat_as, day, forged: str) -> None:
    replies = await press(chat_as("se-S1"), forged)
    assert replies[0].text == sv("This button has expired.")


async def test_a_principal_sees_the_school_but_takes_no_roll_call(chat_as, day) -> None:
    replies = await press(chat_as("se-S3"), f"r.{roll_call_of(day, '7A').id}.confirm")
    assert replies[0].text == sv("This button has expired.")
    assert day.store.roll_calls[roll_call_of(day, "7A").id].status is RollCallStatus.OPEN


async def test_a_form_sent_back_for_a_correction_keeps_what_was_entered(chat_as, day) -> None:
    karin = chat_as("se-S1")
    form_reply = with_form(await press(karin, f"r.{roll_call_of(day, '7A').id}.open"))
    replies = await submit(karin, form_reply, absent="P1\nP3", late="P1")

    assert [f.initial for f in replies[-1].form.fields] == [("P1", "P3"), ("P1",)]


async def test_a_pupil_corrected_to_present_leaves_the_follow_up_list(chat_as, day, clock) -> None:
    clock.moment = MONDAY_MORNING + timedelta(hours=1)  # 09:30: follow-up is immediate
    karin = chat_as("se-S1")
    seven_a = roll_call_of(day, "7A")
    await submit(karin, with_form(await press(karin, f"r.{seven_a.id}.open")), absent="P1")
    await submit(karin, with_form(await press(karin, f"r.{seven_a.id}.change")), absent="")

    lists = slack_to(day, "U-S1", "follow-up-list")
    latest = [m for m in lists if m.status.value == "pending"][-1]
    assert "Elsa Berg" not in latest.text
    assert sv("Nobody at the moment.") in latest.text and latest.buttons == ()
    today = await karin.send("/today")
    assert sv("Absent without a report: nobody so far.") in today[0].text


async def test_not_reached_cannot_settle_validity(chat_as, day, followed) -> None:
    karin = chat_as("se-S1")
    form_reply = with_form(await press(karin, f"f.{followed}.contact"))
    replies = await submit(
        karin,
        form_reply,
        whom="G1",
        means="phone",
        time="08:20",
        outcome="not_reached",
        valid="valid",
        note="Ringer igen efter lunch.",
    )

    assert replies[0].text == sv(
        'If you did not reach the guardian, choose "Not yet known": the absence is '
        "still unexplained."
    )
    fields = {f.name: f for f in replies[-1].form.fields}
    assert (fields["note"].initial, fields["outcome"].initial) == (
        ("Ringer igen efter lunch.",),
        ("not_reached",),
    )
    assert day.store.guardian_contacts == {}
