"""The staff side of the day through the engine: the same-day follow-up list and the guardian
contacts recorded from it, the day at a glance, and escalated contact requests."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from dialogs.events import Reply
from dialogs.i18n import _, format_day, use_locale
from dialogs.labels import mid_sentence
from routine.follow_up import ContactMeans, ContactOutcome
from routine.guardian_requests import ask_about_absence
from routine.requests import RequestStatus
from tests.contact_requests import call_about_elsa
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock
from tests.dialogs.staff_day_world import MONDAY, follow_elsa, open_day, roll_call_of, slack_to, sv
from tests.dialogs.transcript import Chat, press, submit, with_form
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def day(world: FakeUnitOfWorkFactory, clock: FixedClock) -> FakeUnitOfWorkFactory:
    return await open_day(world, clock)


@pytest.fixture
async def followed(day: FakeUnitOfWorkFactory, clock: FixedClock) -> int:
    return await follow_elsa(day, clock)


async def record_call(karin: Chat, followed: int, **fields: str) -> list[Reply]:
    """Karin records a phone call with Anna (G1) on the follow-up's contact form, made at 08:20
    unless `fields` say another time."""
    form_reply = with_form(await press(karin, f"f.{followed}.contact"))
    values = {"whom": "G1", "means": "phone", "time": "08:20"} | fields
    return await submit(karin, form_reply, **values)


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
    replies = await record_call(
        karin,
        followed,
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
    replies = await record_call(karin, followed, time="10:00", outcome="reached", valid="open")
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
        request = await uow.contact_requests.add(call_about_elsa(clock.now() - timedelta(hours=3)))
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


async def test_not_reached_cannot_settle_validity(chat_as, day, followed) -> None:
    karin = chat_as("se-S1")
    replies = await record_call(
        karin, followed, outcome="not_reached", valid="valid", note="Ringer igen efter lunch."
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
