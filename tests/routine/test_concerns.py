"""routine.concerns: who may raise a concern, and which concerns a school's rules let open a
case."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from routine.concerns import (
    RULE_OF_KIND,
    StaffConcernKind,
    opens_cases,
    report_staff_concern,
)
from routine.model import Country, Language, PolicyOverride, Pupil, Role, School, StaffMember
from routine.policy import DEFAULTS, Measure
from tests.fakes import FakeUnitOfWorkFactory

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NO = School("no", "Fjellvang skole", Country.NO, "Europe/Oslo", Language.NB)
PUPIL = Pupil("no", "P1", "Ola Nordmann", "8A")


def test_each_kind_s_rule_is_a_norwegian_event_rule() -> None:
    events = {r.id for r in DEFAULTS[Country.NO] if r.measure is Measure.EVENT}
    assert {rule for rule in RULE_OF_KIND.values() if rule} <= events
    assert RULE_OF_KIND[StaffConcernKind.PRESENT_NOT_IN_CLASS] is None


@pytest.mark.parametrize("kind", list(StaffConcernKind))
def test_a_rule_switched_off_opens_nothing_and_other_countries_always_open(
    kind: StaffConcernKind,
) -> None:
    rule = RULE_OF_KIND[kind]
    assert opens_cases(NO, rule)
    off = dataclasses.replace(
        NO, policy=(PolicyOverride(rule or "no.pupil_concern", "school file", enabled=False),)
    )
    assert opens_cases(off, rule) is (rule is None)
    for country in (Country.SE, Country.DK):
        assert opens_cases(dataclasses.replace(off, country=country), rule)


@pytest.mark.parametrize(
    "member",
    [
        StaffMember("no", "S2", "Per Dahl", frozenset({Role.MENTOR}), ("8B",)),
        StaffMember("no", "S3", "Eva Lund", frozenset({Role.PRINCIPAL}), ("8A",)),
        StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("8A",)),
    ],
)
async def test_only_a_mentor_of_the_pupil_s_class_raises_a_concern(member: StaffMember) -> None:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        with pytest.raises(PermissionError):
            await report_staff_concern(
                uow, NO, member, PUPIL, StaffConcernKind.DISCOMFORT, "", NOW
            )
    assert factory.store.staff_concerns == {}
