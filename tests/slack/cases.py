"""Cases for Slack's end-to-end tests, made in the demo schools' database as the nightly job
makes them: a rule hit, its case opened and its cards queued."""

from __future__ import annotations

from datetime import date, datetime

from dialogs.case_card import refresh_case_cards
from routine.case_opening import open_cases
from routine.cases import Origin, Trigger, rule_actor
from tests.bot.process import MONDAY_MORNING
from tests.conftest import sql_uow_factory


async def open_a_rule_case(
    database: str, school_key: str, pupil_id: str, rule: str, numbers: dict[str, float]
) -> int:
    """A hit of `rule` for the pupil over 26 October to 20 November with these numbers, its
    case opened and its cards queued on Monday morning; the case's id."""
    now = datetime.fromisoformat(MONDAY_MORNING)
    trigger = Trigger(
        pupil_id,
        Origin.RULE,
        now,
        rule_actor(rule),
        rule_id=rule,
        numbers=numbers,
        window_start=date(2026, 10, 26),
        window_end=date(2026, 11, 20),
    )
    async with sql_uow_factory(database) as factory, factory() as uow:
        school = await uow.schools.get(school_key)
        assert school is not None
        changes = await open_cases(uow, school, [trigger])
        await refresh_case_cards(uow, school, changes.opened, now)
        await uow.commit()
    (case,) = changes.opened
    assert case.id is not None
    return case.id
