"""Keeping the family informed "also when nothing is new".

The Danish model makes it the tovholder's task to keep child, parents and everyone involved
informed "hyppigt undervejs i forløbet ... også hvis der ikke er så meget nyt" (004: 1032–1037),
and to communicate "når der ikke er nyt i indsatsen, eller der opleves ventetid og pauser"
(004: 2281–2287). Each open case therefore has a "nothing new" task (routine.task_service),
due `[cases] nothing_new_days` school days after the family last heard from the school. *Heard
from the school* means an event on the case that reached the family: the case being opened, a
plan sent to them, a notice sent, an update sent, or staff recording that they talked with the
family. When that task is due, the coordinator is prompted with a short, warm, ready message
(dialogs/family_updates.py); sending it, writing one's own or recording a talk does the task.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from routine.case_tasks import CaseTask, TaskKind
from routine.cases import Case, CaseEvent
from routine.task_service import last_heard


@dataclass(frozen=True)
class Quiet:
    case: Case
    since: datetime


def due_updates(
    cases: Sequence[Case],
    events: Mapping[int, Sequence[CaseEvent]],
    tasks: Mapping[int, Sequence[CaseTask]],
    today: date,
) -> list[Quiet]:
    """The open cases whose open "nothing new" task is due by `today`, with when the family
    last heard from the school."""
    found = []
    for case in cases:
        if not case.is_open or case.id is None:
            continue
        due = [
            t
            for t in tasks.get(case.id, ())
            if t.kind is TaskKind.NOTHING_NEW and t.is_open and t.due <= today
        ]
        if due:
            found.append(Quiet(case, last_heard(case, events.get(case.id, ()))))
    return sorted(found, key=lambda q: (q.since, q.case.id or 0))
