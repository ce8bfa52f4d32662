"""A mentor's morning on Slack, end to end: the real `narvaro run` (no scheduler of its own:
the test runs the day's jobs when it wants them), signed block_actions and view_submission
requests, and the bot's Web API calls to the fake Slack server. The roll call of a 40-pupil
class, changed after it was submitted; the same-day follow-up list, edited in place as a
contact is recorded; and someone from another class, who can do neither.

The clock stands at Monday 23 November 2026, 08:30 at the Swedish demo school.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime

import pytest

from dialogs.flows.roll_call import pupils_absent, pupils_late
from dialogs.i18n import _, format_day, use_locale
from routine.model import AbsenceReport, Pupil, ReasonCategory
from scheduler.jobs import JOBS, JobContext
from tests.bot.process import MONDAY_MORNING
from tests.conftest import BACKENDS, sql_uow_factory
from tests.slack.fake_slack_api import Posted
from tests.slack.people import StaffMember, chosen_options, options_of, submit_view
from tests.slack.service import SlackService, demo_slack_service

MONDAY = date(2026, 11, 23)
SCHOOL = "se-bjorkangen"
EXTRA_PUPILS = 32  # 7A has 8 in the demo roster: 40 in all


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


class Clock:
    def now(self) -> datetime:
        return datetime.fromisoformat(MONDAY_MORNING)


@pytest.fixture(scope="module", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackService]:
    with demo_slack_service(
        request, tmp_path_factory, "day", _a_big_class_with_a_reported_absence
    ) as running:
        yield running


async def _a_big_class_with_a_reported_absence(database: str) -> None:
    async with sql_uow_factory(database) as factory, factory() as uow:
        for number in range(1, EXTRA_PUPILS + 1):
            await uow.pupils.save(Pupil(SCHOOL, f"P-X-{number:02}", f"Elev {number:02}", "7A"))
        await uow.reports.add(
            AbsenceReport(SCHOOL, "P-SE-001", "G-SE-001", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await uow.commit()


def run_job(service: SlackService, name: str) -> str:
    async def run() -> str:
        async with sql_uow_factory(service.database.database) as factory:
            result = await JOBS[name].run(JobContext(factory, Clock()), SCHOOL, MONDAY)
            return result.summary

    return asyncio.run(run())


def mentor(service: SlackService, user: str = "U0SE0001") -> StaffMember:
    return StaffMember(service.api, service.events_url, user, "sv-SE")


def first_message_with(member: StaffMember, text: str) -> Posted:
    return member.api.wait_until(
        lambda: next((m for m in member.messages if text in m.shown), None)
    )


def posted_after(member: StaffMember, message: Posted) -> list[str]:
    """The ts of the messages posted to `member` after `message` (edits change no order)."""
    stamps = [m.ts for m in member.messages]
    return stamps[stamps.index(message.ts) + 1 :]


def opened_view(service: SlackService, before: int) -> dict:
    calls = service.api.wait_until(lambda: service.api.calls_of("views.open")[before:] or None)
    return calls[-1].params["view"]


@pytest.fixture(scope="module")
def roll_call_message(service: SlackService) -> Posted:
    summary = run_job(service, "roll-call")
    assert summary.startswith("2 roll call(s) open; 2 message(s) queued")
    with use_locale("sv"):
        head = _("Roll call for class {name}, {day}.").format(name="7A", day=format_day(MONDAY))
    return first_message_with(mentor(service), head)


def test_the_roll_call_lists_the_reported_absence_and_offers_its_buttons(
    roll_call_message: Posted,
) -> None:
    with use_locale("sv"):
        reported = _("Absent: {names}").format(names="Alva Nilsson")
        pupils = _("Pupils in the class: {count}.").format(count=40)
    assert reported in roll_call_message.shown and pupils in roll_call_message.shown
    assert roll_call_message.labels == [sv("Take the roll call"), sv("Nobody else is absent")]


@pytest.fixture(scope="module")
def taken(service: SlackService, roll_call_message: Posted) -> tuple[dict, Posted]:
    """Anna opens the roll call of her 40 pupils, marks two absent and one late, and submits:
    the modal she saw, and the roll-call message once edited."""
    anna = mentor(service)
    before = len(service.api.calls_of("views.open"))
    anna.press_value(roll_call_message.value_of(sv("Take the roll call")), under=roll_call_message)
    view = opened_view(service, before)
    status, _body = submit_view(
        anna, view, {"absent": ["Alva Nilsson", "Elias Karlsson"], "late": ["Elev 07"]}
    )
    assert status == 200
    edited = service.api.wait_until(
        lambda: next((m for m in anna.messages if m.ts == roll_call_message.ts and m.edits), None)
    )
    return view, edited


def test_a_roll_call_leaves_nothing_in_the_dm_but_the_roll_call(
    service: SlackService, roll_call_message: Posted, taken: tuple[dict, Posted]
) -> None:
    """Opening the modal, saving it, and its outcome: no message of their own, no menu. A
    greeting afterwards (handled after the submission, in the same conversation) is the
    first message after the roll call."""
    anna = mentor(service)
    (greeting,) = anna.say("hej")
    assert posted_after(anna, roll_call_message) == [greeting.ts]
    with use_locale("sv"):
        saved = _("Roll call for class {name} saved: {absent}, {late}.").format(
            name="7A", absent=pupils_absent(2), late=pupils_late(1)
        )
    assert not any(saved in m.shown for m in anna.messages)


def test_a_40_pupil_roll_call_is_taken_in_a_modal(
    service: SlackService, taken: tuple[dict, Posted]
) -> None:
    view, edited = taken
    assert len(options_of(view, "absent")) == 40
    assert [o["text"]["text"] for o in chosen_options(view, "absent")] == ["Alva Nilsson"]
    with use_locale("sv"):
        absent = _("Absent: {names}").format(names="Alva Nilsson, Elias Karlsson")
        late = _("Late: {names}").format(names="Elev 07")
    # The roll-call message itself was edited, not posted again.
    assert absent in edited.shown and late in edited.shown
    assert edited.labels == [sv("Change the roll call")]
    head = edited.shown.splitlines()[0]
    assert len([m for m in mentor(service).messages if m.shown.startswith(head)]) == 1


def test_a_submitted_roll_call_opens_again_as_it_was_submitted(
    service: SlackService, taken: tuple[dict, Posted]
) -> None:
    _view, edited = taken
    before = len(service.api.calls_of("views.open"))
    mentor(service).press_value(edited.value_of(sv("Change the roll call")), under=edited)
    view = opened_view(service, before)
    assert sorted(o["text"]["text"] for o in chosen_options(view, "absent")) == [
        "Alva Nilsson",
        "Elias Karlsson",
    ]
    assert [o["text"]["text"] for o in chosen_options(view, "late")] == ["Elev 07"]


def test_a_mentor_of_another_class_cannot_open_it(
    service: SlackService, roll_call_message: Posted
) -> None:
    erik = mentor(service, "U0SE0002")  # mentor of 7B
    before_views = len(service.api.calls_of("views.open"))
    sent = len(erik.messages)
    erik.press_value(roll_call_message.value_of(sv("Take the roll call")), under=roll_call_message)
    refusal = service.api.wait_until(lambda: erik.messages[sent:] or None)

    assert refusal[0].shown == sv("This button has expired.")
    assert len(service.api.calls_of("views.open")) == before_views


def test_the_follow_up_list_is_edited_as_a_contact_is_recorded(
    service: SlackService, taken: tuple[dict, Posted]
) -> None:
    # Elias is absent without a report (the roll call said so); Alva is reported ill.
    summary = run_job(service, "unreported-absences")
    assert "1 unreported absence(s)" in summary, summary
    anna = mentor(service)
    with use_locale("sv"):
        contact_label = _("Contact the guardian of {name}").format(name="Elias Karlsson")
    listing = service.api.wait_until(
        lambda: next((m for m in anna.messages if contact_label in m.labels), None)
    )
    assert "Alva Nilsson" not in listing.shown  # reported ill by her guardian

    before = len(service.api.calls_of("views.open"))
    anna.press_value(listing.value_of(contact_label), under=listing)
    view = opened_view(service, before)
    guardians = list(options_of(view, "whom"))
    status, _body = submit_view(
        anna,
        view,
        {
            "whom": [guardians[0]],
            "means": [sv("Phone")],
            "time": "08:25",
            "outcome": [sv("Reached the guardian")],
            "valid": [sv("Invalid absence")],
            "topics": [sv("Causes of the absence"), sv("Compulsory schooling")],
        },
    )
    assert status == 200

    edited = service.api.wait_until(
        lambda: next((m for m in anna.messages if m.ts == listing.ts and m.edits), None)
    )
    with use_locale("sv"):
        line = _("contacted by {name} at {time}, {means}.").format(
            name="Anna Lindqvist", time="08:25", means=_("by phone")
        )
    assert line in edited.shown
    lists = [m for m in anna.messages if contact_label in m.labels]
    assert len(lists) == 1  # edited, not posted again
    # The list shows the contact: nothing else is said, and no menu follows.
    (greeting,) = anna.say("hej")
    assert posted_after(anna, listing) == [greeting.ts]


def test_the_home_tab_shows_the_day_with_the_roll_call_still_to_take(
    service: SlackService, roll_call_message: Posted
) -> None:
    erik = mentor(service, "U0SE0002")  # mentor of 7B, whose roll call is not taken
    before = len(service.api.calls_of("views.publish"))
    home = {"type": "app_home_opened", "user": erik.user, "channel": "DHOME", "tab": "home"}
    assert erik.send_event(home)[0] == 200
    published = service.api.wait_until(
        lambda: (
            [
                c
                for c in service.api.calls_of("views.publish")[before:]
                if c.params["user_id"] == erik.user
            ]
            or None
        )
    )
    view = published[-1].params["view"]
    shown = "\n".join(b["text"]["text"] for b in view["blocks"] if b.get("type") == "section")
    buttons = {
        e["text"]["text"]: e["value"]
        for b in view["blocks"]
        if b.get("type") == "actions"
        for e in b["elements"]
    }
    with use_locale("sv"):
        to_take = _("Roll calls to take: {classes}").format(classes="7B")
        label = f"{_('Take the roll call')}: 7B"
    assert view["type"] == "home" and to_take in shown
    assert sv("Today's reported absences") in buttons  # the menu follows the day

    views_before = len(service.api.calls_of("views.open"))
    erik.press_value(buttons[label])
    modal = opened_view(service, views_before)
    assert modal["title"]["text"] == sv("Roll call {name}").format(name="7B")


def test_a_roll_call_taken_from_the_menu_turns_the_menu_into_its_outcome(
    service: SlackService,
) -> None:
    """Mette, a Danish mentor, takes her roll call from the DM's menu: the modal asks, and its
    outcome replaces the menu it came from. Nothing is added to the DM."""
    mette = StaffMember(service.api, service.events_url, "U0DK0001", "da-DK")
    (menu,) = mette.say("hej")
    with use_locale("da"):
        roll_call, asked = (
            _("Roll call"),
            _(
                "Roll call for class {name}: mark who is absent or late. Leave both empty if "
                "everyone is here."
            ).format(name="7.a"),
        )
    before = len(service.api.calls_of("views.open"))
    mette.press_value(menu.value_of(roll_call), under=menu)
    view = opened_view(service, before)
    assert view["blocks"][0]["text"]["text"] == asked
    status, _body = submit_view(mette, view, {})
    assert status == 200

    edited = service.api.wait_until(
        lambda: next((m for m in mette.messages if m.ts == menu.ts and m.edits), None)
    )
    with use_locale("da"):
        saved = _("Roll call for class {name} saved: {absent}, {late}.").format(
            name="7.a", absent=pupils_absent(0), late=pupils_late(0)
        )
    assert edited.shown.startswith(saved) and edited.buttons == []
    (greeting,) = mette.say("hej")
    assert posted_after(mette, menu) == [greeting.ts]
