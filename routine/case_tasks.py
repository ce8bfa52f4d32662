"""Dated tasks of a case: follow-up dates a coordinator is reminded of and nudged about.

Every deadline of a case's plan and its review date becomes a task, and so do the dates the
rules set (the Danish contact within 15 school days of an illness absence, 004: 2505–2518; an
action plan within 10 working days when the learning environment is the cause, 004:
2537–2546; the "nothing new" update to the family, 004: 1032–1046, 2281–2294). A task has an
owner (the case's coordinator unless the plan row names a member of staff) and a due date on a
school day: a date that falls in a break, on a holiday or a weekend moves to the next school
day, and the task says what moved it (`moved_by`).

Storing is idempotent on (case, kind, source, due), so a job that sets the same task twice
stores one. Doing a task or handing it over is a compare-and-set on `version`.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays

from routine.calendar import SATURDAY, is_school_day, public_holidays
from routine.model import School

# What `moved_by` says when no break of the school file or public holiday moved the date.
WEEKEND = "weekend"
DAY_OFF = "day off"
OUT_OF_TERM = "out of term"
# How far a due date is looked ahead for a school day (a summer holiday is shorter).
_LOOK_AHEAD = timedelta(days=180)


class TaskKind(enum.StrEnum):
    BY_HAND = "by_hand"
    PLAN_ROW = "plan_row"
    REVIEW = "review"
    DK_ILLNESS_CONTACT = "dk_illness_contact"
    DK_ACTION_PLAN = "dk_action_plan"
    NOTHING_NEW = "nothing_new"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class CaseTask:
    school_key: str
    case_id: int
    kind: TaskKind
    # What to do, as staff wrote it (plan rows) or "" for the rules' tasks, whose wording is
    # the catalogs' (dialogs/case_reminders.py); never shown to guardians.
    title: str
    owner_id: str
    due: date
    created_at: datetime
    # Why the due date moved: "" or the break (a holiday's name / "weekend") that moved it.
    moved_by: str = ""
    # Where the task comes from: "plan:<plan id>:row:<n>", "rule:dk.illness_15:<window end>".
    source_ref: str = ""
    status: TaskStatus = TaskStatus.OPEN
    done_by: str = ""
    done_at: datetime | None = None
    outcome: str = ""
    version: int = 1
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.status is TaskStatus.OPEN


class TaskRefused(Exception):
    """The task is not open any more (done or cancelled)."""


# The calendar ----------------------------------------------------------------------------


def why_no_school(school: School, day: date) -> str:
    """Why `day` is not a school day ("" if it is): the break's name, the public holiday's
    name, a day off, out of term, or the weekend."""
    if is_school_day(school, day):
        return ""
    calendar = school.calendar
    for span in calendar.breaks:
        if day in span:
            return span.name or DAY_OFF
    holiday = _holiday_name(school, day)
    if holiday:
        return holiday
    if day in calendar.days_off:
        return DAY_OFF
    if calendar.terms and not any(day in term for term in calendar.terms):
        return OUT_OF_TERM
    return WEEKEND if day.weekday() >= SATURDAY else DAY_OFF


def _holiday_name(school: School, day: date) -> str:
    if day not in public_holidays(school.country, day.year):
        return ""
    # In the country's own language, like the breaks' names in the school file.
    names = holidays.country_holidays(school.country.value, years=day.year)
    names = holidays.country_holidays(
        school.country.value, years=day.year, language=names.default_language
    )
    return str(names.get(day, ""))


def due_on_school_day(school: School, wanted: date) -> tuple[date, str]:
    """The first school day on or after `wanted`, and why it moved ("" if it did not). With
    no school day within half a year, `wanted` itself (and why it is not a school day)."""
    reason = why_no_school(school, wanted)
    if not reason:
        return wanted, ""
    day = wanted + timedelta(days=1)
    while day <= wanted + _LOOK_AHEAD:
        if is_school_day(school, day):
            return day, reason
        day += timedelta(days=1)
    return wanted, reason


def add_school_days(school: School, start: date, count: int) -> date:
    """The school day `count` school days after `start` (`start` itself not counted)."""
    day, left = start, count
    while left > 0 and day <= start + _LOOK_AHEAD:
        day += timedelta(days=1)
        if is_school_day(school, day):
            left -= 1
    return day


def add_working_days(school: School, start: date, count: int) -> date:
    """`count` working days after `start`: weekdays that are not public holidays (a school
    break does not stop the municipality's clock, 004: 2537–2546)."""
    day, left = start, count
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY and day not in public_holidays(school.country, day.year):
            left -= 1
    return day


def school_days_after(school: School, due: date, today: date) -> int:
    """How many school days after `due` today is (0 on or before it): days late, counting
    only school days, today included."""
    if today <= due:
        return 0
    day, count = due + timedelta(days=1), 0
    while day <= today:
        if is_school_day(school, day):
            count += 1
        day += timedelta(days=1)
    return count


# Making tasks ----------------------------------------------------------------------------


def task_due(
    school: School,
    case_id: int,
    kind: TaskKind,
    owner_id: str,
    wanted: date,
    now: datetime,
    *,
    title: str = "",
    source_ref: str = "",
) -> CaseTask:
    """A new open task, due on the first school day on or after `wanted`."""
    due, moved_by = due_on_school_day(school, wanted)
    return CaseTask(
        school.key,
        case_id,
        kind,
        title,
        owner_id,
        due,
        now,
        moved_by=moved_by,
        source_ref=source_ref,
    )


def plan_row_ref(plan_id: int, row: int) -> str:
    return f"plan:{plan_id}:row:{row}"


def plan_review_ref(plan_id: int) -> str:
    return f"plan:{plan_id}:review"


def plan_tasks(
    school: School,
    case_id: int,
    coordinator_id: str,
    plan_id: int,
    rows: Iterable[tuple[str, str, date]],
    review: date | None,
    now: datetime,
) -> list[CaseTask]:
    """The tasks of a plan: one per row (its measure as title, its deadline), owned by the
    member of staff the row names ("" when the pupil or the guardians are responsible: then
    the coordinator, who follows it up), and the review date for the coordinator."""
    found = [
        task_due(
            school,
            case_id,
            TaskKind.PLAN_ROW,
            staff_id or coordinator_id,
            deadline,
            now,
            title=measure,
            source_ref=plan_row_ref(plan_id, number),
        )
        for number, (measure, staff_id, deadline) in enumerate(rows, start=1)
    ]
    if review is not None:
        found.append(
            task_due(
                school,
                case_id,
                TaskKind.REVIEW,
                coordinator_id,
                review,
                now,
                source_ref=plan_review_ref(plan_id),
            )
        )
    return found


def replaced_by(open_tasks: Iterable[CaseTask], new: Iterable[CaseTask]) -> list[CaseTask]:
    """The open plan tasks a new version of the plan no longer has (a row removed, a date
    changed): to cancel, so that only the current plan is reminded."""
    wanted = {(t.kind, t.source_ref, t.due) for t in new}
    return [
        t
        for t in open_tasks
        if t.is_open
        and t.kind in (TaskKind.PLAN_ROW, TaskKind.REVIEW)
        and t.source_ref.startswith("plan:")
        and (t.kind, t.source_ref, t.due) not in wanted
    ]


# Doing and handing over ------------------------------------------------------------------


def done(task: CaseTask, by: str, at: datetime, outcome: str) -> CaseTask:
    if not task.is_open:
        raise TaskRefused(task.status.value)
    return dataclasses.replace(
        task, status=TaskStatus.DONE, done_by=by, done_at=at, outcome=outcome
    )


def cancelled(task: CaseTask, by: str, at: datetime) -> CaseTask:
    if not task.is_open:
        raise TaskRefused(task.status.value)
    return dataclasses.replace(task, status=TaskStatus.CANCELLED, done_by=by, done_at=at)


def handed_to(task: CaseTask, owner_id: str) -> CaseTask:
    if not task.is_open:
        raise TaskRefused(task.status.value)
    return dataclasses.replace(task, owner_id=owner_id)


# Reminding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Agenda:
    """One person's open tasks on a school day, as the reminder lists them."""

    overdue: tuple[CaseTask, ...] = ()
    today: tuple[CaseTask, ...] = ()
    soon: tuple[CaseTask, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.overdue or self.today or self.soon)

    def tasks(self) -> tuple[CaseTask, ...]:
        return (*self.overdue, *self.today, *self.soon)


def horizon(school: School, today: date, ahead: int) -> date:
    """The last day whose tasks today's reminder lists: `ahead` school days after today."""
    return add_school_days(school, today, ahead) if ahead > 0 else today


def agendas(
    school: School, tasks: Iterable[CaseTask], today: date, ahead: int
) -> dict[str, Agenda]:
    """Per owner, their open tasks overdue, due today and due within `ahead` school days."""
    last = horizon(school, today, ahead)
    found: dict[str, dict[str, list[CaseTask]]] = {}
    for task in sorted(tasks, key=lambda t: (t.due, t.case_id, t.id or 0)):
        if not task.is_open or task.due > last:
            continue
        bucket = "overdue" if task.due < today else "today" if task.due == today else "soon"
        found.setdefault(task.owner_id, {}).setdefault(bucket, []).append(task)
    return {
        owner: Agenda(
            tuple(buckets.get("overdue", ())),
            tuple(buckets.get("today", ())),
            tuple(buckets.get("soon", ())),
        )
        for owner, buckets in found.items()
    }


def escalated(
    school: School, tasks: Iterable[CaseTask], today: date, after: int
) -> list[CaseTask]:
    """Open tasks overdue by at least `after` school days: the principal is told of them."""
    return [t for t in tasks if t.is_open and school_days_after(school, t.due, today) >= after]
