"""The plan of a case: what the school, the pupil and the guardians agree to do, and when.

It follows the sources' forms, which ask for the same things:

- Drammen's cooperation agreement (*samarbeidsavtale*, 002: 1257–1317): "Status (beskrivelse av
  nåværende situasjon)", "Hovedmål", rows of "Delmål · Tiltak · Ansvar · Frist", "Avtalen
  gjelder i perioden", signed by "Kontaktlærer · Elev · Foresatte";
- the Danish shared plan (*fælles plan*, 004: 2270–2276, 2361–2368): "hvem gør hvad og
  hvornår", a schedule of agreed measures and who is responsible;
- the Swedish step-2 and step-3 plan (000: 355–379, 474–496): "Planering/Insatser/Uppföljning",
  a plan made from the investigation, whose measures "testas och utvärderas".

So a plan has the current situation, the main goal, rows of sub-goal · measure · who is
responsible (a member of staff, the pupil or the guardians) · deadline, the period it covers and
the date it is reviewed. Every save is a new version; earlier versions are kept, and the case's
log says who saved which version and which parts changed (not their text).

What the guardians are sent (`for_guardians`) is the part meant for them: the main goal, the
rows, the period and the review date. The current situation stays with staff: it is where a
school writes what it knows of the pupil and the home, and the least data goes into a chat
(domain guide §6). The guardians confirm a version in the chat; the pupil's agreement is
recorded by staff, as the agreement's signatures are (002: 1317).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

# Plain limits, so that one plan fits a Slack modal and a Telegram message.
MAX_ROWS = 8
MAX_TEXT = 500
MAX_PERIOD_DAYS = 366


class Responsible(enum.StrEnum):
    STAFF = "staff"
    PUPIL = "pupil"
    GUARDIANS = "guardians"


@dataclass(frozen=True)
class PlanRow:
    sub_goal: str
    measure: str
    responsible: Responsible
    # The member of staff responsible, when `responsible` is STAFF.
    staff_id: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class Plan:
    school_key: str
    case_id: int
    version: int
    situation: str
    main_goal: str
    rows: tuple[PlanRow, ...]
    period_start: date
    period_end: date
    review: date
    written_by: str
    written_at: datetime
    # The pupil's agreement, recorded by a member of staff (who, when).
    pupil_agreed_by: str = ""
    pupil_agreed_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Confirmation:
    plan_id: int
    guardian_id: str
    at: datetime


class PlanError(enum.StrEnum):
    """Why a plan cannot be saved. The dialogs translate each one."""

    GOAL_MISSING = "goal_missing"
    NO_ROWS = "no_rows"
    ROW_INCOMPLETE = "row_incomplete"
    TOO_LONG = "too_long"
    PERIOD_BACKWARDS = "period_backwards"
    PERIOD_TOO_LONG = "period_too_long"
    REVIEW_OUTSIDE = "review_outside"
    DEADLINE_OUTSIDE = "deadline_outside"
    IN_THE_PAST = "in_the_past"
    UNKNOWN_STAFF = "unknown_staff"


class PlanRejected(Exception):
    def __init__(self, errors: list[PlanError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def check(plan: Plan, today: date, staff_ids: Sequence[str]) -> list[PlanError]:
    """Everything wrong with the plan, in a fixed order; empty if it can be saved."""
    errors: list[PlanError] = []
    if not plan.main_goal.strip():
        errors.append(PlanError.GOAL_MISSING)
    if not plan.rows:
        errors.append(PlanError.NO_ROWS)
    if any(not (r.sub_goal.strip() and r.measure.strip()) for r in plan.rows):
        errors.append(PlanError.ROW_INCOMPLETE)
    texts = [plan.situation, plan.main_goal]
    texts += [t for r in plan.rows for t in (r.sub_goal, r.measure)]
    if any(len(t) > MAX_TEXT for t in texts) or len(plan.rows) > MAX_ROWS:
        errors.append(PlanError.TOO_LONG)
    if plan.period_end < plan.period_start:
        errors.append(PlanError.PERIOD_BACKWARDS)
    elif (plan.period_end - plan.period_start).days > MAX_PERIOD_DAYS:
        errors.append(PlanError.PERIOD_TOO_LONG)
    if not plan.period_start <= plan.review <= plan.period_end:
        errors.append(PlanError.REVIEW_OUTSIDE)
    deadlines = [r.deadline for r in plan.rows if r.deadline is not None]
    if any(not plan.period_start <= d <= plan.period_end for d in deadlines):
        errors.append(PlanError.DEADLINE_OUTSIDE)
    if plan.review < today or any(d < today for d in deadlines):
        errors.append(PlanError.IN_THE_PAST)
    staff_rows = [r for r in plan.rows if r.responsible is Responsible.STAFF]
    if any(r.staff_id not in staff_ids for r in staff_rows):
        errors.append(PlanError.UNKNOWN_STAFF)
    return errors


def changed_parts(before: Plan | None, after: Plan) -> list[str]:
    """Which parts a new version changed, for the case's log (names, never the text)."""
    if before is None:
        return ["new"]
    parts = []
    for name in ("situation", "main_goal", "rows", "period_start", "period_end", "review"):
        if getattr(before, name) != getattr(after, name):
            parts.append(name)
    return parts


@dataclass(frozen=True)
class GuardianPart:
    """What the guardians are sent of a plan version; staff ids are resolved to names by the
    dialogs."""

    plan_id: int
    version: int
    main_goal: str
    rows: tuple[PlanRow, ...]
    period_start: date
    period_end: date
    review: date


def for_guardians(plan: Plan) -> GuardianPart:
    assert plan.id is not None
    return GuardianPart(
        plan.id,
        plan.version,
        plan.main_goal,
        plan.rows,
        plan.period_start,
        plan.period_end,
        plan.review,
    )
