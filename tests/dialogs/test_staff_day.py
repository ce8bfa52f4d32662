"""The staff side of the day through the engine: the roll call, taken, changed, refused and
closed, and what it starts (the follow-up of a pupil absent without a report)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dialogs.events import Reply
from dialogs.flows.roll_call import pupils_absent, pupils_late
from dialogs.i18n import _, use_locale
from routine.model import ChatAccount, MarkKind
from routine.roll_call import RollCallStatus
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock
from tests.dialogs.staff_day_world import open_day, roll_call_of, slack_to, sv
from tests.dialogs.transcript import press, submit, with_form
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def day(world: FakeUnitOfWorkFactory, clock: FixedClock) -> FakeUnitOfWorkFactory:
    return await open_day(world, clock)


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
