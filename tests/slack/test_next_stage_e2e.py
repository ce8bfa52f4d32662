"""The case card's [Next stage] on Slack, end to end through slack-bolt and the real `narvaro
run`, in each demo school's language: the press asks first (how many checklist items are
unticked, with Yes / No / Cancel) and moves nothing; "Yes" moves the case once; the same button
pressed again on the card the case has left is refused, and moves nothing more.

The clock stands at Monday 23 November 2026, 08:30 at the demo schools.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from routine.cases import EventKind
from routine.guides import GUIDES
from tests.conftest import BACKENDS, sql_uow_factory
from tests.slack.cases import open_a_rule_case
from tests.slack.fake_slack_api import Posted
from tests.slack.people import StaffMember
from tests.slack.service import SlackService, demo_slack_service


@dataclass(frozen=True)
class School:
    """A demo school's case, who leads its first stage on Slack, and what they read."""

    key: str
    pupil_id: str
    rule: str
    numbers: dict[str, float]
    stage: str
    following: str
    user: str
    slack_locale: str
    pupil_line: str
    next_label: str
    unticked: str
    choices: list[str]
    moved: str
    expired: str

    def language(self) -> str:
        return self.slack_locale[:2]


SCHOOLS = [
    School(
        "se-bjorkangen",
        "P-SE-001",
        "se.step2",
        {"count": 3, "school_days": 20, "known": 20, "share": 0.15},
        "se.step2",
        "se.step3",
        "U0SE0001",
        "sv-SE",
        "Alva Nilsson, klass 7A",
        "Gå vidare till ”{stage}”",
        "{count} punkter i checklistan är inte avbockade. Flytta ärendet vidare till nästa steg?",
        ["Ja, flytta det vidare", "Nej, stanna kvar i det här steget", "Avbryt"],
        "Ärendet har gått vidare till nästa steg.",
        "Den här knappen fungerar inte längre.",
    ),
    School(
        "no-furulund",
        "P-NO-001",
        "no.invalid_repeated",
        {"count": 4, "school_days": 20},
        "no.concern",
        "no.early_effort",
        # Norway's concern is the attendance coordinator's (002: 598–600).
        "U0NO0003",
        "nb-NO",
        "Nora Hansen, klasse 8A",
        "Gå videre til «{stage}»",
        "{count} punkter på sjekklisten er ikke krysset av. Flytte saken videre til neste steg?",
        ["Ja, flytt den videre", "Nei, bli på dette steget", "Avbryt"],
        "Saken er flyttet til neste steg.",
        "Denne knappen virker ikke lenger.",
    ),
    School(
        "dk-egebjerg",
        "P-DK-001",
        "dk.unlawful_10",
        {"count": 2, "school_days": 19, "known": 19, "share": 0.1053},
        "dk.detection",
        "dk.mapping",
        "U0DK0001",
        "da-DK",
        "Freja Nielsen, klasse 7.a",
        "Gå videre til »{stage}«",
        "{count} punkter på tjeklisten er ikke krydset af. Flytte sagen videre til næste trin?",
        ["Ja, flyt den videre", "Nej, bliv på dette trin", "Annuller"],
        "Sagen er gået videre til næste trin.",
        "Denne knap virker ikke længere.",
    ),
]


@pytest.fixture(scope="module", params=BACKENDS)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SlackService]:
    with demo_slack_service(request, tmp_path_factory, "next") as running:
        yield running


async def _case_now(database: str, case_id: int) -> tuple[str, list[dict]]:
    async with sql_uow_factory(database) as factory, factory() as uow:
        case = await uow.cases.get(case_id)
        events = (await uow.cases.events_of([case_id])).get(case_id, [])
    assert case is not None
    moves = [dict(e.detail) for e in events if e.kind is EventKind.STAGE_CHANGED]
    return case.stage, moves


def _card(service: SlackService, person: StaffMember, school: School) -> Posted:
    return service.api.wait_until(
        lambda: next((m for m in person.messages if m.shown.startswith(school.pupil_line)), None)
    )


@pytest.mark.parametrize("school", SCHOOLS, ids=School.language)
def test_next_stage_on_the_card_is_confirmed_first(service: SlackService, school: School) -> None:
    database = service.database.database
    case_id = asyncio.run(
        open_a_rule_case(database, school.key, school.pupil_id, school.rule, school.numbers)
    )
    person = StaffMember(service.api, service.events_url, school.user, school.slack_locale)
    card = _card(service, person, school)
    next_label = school.next_label.format(
        stage=GUIDES[school.following].name.in_language(school.language())
    )
    unticked = len([i for i in GUIDES[school.stage].checklist if not i.principal_only])
    # The press asks; nothing moves.
    sent = len(person.messages)
    status, _body = person.press_value(card.value_of(next_label), under=card)
    assert status == 200
    asked = service.api.wait_until(
        lambda: next((m for m in person.messages[sent:] if m.buttons), None)
    )
    assert asked.shown == school.unticked.format(count=unticked)
    assert asked.labels == school.choices
    assert asyncio.run(_case_now(database, case_id)) == (school.stage, [])
    # "Yes" moves it on, once.
    sent = len(person.messages)
    status, _body = person.press_value(asked.value_of(school.choices[0]), under=asked)
    assert status == 200
    told = service.api.wait_until(
        lambda: next((m for m in person.messages[sent:] if m.shown == school.moved), None)
    )
    assert told.buttons == []
    assert asyncio.run(_case_now(database, case_id)) == (
        school.following,
        [{"from": school.stage, "stage": school.following}],
    )
    # The first card's button again, on a stage the case has left: refused, nothing moves.
    sent = len(person.messages)
    status, _body = person.press_value(card.value_of(next_label), under=card)
    assert status == 200
    refused = service.api.wait_until(lambda: person.messages[sent:] or None)
    assert refused[0].shown == school.expired
    assert school.choices[0] not in [label for m in refused for label in m.labels]
    assert len(asyncio.run(_case_now(database, case_id))[1]) == 1
