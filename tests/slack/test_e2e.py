"""Staff on Slack, end to end: the real `narvaro run` process, slack-bolt receiving signed
requests on its HTTP server, slack_sdk's real HTTP calls to a fake Slack Web API on 127.0.0.1,
and a real database (SQLite and PostgreSQL) with the three demo schools, whose staff the school
files name by their Slack user ids.

One `narvaro run` serves the module per backend. The clock stands at Monday 23 November 2026,
08:30: a school day at all three schools.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from datetime import date

import pytest

from dialogs.engine import UNKNOWN_STAFF
from dialogs.i18n import use_locale
from routine.model import AbsenceReport, ReasonCategory
from routine.outbox import DeliveryStatus, OutboxMessage
from tests.conftest import BACKENDS, sql_uow_factory
from tests.slack.fake_slack_api import FakeSlackApi
from tests.slack.people import StaffMember
from tests.slack.service import SlackService, demo_slack_service, running_slack_service
from tests.slack.signing import SIGNING_SECRET
from tests.telegram.people import say_in
from tests.telegram.service import load_demo_schools, module_database

MONDAY = date(2026, 11, 23)


@pytest.fixture(scope="module", params=BACKENDS)
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    with demo_slack_service(request, tmp_path_factory, "e2e", _report_absence) as running:
        yield running


async def _report_absence(database: str) -> None:
    """Alva in 7A is reported ill today, as her guardian would have done on Telegram."""
    async with sql_uow_factory(database) as factory, factory() as uow:
        report = AbsenceReport(
            "se-bjorkangen", "P-SE-001", "G-SE-001", ReasonCategory.ILLNESS, MONDAY, MONDAY
        )
        await uow.reports.add(report)
        await uow.commit()


def staff(service: SlackService, user: str, locale: str) -> StaffMember:
    return StaffMember(service.api, service.events_url, user, locale)


def test_health_answers(service: SlackService) -> None:
    with urllib.request.urlopen(f"{service.url}/healthz", timeout=5) as response:
        assert response.status == 200


def test_a_mentor_gets_the_menu_and_todays_absences(service: SlackService) -> None:
    anna = staff(service, "U0SE0001", "sv-SE")
    (menu,) = anna.say("hej")
    greeting = say_in("sv", "Hello {name}! What would you like to do?").format(
        name="Anna Lindqvist"
    )
    assert menu.shown == greeting
    todays = say_in("sv", "Today's reported absences")
    assert todays in menu.labels

    (answer,) = anna.press(todays, replies=1)
    assert say_in("sv", "Class {name}").format(name="7A") in answer.shown
    assert "Alva Nilsson" in answer.shown
    # The menu does not follow the answer in the DM (it is on the Home tab): a greeting,
    # handled after the press, is the next message.
    (again,) = anna.say("hej")
    stamps = [m.ts for m in anna.messages]
    assert stamps[stamps.index(menu.ts) + 1 :] == [answer.ts, again.ts]
    # The first menu, higher up in the DM, still works.
    before = len(anna.messages)
    assert anna.press_value(menu.value_of(todays), under=menu)[0] == 200
    (second,) = anna.answer(before, replies=1)
    assert second.shown == answer.shown


def test_a_norwegian_mentor_reads_bokmal(service: SlackService) -> None:
    kari = staff(service, "U0NO0001", "nb-NO")
    (menu,) = kari.say("hei")
    assert say_in("nb", "Today's reported absences") in menu.labels


def test_a_norwegian_mentor_s_concern_opens_a_case(service: SlackService) -> None:
    def t(msgid: str) -> str:
        return say_in("nb", msgid)

    ingrid = staff(service, "U0NO0001", "nb-NO")
    ingrid.say("hei")
    (pupils,) = ingrid.press(t("I am worried about a pupil"))
    assert "Filip Larsen" in pupils.labels
    ingrid.press("Filip Larsen")
    ingrid.press(t("Leaves lessons repeatedly without coming back"))
    ingrid.press(t("Without a note"))
    # A DM answer is not followed by the menu again (it stays on the Home tab).
    (told,) = ingrid.press(t("Save the concern"), replies=1)
    assert told.shown == t("Saved. A case has been opened for {name}.").format(name="Filip Larsen")
    (case,) = service.database.open_cases("no-furulund", "P-NO-004")
    # Norway's concern stage is the attendance team's: the coordinator holds it.
    assert (case.stage, case.owner_id, case.opened_by) == (
        "no.concern",
        "S-NO-03",
        "staff_concern:leaves_lessons",
    )
    (concern,) = service.database.staff_concerns("no-furulund", "P-NO-004")
    assert (concern.staff_id, concern.note) == ("S-NO-01", "")
    # The case's card reaches the coordinator who holds its first stage, as it opens.
    coordinator = staff(service, "U0NO0003", "nb-NO")
    card = service.api.wait_until(
        lambda: next((m for m in coordinator.messages if "Filip Larsen" in m.shown), None)
    )
    assert card.shown.startswith("Filip Larsen, ")


def test_an_unknown_slack_user_is_refused(service: SlackService) -> None:
    stranger = staff(service, "U0STRANGER", "da-DK")
    (refusal,) = stranger.say("hej", replies=1)
    with use_locale("da"):
        assert refusal.shown == str(UNKNOWN_STAFF)
    assert refusal.buttons == []


def test_bad_signatures_and_old_requests_are_refused_unread(service: SlackService) -> None:
    erik = staff(service, "U0SE0002", "sv-SE")
    before = len(service.api.posted)
    forged, _ = erik.send_event(erik.message_event("hej"), secret="not-the-secret")
    replayed, _ = erik.send_event(erik.message_event("hej"), timestamp=int(time.time()) - 3600)
    unsigned, _ = erik.send_event(erik.message_event("hej"), headers={"X-Slack-Signature": ""})
    assert (forged, replayed, unsigned) == (401, 401, 401)
    # A signed request after them is answered: so the three were not merely slow.
    (_menu,) = erik.say("hej")
    assert [m.channel for m in service.api.posted[before:]] == ["U0SE0002"]


def test_an_event_delivered_twice_is_handled_once(service: SlackService) -> None:
    maria = staff(service, "U0SE0003", "sv-SE")
    event = maria.message_event("hej")
    assert maria.send_event(event, event_id="EvTWICE")[0] == 200
    service.api.wait_until(lambda: maria.messages or None)
    retried, _ = maria.send_event(
        event,
        event_id="EvTWICE",
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retried == 200
    # Another event after the retry: once it is answered, the retry would have been too.
    maria.say("/menu")
    assert len(maria.messages) == 2


@pytest.fixture(scope="module", params=BACKENDS)
def live_service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A service whose clock runs, so that a message's retry time comes."""
    folder = tmp_path_factory.mktemp(f"slack-live-{request.param}")
    with module_database(request, request.param, folder) as database:
        asyncio.run(load_demo_schools(database))
        with (
            FakeSlackApi().running() as api,
            running_slack_service(database, api, folder, fixed_time=None) as running,
        ):
            yield running


def test_outbox_messages_reach_mentors_despite_rate_limits(live_service: SlackService) -> None:
    service = live_service
    service.api.rate_limit_next("chat.postMessage", retry_after=1)
    message = OutboxMessage(
        key="test:slack:U0DK0001:1",
        platform="slack",
        recipient="U0DK0001",
        text="Husk fremmøderegistreringen i 7A <i dag> & i morgen.",
        kind="test",
        school_key="dk-egebjerg",
    )
    service.database.queue(message)
    (delivered,) = service.api.wait_until(lambda: service.api.posted_to("U0DK0001") or None)
    assert delivered.shown == message.text
    assert "&lt;i dag&gt; &amp;" in delivered.blocks[0]["text"]["text"]
    limited = [c for c in service.api.calls_of("chat.postMessage") if c.status == 429]
    assert len(limited) == 1

    def sent() -> OutboxMessage | None:
        stored = service.database.outbox(message.key)
        return stored if stored.status is DeliveryStatus.SENT else None

    stored = service.api.wait_until(sent)
    assert stored.attempts == 2


def test_the_signing_secret_is_not_what_slack_sees(service: SlackService) -> None:
    # Guards the helper itself: a request signed with the right secret is accepted.
    erik = staff(service, "U0SE0004", "sv-SE")
    status, _ = erik.send_event(erik.message_event("hej"), secret=SIGNING_SECRET)
    assert status == 200
    erik.answer(0, None)
