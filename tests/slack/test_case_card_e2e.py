"""A case's card on Slack, end to end: the real `narvaro run` delivers the card the nightly
evaluation queued (here: the same two calls the job makes, on a rule hit of our own), the mentor
ticks an item with a button under it and the card is edited in place, another class's mentor
presses the same button and nothing changes, and the Home tab lists the case.

The clock stands at Monday 23 November 2026, 08:30 at the Swedish demo school.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from dialogs.i18n import _, use_locale
from routine.cases import EventKind
from routine.guides import GUIDES
from tests.conftest import BACKENDS, sql_uow_factory
from tests.slack.cases import open_a_rule_case
from tests.slack.fake_slack_api import Posted
from tests.slack.people import StaffMember, submit_view
from tests.slack.service import SlackService, demo_slack_service

SCHOOL = "se-bjorkangen"
STAGE = "se.step2"


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


@pytest.fixture(scope="module", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackService]:
    with demo_slack_service(request, tmp_path_factory, "case") as running:
        yield running


async def _open_a_case(database: str) -> int:
    """Alva Nilsson (7A) absent 3 of 20 known school days: her case, and its cards queued."""
    numbers = {"count": 3, "school_days": 20, "known": 20, "share": 0.15}
    return await open_a_rule_case(database, SCHOOL, "P-SE-001", STAGE, numbers)


async def _log(database: str, case_id: int) -> list[tuple[EventKind, str]]:
    async with sql_uow_factory(database) as factory, factory() as uow:
        events = (await uow.cases.events_of([case_id])).get(case_id, [])
    return [(e.kind, e.actor) for e in events]


def member(service: SlackService, user: str) -> StaffMember:
    return StaffMember(service.api, service.events_url, user, "sv-SE")


@pytest.fixture(scope="module")
def card(service: SlackService) -> tuple[int, Posted]:
    case_id = asyncio.run(_open_a_case(service.database.database))
    anna = member(service, "U0SE0001")
    posted = service.api.wait_until(
        lambda: next((m for m in anna.messages if m.shown.startswith("Alva Nilsson")), None)
    )
    return case_id, posted


def test_the_mentor_and_the_coordinator_get_the_card(
    service: SlackService, card: tuple[int, Posted]
) -> None:
    _case_id, posted = card
    item = GUIDES[STAGE].checklist[0]
    assert posted.shown.splitlines()[:4] == [
        "Alva Nilsson, klass 7A",
        f"Steg: {GUIDES[STAGE].name.sv}",
        "Ansvarig: Anna Lindqvist",
        "Samordnare: Maria Berg",
    ]
    assert f"1. ☐ {item.text.sv}" in posted.shown.splitlines()
    assert posted.labels[0] == "Bocka av 1" and posted.labels[-1] == "Avsluta ärendet"
    maria = member(service, "U0SE0003")
    assert service.api.wait_until(
        lambda: next((m for m in maria.messages if m.shown.startswith("Alva Nilsson")), None)
    )
    # Nobody else: the other class's mentor, the principal (not yet her stage), pupil health.
    for other in ("U0SE0002", "U0SE0004", "U0SE0005"):
        assert not [m for m in member(service, other).messages if "Alva" in m.shown]


def test_a_tick_edits_the_card_in_place(service: SlackService, card: tuple[int, Posted]) -> None:
    case_id, posted = card
    anna = member(service, "U0SE0001")
    item = GUIDES[STAGE].checklist[0]
    sent = len(anna.messages)
    status, _body = anna.press_value(posted.value_of("Bocka av 1"))
    assert status == 200
    edited = service.api.wait_until(
        lambda: next((m for m in anna.messages if m.ts == posted.ts and m.edits), None)
    )
    assert any(
        line.startswith(f"1. ☑ {item.text.sv} (avbockad av Anna Lindqvist")
        for line in edited.shown.splitlines()
    )
    assert edited.labels[0] == "Ångra 1"
    replies = service.api.wait_until(lambda: anna.messages[sent:] or None)
    assert replies[0].shown == "Avbockat."
    # Edited, never posted again.
    assert len([m for m in anna.messages if m.shown.startswith("Alva Nilsson")]) == 1
    assert (EventKind.TICKED, "staff:S-SE-01") in asyncio.run(
        _log(service.database.database, case_id)
    )


def test_another_class_s_mentor_changes_nothing(
    service: SlackService, card: tuple[int, Posted]
) -> None:
    case_id, posted = card
    erik = member(service, "U0SE0002")
    sent = len(erik.messages)
    # The card's own button, as if forwarded to him.
    next_stage = f"Gå vidare till ”{GUIDES['se.step3'].name.sv}”"
    status, _body = erik.press_value(posted.value_of(next_stage))
    assert status == 200
    refusal = service.api.wait_until(lambda: erik.messages[sent:] or None)
    assert refusal[0].shown == sv("This button has expired.")
    log = asyncio.run(_log(service.database.database, case_id))
    assert (EventKind.REFUSED, "staff:S-SE-02") in log
    assert EventKind.STAGE_CHANGED not in [kind for kind, _actor in log]


def test_a_note_on_a_question_is_written_in_a_modal(
    service: SlackService, card: tuple[int, Posted]
) -> None:
    """The questions open from the card; a question that is not covered-only takes a note in
    a modal, and the card, edited in place, shows it under the question."""
    case_id, posted = card
    anna = member(service, "U0SE0001")
    questions = next(
        q for q in GUIDES[STAGE].questions if any(not i.covered_only for i in q.items)
    )
    number, item = next((n, i) for n, i in enumerate(questions.items, 1) if not i.covered_only)
    sent = len(anna.messages)
    anna.press_value(posted.value_of(f"Frågor: {questions.title.sv}"), under=posted)
    listed = service.api.wait_until(
        lambda: next((m for m in anna.messages[sent:] if m.buttons), None)
    )
    assert listed.shown.startswith(questions.title.sv)
    before_views = len(service.api.calls_of("views.open"))
    anna.press_value(listed.value_of(f"Anteckning till {number}"), under=listed)
    view = service.api.wait_until(
        lambda: service.api.calls_of("views.open")[before_views:] or None
    )[-1].params["view"]
    assert view["title"]["text"] == "Anteckning"
    edits = next(m for m in anna.messages if m.ts == posted.ts).edits
    status, _body = submit_view(anna, view, {"note": "Vill börja med läxhjälp"})
    assert status == 200
    edited = service.api.wait_until(
        lambda: next((m for m in anna.messages if m.ts == posted.ts and m.edits > edits), None)
    )
    lines = edited.shown.splitlines()
    assert lines[lines.index(f"• {item.text.sv}") + 1].startswith(
        "   – Vill börja med läxhjälp (Anna Lindqvist, "
    )
    assert (EventKind.NOTED, "staff:S-SE-01") in asyncio.run(
        _log(service.database.database, case_id)
    )


def test_the_home_tab_lists_the_case_and_shows_its_card(
    service: SlackService, card: tuple[int, Posted]
) -> None:
    case_id, _posted = card
    maria = member(service, "U0SE0003")
    before = len(service.api.calls_of("views.publish"))
    home = {"type": "app_home_opened", "user": maria.user, "channel": "DHOME", "tab": "home"}
    assert maria.send_event(home)[0] == 200
    published = service.api.wait_until(
        lambda: (
            [
                c
                for c in service.api.calls_of("views.publish")[before:]
                if c.params["user_id"] == maria.user
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
    assert "1 ärende väntar på dig:" in shown
    sent = len(maria.messages)
    maria.press_value(buttons["Alva Nilsson, klass 7A"])
    shown_card = service.api.wait_until(
        lambda: next((m for m in maria.messages[sent:] if m.buttons), None)
    )
    assert shown_card.shown.startswith("Alva Nilsson, klass 7A")
    assert "Tillbaka till mina ärenden" in shown_card.labels
    log = asyncio.run(_log(service.database.database, case_id))
    assert (EventKind.VIEWED, "staff:S-SE-03") in log
