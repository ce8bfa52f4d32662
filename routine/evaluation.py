"""The nightly evaluation of the school's counting rules: load the record once, decide in
memory, store what is new.

The whole school's record over the longest window is loaded with one query per kind of row
(`routine.history`), never a query per pupil; `routine.thresholds` counts; new hits are stored
with the days they used (`RecordUse`, used_by = the rule's id), so that a later correction of
such a day is flagged to the principal. Evaluating the same day again stores nothing new.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from routine.history import record_of
from routine.model import School
from routine.policy import rules_for
from routine.ports import UnitOfWork
from routine.record import RecordUse
from routine.thresholds import RuleHit, evaluate, record_span

# The record is loaded from a week before the earliest window, so that a single day on a
# window's first school day can be told from one that follows an absent day.
NEIGHBOURS = timedelta(days=7)


@dataclass(frozen=True)
class Evaluation:
    pupils: int = 0
    span: tuple[date, date] | None = None
    # Hits per rule id: all that held, and those stored for the first time.
    held: Counter[str] = field(default_factory=Counter)
    new: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        if self.span is None:
            return "no counting rule applies today (all off, or outside their windows)"
        found = ", ".join(
            f"{rule} {count} ({self.new[rule]} new)" for rule, count in sorted(self.held.items())
        )
        return f"{self.pupils} pupil(s) evaluated; hits: {found or 'none'}"


async def evaluate_thresholds(
    uow: UnitOfWork, school: School, day: date, now: datetime
) -> Evaluation:
    rules = rules_for(school)
    span = record_span(school, rules, day)
    if span is None:
        return Evaluation()
    pupils = await uow.pupils.list_for_school(school.key)
    records = await record_of(
        uow, school, span[0] - NEIGHBOURS, span[1], pupils, whole_school=True
    )
    hits = evaluate(school, rules, day, records)
    new = await uow.rule_hits.add_new(hits, now)
    await uow.record_uses.add_many(_uses(new, now))
    return Evaluation(
        len(pupils),
        span,
        Counter(h.rule_id for h in hits),
        Counter(h.rule_id for h in new),
    )


def _uses(hits: list[RuleHit], now: datetime) -> list[RecordUse]:
    return [RecordUse(h.school_key, h.pupil_id, d, h.rule_id, now) for h in hits for d in h.days]
