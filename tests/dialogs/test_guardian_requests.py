"""Prompts answered with one press, contact requests and concerns: stored, then told to staff."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from dialogs.engine import Engine
from dialogs.events import Incoming
from dialogs.i18n import _, use_locale
from dialogs.prompts import THANKS, prompt_buttons
from routine.cases import Case, EventKind
from routine.guardian_requests import ask_about_absence
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import AttendanceMark, ChatAccount, MarkKind, PolicyOverride, ReasonCategory
from routine.requests import ContactTopic, PromptAnswer, RequestStatus
from routine.roster import default_absence_codes
from tests.dialogs.conftest import SCHOOLS, FixedClock
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)
TODAY = "Today's reported absences"


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


@pytest.fixture
async def prompted(world: FakeUnitOfWorkFactory, clock: FixedClock):
    """Elsa (P1, 7A) is marked absent; her guardian Anna (G1) is asked; mentors are on Slack."""
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        for code in default_absence_codes(SCHOOLS["se"]):
            await uow.codes.save(code)
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        prompt = await ask_about_absence(
            uow, school_key="se", pupil_id="P1", guardian_id="G1", day=MONDAY, now=clock.now()
        )
        await uow.commit()
    with use_locale("sv"):
        return {b.id.rsplit(".", 1)[1]: b.id for b in prompt_buttons(prompt.token)}


async def press(chat, button_id: str):
    return await chat.engine.handle(Incoming(key=chat.key, button=button_id))


def staff_messages(world: FakeUnitOfWorkFactory) -> dict[str, str]:
    return {m.recipient: m.text for m in world.store.outbox.values() if m.platform == "slack"}


async def test_ill_reports_the_day_explains_the_mark_and_tells_the_mentor(
    chat_as, world, prompted
) -> None:
    replies = await press(chat_as("se-G1"), prompted["ill"])
    with use_locale("sv"):
        thanks = str(THANKS[PromptAnswer.ILL]).format(name="Elsa Berg")
    assert replies[0].text == thanks
    (report,) = world.store.reports.values()
    assert (report.pupil_id, report.reason, report.first_day) == (
        "P1",
        ReasonCategory.ILLNESS,
        MONDAY,
    )
    (mark,) = world.store.marks.values()
    assert (mark.explained, mark.valid, mark.code) == (True, True, "illness")
    assert list(staff_messages(world)) == ["U-S1"]  # Karin mentors 7A; Jonas (7B) is not told


async def test_a_second_press_changes_nothing(chat_as, world, prompted) -> None:
    chat = chat_as("se-G1")
    await press(chat, prompted["ill"])
    replies = await press(chat, prompted["other"])
    assert replies[0].text == sv("Thank you, we already have your answer.")
    assert [r.reason for r in world.store.reports.values()] == [ReasonCategory.ILLNESS]


@pytest.mark.parametrize("button", ["p.forged-token.ill", "p..ill", "p.x.nonsense"])
async def test_a_forged_prompt_button_has_expired(chat_as, world, prompted, button) -> None:
    replies = await press(chat_as("se-G1"), button)
    assert replies[0].text == sv("This button has expired.")
    assert world.store.reports == {} and staff_messages(world) == {}


async def test_another_family_cannot_answer_for_the_child(chat_as, world, prompted) -> None:
    replies = await press(chat_as("se-G2"), prompted["ill"])
    assert replies[0].text == sv("This button has expired.")
    assert world.store.reports == {}
    assert all(p.answer is None for p in world.store.prompts.values())


async def test_yesterday_s_question_cannot_be_answered_today(
    chat_as, world, prompted, clock: FixedClock
) -> None:
    clock.moment += timedelta(days=1)
    replies = await press(chat_as("se-G1"), prompted["ill"])
    assert replies[0].text.startswith(
        sv("That question was about {day}. Please contact the school about it.").split("{")[0]
    )
    assert world.store.reports == {}


async def test_please_call_me_creates_a_contact_request(chat_as, world, prompted) -> None:
    await press(chat_as("se-G1"), prompted["call_me"])
    (request,) = world.store.contact_requests.values()
    assert (request.pupil_id, request.topic, request.status) == (
        "P1",
        ContactTopic.ATTENDANCE,
        RequestStatus.OPEN,
    )
    (mark,) = world.store.marks.values()
    assert mark.explained is False


async def test_there_must_be_a_mistake_alerts_the_mentor(chat_as, world, prompted) -> None:
    await press(chat_as("se-G1"), prompted["mistake"])
    expected = sv(
        "{guardian} says there must be a mistake: {pupil} should be at school today. "
        "Please find out where {pupil} is now."
    ).format(guardian="Anna Berg", pupil="Elsa Berg")
    assert staff_messages(world) == {"U-S1": expected}
    assert world.store.reports == {}


async def test_a_contact_request_reaches_the_mentor_and_the_guardian_hears_who_took_it(
    chat_as, world, prompted, engine: Engine
) -> None:
    guardian = chat_as("se-G1")
    await guardian.send("hej")
    for label in ["Ask the school to contact me"]:
        await guardian.send(f"[{sv(label)}]")
    await guardian.send("[Elsa Berg]")
    for label in ["Wellbeing", "By phone", "In the afternoon", "Send request"]:
        await guardian.send(f"[{sv(label)}]")
    (request,) = world.store.contact_requests.values()
    assert (request.topic.value, request.way.value, request.time.value) == (
        "wellbeing",
        "phone",
        "afternoon",
    )
    assert list(staff_messages(world)) == ["U-S1"]

    other_mentor = chat_as("se-S2")
    await other_mentor.send("hej")
    (nothing, _menu) = await other_mentor.send(f"[{sv('Contact requests')}]")
    assert nothing.text == sv("There are no open contact requests for your classes.")

    mentor = chat_as("se-S1")
    await mentor.send("hej")
    (listing,) = await mentor.send(f"[{sv('Contact requests')}]")
    assert "Elsa Berg: Anna Berg" in listing.text
    take = sv("I'll take it: {name}").format(name="Elsa Berg")
    (done, _menu) = await mentor.send(f"[{take}]")
    assert done.text == sv(
        "You have taken the request. The guardian is told that you will contact them."
    )
    assert world.store.contact_requests[request.id].taken_by == "S1"
    # Anna's chat in these tests is not on Telegram, so nothing is queued to her there.
    assert [m.kind for m in world.store.outbox.values()] == ["contact-request"]


async def test_a_concern_is_recorded_and_reaches_the_mentor(chat_as, world, prompted) -> None:
    guardian = chat_as("se-G2")  # Per Lind, one child: Maja (7A)
    await guardian.send("hej")
    await guardian.send(f"[{sv('It is hard to get my child to school')}]")
    replies = await guardian.send(f"[{sv('Yes, please tell the school')}]")
    assert replies[0].text == sv("Thank you. The school will contact you soon.")
    (concern,) = world.store.concerns.values()
    assert (concern.pupil_id, concern.guardian_id, concern.kind.value) == (
        "P3",
        "G2",
        "hard_to_get_to_school",
    )
    told = [m.recipient for m in world.store.outbox.values() if m.kind == "concern"]
    assert told == ["U-S1"]
    # It opens a case at once, in the guardian's name, whose card reaches its owner (the
    # mentor) and its coordinator; the guardian is told nothing about it.
    cards = {m.recipient for m in world.store.outbox.values() if m.kind == "case-card"}
    assert cards == {"U-S1", "U-S4"}
    assert {m.platform for m in world.store.outbox.values()} == {"slack"}
    (case,) = world.store.cases.values()
    assert (case.pupil_id, case.stage, case.opened_by, case.owner_id) == (
        "P3",
        "se.step2",
        "guardian_concern",
        "S1",
    )
    (opened,) = world.store.case_events
    assert (opened.kind, opened.actor) == (EventKind.OPENED, "guardian:G2")


async def test_a_second_concern_is_kept_and_the_case_stays_one(chat_as, world, prompted) -> None:
    guardian = chat_as("se-G2")
    for _time in range(2):
        await guardian.send("hej")
        await guardian.send(f"[{sv('It is hard to get my child to school')}]")
        replies = await guardian.send(f"[{sv('Yes, please tell the school')}]")
        assert replies[0].text == sv("Thank you. The school will contact you soon.")
    assert len(world.store.concerns) == 2
    assert len(world.store.cases) == 1
    assert [e.kind for e in world.store.case_events] == [EventKind.OPENED]


async def test_a_concern_about_a_child_with_an_open_case_is_logged_on_it(
    chat_as, world, prompted, clock
) -> None:
    async with world() as uow:
        [case] = await uow.cases.add_new(
            [Case("se", "P3", "se.step2", clock.now(), "rule:se.step2", "S1", "S4")]
        )
        await uow.commit()
    guardian = chat_as("se-G2")
    await guardian.send("hej")
    await guardian.send(f"[{sv('It is hard to get my child to school')}]")
    replies = await guardian.send(f"[{sv('Yes, please tell the school')}]")
    assert replies[0].text == sv("Thank you. The school will contact you soon.")
    assert list(world.store.cases) == [case.id]
    (logged,) = world.store.case_events
    assert (logged.case_id, logged.kind, logged.actor, logged.detail["reason"]) == (
        case.id,
        EventKind.TRIGGER,
        "guardian:G2",
        "guardian_concern",
    )


@pytest.mark.parametrize("enabled", [True, False])
async def test_in_norway_the_school_s_rule_decides_whether_a_concern_opens_a_case(
    chat_as, world, enabled: bool
) -> None:
    async with world() as uow:
        school = await uow.schools.get("no")
        assert school is not None
        override = PolicyOverride("no.guardian_concern", "school file", 40, enabled=enabled)
        await uow.schools.save(dataclasses.replace(school, policy=(override,)))
        await uow.commit()
    guardian = chat_as("no-G1")
    await guardian.send("hei")
    with use_locale("nb"):
        await guardian.send(f"[{_('It is hard to get my child to school')}]")
        replies = await guardian.send(f"[{_('Yes, please tell the school')}]")
        assert replies[0].text == _("Thank you. The school will contact you soon.")
    assert len(world.store.concerns) == 1
    assert [c.pupil_id for c in world.store.cases.values()] == (["P1"] if enabled else [])


async def ask_for_contact(chat) -> None:
    await chat.send("hej")
    await chat.send(f"[{sv('Ask the school to contact me')}]")
    await chat.send("[Elsa Berg]")
    for label in ["Attendance", "By phone", "Any time", "Send request"]:
        await chat.send(f"[{sv(label)}]")


async def test_the_mentor_takes_a_request_from_the_notice_and_the_guardian_is_told(
    chat_as, world, prompted
) -> None:
    async with world() as uow:
        await uow.accounts.save(ChatAccount("telegram", "555", "se", "guardian", "G1"))
        await uow.commit()
    await ask_for_contact(chat_as("se-G1"))
    (notice,) = [m for m in world.store.outbox.values() if m.kind == "contact-request"]
    (request,) = world.store.contact_requests.values()
    assert [(b.id, b.label) for b in notice.buttons] == [
        (f"c.{request.id}.take", sv("I'll take it")),
        (f"c.{request.id}.done", sv("Done")),
    ]
    other_class = await press(chat_as("se-S2"), f"c.{request.id}.take")
    assert other_class[0].text == sv("This button has expired.")
    taken = await press(chat_as("se-S1"), f"c.{request.id}.take")
    assert taken[0].text == sv(
        "You have taken the request. The guardian is told that you will contact them."
    )
    (told,) = [m for m in world.store.outbox.values() if m.kind == "contact-taken"]
    assert (told.platform, told.recipient) == ("telegram", "555") and "Karin Ek" in told.text
    done = await press(chat_as("se-S1"), f"c.{request.id}.done")
    assert done[0].text == sv("Marked as done.")
    assert world.store.contact_requests[request.id].status is RequestStatus.DONE
    again = await press(chat_as("se-S1"), f"c.{request.id}.take")
    assert again[0].text == sv("You have already taken this request.")
    principal = await press(chat_as("se-S3"), f"c.{request.id}.take")
    assert principal[0].text == sv("Someone else has already taken that request.")


@pytest.mark.parametrize("button", ["c.999.take", "c.x.take", "c.1.delete"])
async def test_a_forged_request_button_does_nothing(chat_as, world, prompted, button) -> None:
    replies = await press(chat_as("se-S1"), button)
    assert replies[0].text == sv("This button has expired.")


async def test_today_shows_the_mentor_who_is_absent_without_a_report_and_open_requests(
    chat_as, world, prompted
) -> None:
    await ask_for_contact(chat_as("se-G1"))
    mentor = chat_as("se-S1")
    await mentor.send("hej")
    (today, _menu) = await mentor.send(f"[{sv(TODAY)}]")
    lines = today.text.splitlines()
    assert sv("Absent without a report: {names}").format(names="Elsa Berg") in lines
    assert lines[-1] == sv("Open contact requests: {count}").format(count=1)


async def test_today_does_not_count_a_pupil_on_granted_leave_as_unreported(
    chat_as, world, prompted, clock
) -> None:
    async with world() as uow:
        await uow.leave_requests.add(
            LeaveRequest(
                "se", "P1", "G1", MONDAY, MONDAY, "Bröllop", clock.now(), LeaveStatus.GRANTED
            )
        )
        await uow.commit()
    mentor = chat_as("se-S1")
    await mentor.send("hej")
    (today, _menu) = await mentor.send(f"[{sv(TODAY)}]")
    assert "Elsa Berg" not in today.text
