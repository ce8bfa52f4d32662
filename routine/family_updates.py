"""Keeping the family informed "also when nothing is new".

The Danish model makes it the tovholder's task to keep child, parents and everyone involved
informed "hyppigt undervejs i forløbet ... også hvis der ikke er så meget nyt" (004: 1032–1037),
and to communicate "når der ikke er nyt i indsatsen, eller der opleves ventetid og pauser"
(004: 2281–2287). So the school must notice when a family has not heard from it
for a while. *Heard from the school* here means an event on the case that reached the family:
the case being opened, a plan sent to them, a notice sent, an update sent, or staff recording
that they talked with the family. When the last of these is `quiet_days` or more calendar
days ago, the coordinator is prompted with a short, warm, ready message.

`quiet_days` defaults to 14: the sources say "løbende" and "hyppigt" and give no number; two
weeks is often enough that a family never wonders whether anything is happening, and rarely
enough that an update is not noise. A school sets it in its school file (`[cases]`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from routine.cases import Case, CaseEvent, EventKind
from routine.model import CaseRules

QUIET_DAYS = CaseRules().quiet_days

# Events after which the family has heard from the school.
REACHED_THE_FAMILY = frozenset(
    {
        EventKind.PLAN_SAVED,
        EventKind.NOTICE_SENT,
        EventKind.FAMILY_UPDATED,
        EventKind.FAMILY_CONTACTED,
    }
)


def last_heard(case: Case, events: Iterable[CaseEvent]) -> datetime:
    """When the family last heard from the school about this case: at the latest when the case
    was opened (a case opens after contact with the family, in step 1 or from their concern)."""
    moments = [e.at for e in events if e.kind in REACHED_THE_FAMILY]
    return max([case.opened_at, *moments])


@dataclass(frozen=True)
class Quiet:
    case: Case
    since: datetime


def quiet_cases(
    cases: Sequence[Case],
    events: Mapping[int, Sequence[CaseEvent]],
    now: datetime,
    quiet_days: int = QUIET_DAYS,
) -> list[Quiet]:
    """The open cases whose family has not heard from the school for `quiet_days` days."""
    found = []
    for case in cases:
        if not case.is_open or case.id is None:
            continue
        since = last_heard(case, events.get(case.id, ()))
        if now - since >= timedelta(days=quiet_days):
            found.append(Quiet(case, since))
    return sorted(found, key=lambda q: (q.since, q.case.id or 0))
