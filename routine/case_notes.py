"""Notes on a stage's conversation questions: what staff write down during or after a meeting.

A question that is not `covered_only` (routine.guides) takes short notes typed by a member of
staff who may act on the case; each note is an event of the case's log (`EventKind.NOTED`: who,
when, the stage, the question and the text), so it is case data like the rest of the log: in
the guardian's export, kept when a guardian asks for erasure (the school's record of its duty
to act), deleted with the case by retention, and never written to the application's logs (the
operator's `cases log` withholds it).

A question about health, home or feelings is `covered_only`: a "covered" tick, never a note
(domain §6). A note for one, for a question of a stage the case has left, or by someone who
may not act on the case is refused and logged as refused, without its text.
"""

from __future__ import annotations

import enum
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from routine.case_service import CaseResult, change_case
from routine.cases import Case, CaseEvent, CaseRefused, EventKind, may_act, may_see_item
from routine.guides import GUIDES, GuideItem
from routine.model import Pupil, StaffMember
from routine.ports import UnitOfWork

# A short note: a few sentences, read on the case's card.
MAX_NOTE = 300
# Line breaks are kept; every other control character is refused.
ALLOWED_CONTROLS = frozenset("\n")


class NoteProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    CONTROL = "control"


def question(stage: str, key: str) -> GuideItem | None:
    """The question "<question set>/<item>" of one of `stage`'s question sets, or None."""
    guide = GUIDES.get(stage)
    set_id, slash, item_id = key.partition("/")
    if guide is None or not slash:
        return None
    for questions in guide.questions:
        if questions.id == set_id:
            return next((i for i in questions.items if i.id == item_id), None)
    return None


def takes_notes(stage: str, key: str) -> bool:
    found = question(stage, key)
    return found is not None and not found.covered_only


def clean(text: str) -> str:
    """The note as it is stored: line breaks made plain, spaces around it trimmed."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def without_controls(text: str) -> str:
    return "".join(c for c in text if c in ALLOWED_CONTROLS or unicodedata.category(c) != "Cc")


def note_problem(text: str) -> NoteProblem | None:
    """What is wrong with a cleaned note, if anything."""
    if not text:
        return NoteProblem.EMPTY
    if without_controls(text) != text:
        return NoteProblem.CONTROL
    if len(text) > MAX_NOTE:
        return NoteProblem.TOO_LONG
    return None


def may_note(staff: StaffMember, case: Case, pupil: Pupil | None, stage: str, key: str) -> bool:
    found = question(stage, key)
    return (
        found is not None
        and not found.covered_only
        and case.stage == stage
        and may_act(staff, case, pupil)
        and may_see_item(staff, found.principal_only)
    )


async def add_note(
    uow: UnitOfWork,
    case_id: int,
    staff: StaffMember,
    stage: str,
    key: str,
    text: str,
    now: datetime,
) -> CaseResult:
    """Store a note on the question `key` of `stage` as `staff`, in the caller's unit of work.
    NOT_ALLOWED (logged as refused, without the text) for anyone or any question that may not
    take it; REFUSED with the problem as `reason` for a note that is empty, too long or holds
    control characters (nothing stored)."""
    note = clean(text)

    def allowed(member: StaffMember, case: Case, pupil: Pupil | None) -> bool:
        return may_note(member, case, pupil, stage, key)

    def check(case: Case) -> Case:
        problem = note_problem(note)
        if problem is not None:
            raise CaseRefused(problem.value)
        return case

    detail = {"stage": stage, "item": key, "note": note}
    return await change_case(
        uow, case_id, staff, check, EventKind.NOTED, now, detail, allowed=allowed
    )


async def refuse_note(uow: UnitOfWork, case_id: int, staff: StaffMember, now: datetime) -> None:
    """A press for a note that may not be written (a covered-only question, a stage the case
    has left, a forged id): logged on the case as refused, with nothing of what was sent."""
    await change_case(
        uow, case_id, staff, _same, EventKind.NOTED, now, allowed=lambda *_args: False
    )


def _same(case: Case) -> Case:
    return case


def notes_of(events: Iterable[CaseEvent], stage: str) -> dict[str, list[CaseEvent]]:
    """The notes of `stage`'s questions by question key ("<set>/<item>"), oldest first."""
    found: dict[str, list[CaseEvent]] = defaultdict(list)
    for event in sorted(events, key=lambda e: (e.at, e.id or 0)):
        if event.kind is EventKind.NOTED and event.detail.get("stage") == stage:
            found[str(event.detail.get("item", ""))].append(event)
    return dict(found)


def note_text(event: CaseEvent) -> str:
    return str(event.detail.get("note", ""))
