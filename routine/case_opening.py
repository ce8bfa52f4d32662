"""Opening cases from what happened: the night's rule hits, a guardian's concern, a worried
member of staff. One unit of work, a few queries per school, decided in memory
(`routine.cases.decide_openings`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from routine.cases import (
    Case,
    CaseEvent,
    Origin,
    Trigger,
    decide_openings,
    opened_event,
    reasons_logged,
    rule_actor,
)
from routine.model import School
from routine.ports import UnitOfWork
from routine.thresholds import RuleHit


@dataclass(frozen=True)
class CaseChanges:
    opened: list[Case] = field(default_factory=list)
    # Triggers logged on cases that were open already.
    logged: list[CaseEvent] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"cases: {len(self.opened)} opened, {len(self.logged)} logged on open cases, "
            f"{self.unchanged} unchanged"
        )


def trigger_from_hit(hit: RuleHit, at: datetime) -> Trigger:
    return Trigger(
        hit.pupil_id,
        Origin.RULE,
        at,
        rule_actor(hit.rule_id),
        rule_id=hit.rule_id,
        numbers=dict(hit.numbers),
        window_start=hit.window_start,
        window_end=hit.window_end,
    )


async def open_cases(uow: UnitOfWork, school: School, triggers: Sequence[Trigger]) -> CaseChanges:
    """Open a case for each pupil a trigger names who has none open, and log the others' new
    reasons on their open case; in the caller's unit of work."""
    if not triggers:
        return CaseChanges()
    key = school.key
    pupil_ids = {t.pupil_id for t in triggers}
    pupils = {p.pupil_id: p for p in await uow.school_day.pupils(key, pupil_ids)}
    staff = await uow.staff.list_for_school(key)
    # All the school's open cases: the coordinators' load decides who takes a new one.
    open_cases_ = await uow.cases.open_cases(key)
    by_pupil = {c.pupil_id: c for c in open_cases_}
    concerned = [c.id for c in open_cases_ if c.pupil_id in pupil_ids and c.id is not None]
    logs = await uow.cases.events_of(concerned) if concerned else {}
    openings = decide_openings(
        school,
        pupils,
        staff,
        by_pupil,
        await uow.cases.last_closed(key, pupil_ids),
        {case_id: reasons_logged(events) for case_id, events in logs.items()},
        triggers,
    )
    stored = {c.pupil_id: c for c in await uow.cases.add_new([c for c, _ in openings.new])}
    opened = [
        opened_event(stored[case.pupil_id], trigger)
        for case, trigger in openings.new
        if case.pupil_id in stored
    ]
    await uow.cases.add_events([*opened, *openings.logged])
    raced = len(openings.new) - len(stored)
    return CaseChanges(list(stored.values()), openings.logged, openings.unchanged + raced)
