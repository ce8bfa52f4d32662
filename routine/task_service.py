"""Acting on a case's tasks, and the tasks the rules set.

- `finish_task`: a person marks a task done, saying what happened and whether the plan is to
  be adjusted (the learning circle: plan → try → reflect → adjust, 004: 2391–2432); the answer
  goes into the case's log, and "adjust" sets a task to adjust the plan.
- `hand_over`: a person going on leave hands their open tasks to a colleague; logged on each
  case, and the colleague becomes a member of the case so they may see it.
- `rule_tasks`: the Danish contact about illness absence, at the latest 15 school days after
  the pupil last attended (004: 2505–2518), set for the principal when `dk.illness_15` or
  `dk.illness_total_15` holds; once per case, rule and term.
- `learning_environment`: staff record that problems with the psychological learning
  environment are found; the principal is due an action plan within 10 working days (004:
  2537–2546).
- `nothing_new_tasks`: the family hears from the school at least every `[cases]
  nothing_new_days` school days, also when nothing is new (004: 1032–1046, 2281–2294).

All set-based: a school's tasks are decided in memory from a few queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from routine.calendar import is_school_day
from routine.case_service import CaseResult, Outcome, change_case
from routine.case_tasks import (
    CaseTask,
    TaskKind,
    add_school_days,
    add_working_days,
    done,
    handed_to,
    task_due,
    why_no_school,
)
from routine.cases import Case, CaseEvent, EventKind, may_act, with_member
from routine.model import Pupil, Role, School, StaffMember
from routine.ports import UnitOfWork
from routine.thresholds import RuleHit

ILLNESS_RULES = frozenset({"dk.illness_15", "dk.illness_total_15"})
ACTION_PLAN_WORKING_DAYS = 10


@dataclass(frozen=True)
class TaskResult:
    outcome: Outcome
    task: CaseTask | None = None
    case: Case | None = None


def _may_act_on(task: CaseTask):
    def allowed(staff: StaffMember, case: Case, pupil: Pupil | None) -> bool:
        return may_act(staff, case, pupil) or (case.is_open and task.owner_id == staff.staff_id)

    return allowed


async def finish_task(
    uow: UnitOfWork,
    task_id: int,
    staff: StaffMember,
    what_happened: str,
    adjust_plan: bool,
    now: datetime,
    today: date,
) -> TaskResult:
    """Mark the task done as `staff` (its owner, or someone who may act on its case)."""
    task = await uow.case_tasks.get(task_id)
    if task is None or task.school_key != staff.school_key:
        return TaskResult(Outcome.NOT_ALLOWED)
    case = await uow.cases.get(task.case_id)
    if case is None:
        return TaskResult(Outcome.NOT_ALLOWED)
    pupil = await uow.pupils.get(case.school_key, case.pupil_id)
    if not _may_act_on(task)(staff, case, pupil):
        return TaskResult(Outcome.NOT_ALLOWED)
    if not task.is_open:
        return TaskResult(Outcome.REFUSED, task, case)
    stored = await uow.case_tasks.update(done(task, f"staff:{staff.staff_id}", now, what_happened))
    if stored is None:
        return TaskResult(Outcome.MOVED, task, case)
    detail = {
        "task": task_id,
        "task_kind": task.kind.value,
        "due": task.due.isoformat(),
        "plan": "adjust" if adjust_plan else "keep",
        "outcome": what_happened,
    }
    logged = await change_case(
        uow,
        case.id or 0,
        staff,
        lambda c: c,
        EventKind.TASK_DONE,
        now,
        detail,
        allowed=_may_act_on(task),
    )
    if not logged.done:
        return TaskResult(logged.outcome, task, case)
    if adjust_plan:
        school = await uow.schools.get(case.school_key)
        if school is not None:
            wanted = add_school_days(school, today, 1)
            adjust = task_due(
                school,
                case.id or 0,
                TaskKind.REVIEW,
                case.coordinator_id or staff.staff_id,
                wanted,
                now,
                source_ref=f"task:{task_id}:adjust",
            )
            await uow.case_tasks.add_new([adjust])
    return TaskResult(Outcome.DONE, stored, case)


@dataclass(frozen=True)
class HandOver:
    outcome: Outcome
    tasks: tuple[CaseTask, ...] = ()


async def hand_over(
    uow: UnitOfWork, staff: StaffMember, from_id: str, to_id: str, now: datetime
) -> HandOver:
    """Every open task of `from_id` at the school goes to `to_id`, logged on each case. Staff
    hand over their own tasks; a principal may hand over anyone's (someone already away)."""
    if from_id != staff.staff_id and not staff.has_role(Role.PRINCIPAL):
        return HandOver(Outcome.NOT_ALLOWED)
    colleagues = {s.staff_id for s in await uow.staff.list_for_school(staff.school_key)}
    if to_id not in colleagues or to_id == from_id:
        return HandOver(Outcome.REFUSED)
    tasks = await uow.case_tasks.open_of_owner(staff.school_key, from_id)
    moved: list[CaseTask] = []
    by_case: dict[int, list[int]] = {}
    for task in tasks:
        stored = await uow.case_tasks.update(handed_to(task, to_id))
        if stored is None:
            return HandOver(Outcome.MOVED)
        moved.append(stored)
        by_case.setdefault(task.case_id, []).append(task.id or 0)
    for case_id, task_ids in by_case.items():
        result: CaseResult = await change_case(
            uow,
            case_id,
            staff,
            lambda c: with_member(c, to_id),
            EventKind.TASKS_HANDED,
            now,
            {"from": from_id, "to": to_id, "tasks": task_ids},
            allowed=lambda s, c, p: c.is_open,
        )
        if result.outcome is Outcome.MOVED:
            return HandOver(Outcome.MOVED)
    return HandOver(Outcome.DONE, tuple(moved))


# The rules' tasks ----------------------------------------------------------------------


def principal_of(staff: Iterable[StaffMember], fallback: str) -> str:
    """The school's principal who owns the rules' tasks (the first by id), else `fallback`."""
    principals = sorted(s.staff_id for s in staff if s.has_role(Role.PRINCIPAL))
    return principals[0] if principals else fallback


def illness_contact_tasks(
    school: School,
    hits: Iterable[RuleHit],
    open_cases: Mapping[str, Case],
    existing: Mapping[int, Sequence[CaseTask]],
    staff: Sequence[StaffMember],
    now: datetime,
) -> list[CaseTask]:
    """A contact task for the principal per case and illness rule and window start (the
    term): the rule holds on the evening of the 15th school day, so it is due on the next
    school day, the first the school can act on."""
    found: dict[tuple[int, str], CaseTask] = {}
    for hit in hits:
        case = open_cases.get(hit.pupil_id)
        if hit.rule_id not in ILLNESS_RULES or case is None or case.id is None:
            continue
        ref = f"rule:{hit.rule_id}:{hit.window_start.isoformat()}"
        if any(t.source_ref == ref for t in existing.get(case.id, ())) or (case.id, ref) in found:
            continue
        owner = principal_of(staff, case.coordinator_id)
        found[(case.id, ref)] = task_due(
            school,
            case.id,
            TaskKind.DK_ILLNESS_CONTACT,
            owner,
            hit.window_end + timedelta(days=1),
            now,
            source_ref=ref,
        )
    return list(found.values())


async def rule_tasks(
    uow: UnitOfWork, school: School, hits: Sequence[RuleHit], now: datetime
) -> list[CaseTask]:
    """The tasks the night's new rule hits set, stored; three queries however many hits."""
    if not any(h.rule_id in ILLNESS_RULES for h in hits):
        return []
    cases = {c.pupil_id: c for c in await uow.cases.open_cases(school.key)}
    case_ids = [c.id for c in cases.values() if c.id is not None]
    existing = await uow.case_tasks.of_cases(case_ids)
    staff = await uow.staff.list_for_school(school.key)
    return await uow.case_tasks.add_new(
        illness_contact_tasks(school, hits, cases, existing, staff, now)
    )


def due_by_school_day(school: School, deadline: date, earliest: date) -> tuple[date, str]:
    """A legal deadline that falls on a day without school moves *earlier*, to the last
    school day before it (not before `earliest`): moving it later would miss it."""
    reason = why_no_school(school, deadline)
    if not reason:
        return deadline, ""
    day = deadline
    while day > earliest:
        day -= timedelta(days=1)
        if is_school_day(school, day):
            return day, reason
    return deadline, reason


async def learning_environment(
    uow: UnitOfWork, case_id: int, staff: StaffMember, now: datetime, today: date
) -> TaskResult:
    """Staff record that problems with the psychological learning environment are found:
    logged on the case, and the principal is due an action plan within 10 working days."""
    logged = await change_case(
        uow, case_id, staff, lambda c: c, EventKind.LEARNING_ENVIRONMENT, now, {}
    )
    if not logged.done or logged.case is None:
        return TaskResult(logged.outcome, None, logged.case)
    school = await uow.schools.get(logged.case.school_key)
    assert school is not None
    deadline = add_working_days(school, today, ACTION_PLAN_WORKING_DAYS)
    due, moved_by = due_by_school_day(school, deadline, today)
    owner = principal_of(await uow.staff.list_for_school(school.key), logged.case.coordinator_id)
    task = CaseTask(
        school.key,
        case_id,
        TaskKind.DK_ACTION_PLAN,
        "",
        owner,
        due,
        now,
        moved_by=moved_by,
        source_ref=f"learning_environment:{today.isoformat()}",
    )
    stored = await uow.case_tasks.add_new([task])
    return TaskResult(Outcome.DONE, stored[0] if stored else None, logged.case)


# "Nothing new" ---------------------------------------------------------------------------

# What counts as the family hearing from the school about the case.
_HEARD = frozenset(
    {
        EventKind.NOTICE_SENT,
        EventKind.PLAN_SAVED,
        EventKind.FAMILY_UPDATED,
        EventKind.FAMILY_CONTACTED,
    }
)


def last_heard(case: Case, events: Iterable[CaseEvent]) -> datetime:
    """When the family last heard from the school: the case's opening, a plan or a notice sent,
    an update sent or a talk recorded (routine.family_updates), or a "nothing new" task done."""
    moments = [case.opened_at]
    for event in events:
        if event.kind in _HEARD or (
            event.kind is EventKind.TASK_DONE
            and event.detail.get("task_kind") == TaskKind.NOTHING_NEW.value
        ):
            moments.append(event.at)
    return max(moments)


def nothing_new_tasks(
    school: School,
    cases: Iterable[Case],
    events: Mapping[int, Sequence[CaseEvent]],
    tasks: Mapping[int, Sequence[CaseTask]],
    now: datetime,
    local_day: Callable[[datetime], date],
) -> list[CaseTask]:
    """For each open case without an open "nothing new" task: one due `nothing_new_days`
    school days after the family last heard from the school."""
    found = []
    for case in cases:
        if not case.is_open or case.id is None:
            continue
        if any(t.kind is TaskKind.NOTHING_NEW and t.is_open for t in tasks.get(case.id, ())):
            continue
        heard = local_day(last_heard(case, events.get(case.id, ())))
        wanted = add_school_days(school, heard, school.cases.nothing_new_days)
        found.append(
            task_due(
                school,
                case.id,
                TaskKind.NOTHING_NEW,
                case.coordinator_id,
                wanted,
                now,
                source_ref=f"nothing_new:{heard.isoformat()}",
            )
        )
    return found


async def set_nothing_new_tasks(uow: UnitOfWork, school: School, now: datetime) -> list[CaseTask]:
    """Store the school's due "nothing new" tasks: three queries however many cases."""
    zone = ZoneInfo(school.timezone)
    cases = await uow.cases.open_cases(school.key)
    ids = [c.id for c in cases if c.id is not None]
    if not ids:
        return []
    events = await uow.cases.events_of(ids)
    tasks = await uow.case_tasks.of_cases(ids)
    new = nothing_new_tasks(
        school, cases, events, tasks, now, lambda moment: moment.astimezone(zone).date()
    )
    return await uow.case_tasks.add_new(new)


# Step 3 at the review date --------------------------------------------------------------

STEP2_RULE = "se.step2"


async def step3_reviews_due(uow: UnitOfWork, school: School, day: date) -> list[Case]:
    """The Swedish step-2 cases whose plan is reviewed today while step 2 still holds: the
    principal is to be asked whether to raise them to step 3 (000: 474–496). "Still holds": the
    rule held at the last evaluation, the evening of the school day before (or today's). A few
    queries however many cases."""
    cases = [c for c in await uow.cases.open_cases(school.key) if c.stage == "se.step2"]
    ids = [c.id for c in cases if c.id is not None]
    if not ids:
        return []
    tasks = await uow.case_tasks.of_cases(ids)
    reviewed = {
        case_id
        for case_id, found in tasks.items()
        if any(t.kind is TaskKind.REVIEW and t.is_open and t.due == day for t in found)
    }
    if not reviewed:
        return []
    since = day - timedelta(days=1)
    while since > day - timedelta(days=30) and not is_school_day(school, since):
        since -= timedelta(days=1)
    held = {
        h.pupil_id
        for h in await uow.rule_hits.list_between(school.key, since, day)
        if h.rule_id == STEP2_RULE
    }
    return [c for c in cases if c.id in reviewed and c.pupil_id in held]
