"""The morning reminder of a case's tasks, one message per person, kept current.

Each school morning the `case-reminders` job sends every person with open tasks ONE message
(an outbox slot per person and day, see dialogs/live.py) listing what is overdue, due today
and due within `[cases] remind_ahead_days` school days, each line with a [Done] button
(dialogs/task_actions.py). Doing or handing over a task renders the same message again, which
edits it in place; re-running the job renders the same text, which queues nothing.

A task overdue by `[cases] overdue_after_days` school days goes to the principals as well, once
per task (the message's key names the task).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from dialogs.i18n import N_, _, format_day, format_number, format_short_day, ngettext, use_locale
from dialogs.labels import one_full_stop
from dialogs.live import live_message
from dialogs.notices import STAFF_PLATFORM, staff_language, to_staff
from routine.case_tasks import (
    DAY_OFF,
    OUT_OF_TERM,
    WEEKEND,
    Agenda,
    CaseTask,
    TaskKind,
    agendas,
    escalated,
    horizon,
    school_days_after,
)
from routine.cases import Case
from routine.model import Pupil, Role, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton
from routine.ports import UnitOfWork

# [Done: 1] under a line; dialogs/task_actions.py handles the press.
TASK_PREFIX = "t."
REMINDER_KIND = "case-tasks"
OVERDUE_KIND = "case-task-overdue"

# The rules' tasks, worded here (a plan's rows and reviews carry the words staff wrote).
KIND_TITLES = {
    TaskKind.BY_HAND: N_("Follow-up"),
    TaskKind.PLAN_ROW: N_("A measure of the plan"),
    TaskKind.REVIEW: N_("Review the plan"),
    TaskKind.DK_ILLNESS_CONTACT: N_(
        "Contact the parents about the illness absence (at the latest 15 school days after "
        "the pupil last attended)"
    ),
    TaskKind.DK_ACTION_PLAN: N_(
        "Action plan for the psychological learning environment (within 10 working days)"
    ),
    TaskKind.NOTHING_NEW: N_("Update the family, also when nothing is new"),
}
MOVED_REASONS = {
    WEEKEND: N_("the weekend"),
    DAY_OFF: N_("a day off"),
    OUT_OF_TERM: N_("the holidays between terms"),
}


def task_title(task: CaseTask) -> str:
    """In the current locale."""
    return task.title or str(KIND_TITLES[task.kind])


def moved_note(task: CaseTask) -> str:
    if not task.moved_by:
        return ""
    reason = MOVED_REASONS.get(task.moved_by)
    return _("moved to the next school day because of {reason}").format(
        reason=str(reason) if reason is not None else task.moved_by
    )


def reminder_slot(day: date) -> str:
    return f"case-tasks:{day.isoformat()}"


def done_button(task: CaseTask, number: int, day: date) -> OutgoingButton:
    """`t.<task id>.done.<YYYYMMDD>`: the day names the reminder the press re-renders."""
    return OutgoingButton(
        f"{TASK_PREFIX}{task.id}.done.{day:%Y%m%d}",
        _("Done: {number}").format(number=format_number(number)),
    )


def who(pupils: Mapping[str, Pupil], case: Case | None) -> str:
    if case is None:
        return "–"
    pupil = pupils.get(case.pupil_id)
    if pupil is None:
        return "–"
    return f"{pupil.name} ({pupil.class_name})"


def task_line(
    school: School,
    number: int,
    task: CaseTask,
    case: Case | None,
    pupils: Mapping[str, Pupil],
    today: date,
) -> str:
    line = _("{number}. {pupil}: {task}, {day}").format(
        number=format_number(number),
        pupil=who(pupils, case),
        task=task_title(task),
        day=format_short_day(task.due),
    )
    late = school_days_after(school, task.due, today)
    if late:
        line += " – " + ngettext(
            "{count} school day late", "{count} school days late", late
        ).format(count=format_number(late))
    note = moved_note(task)
    return f"{line} ({note})" if note else line


def reminder_text(
    school: School,
    agenda: Agenda,
    cases: Mapping[int, Case],
    pupils: Mapping[str, Pupil],
    today: date,
) -> str:
    """In the current locale; the lines are numbered in the order of the buttons."""
    lines = [_("Your follow-up tasks, {day}").format(day=format_day(today))]
    if not agenda:
        lines.append(_("Nothing left on this list. Thank you!"))
        return "\n".join(lines)
    number = 0
    ahead = school.cases.remind_ahead_days
    sections = (
        (_("Overdue:"), agenda.overdue),
        (_("Due today:"), agenda.today),
        (
            ngettext(
                "Due in the next {count} school day:",
                "Due in the next {count} school days:",
                ahead,
            ).format(count=format_number(ahead)),
            agenda.soon,
        ),
    )
    for heading, tasks in sections:
        if not tasks:
            continue
        lines.append(heading)
        for task in tasks:
            number += 1
            lines.append(task_line(school, number, task, cases.get(task.case_id), pupils, today))
    lines.append(_("Press Done when a task is done: you will be asked what happened."))
    return "\n".join(lines)


def reminder_message(
    school: School,
    member: StaffMember,
    agenda: Agenda,
    cases: Mapping[int, Case],
    pupils: Mapping[str, Pupil],
    today: date,
    now: datetime,
) -> OutboxMessage:
    with use_locale(staff_language(school, member)):
        text = reminder_text(school, agenda, cases, pupils, today)
        buttons = tuple(
            done_button(task, number, today) for number, task in enumerate(agenda.tasks(), start=1)
        )
    slot = reminder_slot(today)
    return live_message(school, member, REMINDER_KIND, slot, text, buttons, now)


def overdue_message(
    school: School,
    principal: StaffMember,
    task: CaseTask,
    case: Case | None,
    pupils: Mapping[str, Pupil],
    owner_name: str,
    today: date,
    now: datetime,
) -> OutboxMessage:
    """Once per task and principal: the key names the task, not the day."""
    with use_locale(staff_language(school, principal)):
        late = school_days_after(school, task.due, today)
        text = ngettext(
            "A follow-up task is {count} school day overdue.",
            "A follow-up task is {count} school days overdue.",
            late,
        ).format(count=format_number(late))
        text += "\n" + one_full_stop(
            _("{pupil}: {task}, due {day}. Responsible: {owner}.").format(
                pupil=who(pupils, case),
                task=task_title(task),
                day=format_short_day(task.due),
                owner=owner_name,
            )
        )
    return to_staff(school, principal, OVERDUE_KIND, text, f"task-{task.id}", now)


@dataclass(frozen=True)
class Reminders:
    """What a run queued: reminder versions (new or unchanged) and principals' notices."""

    people: int = 0
    queued: int = 0
    unchanged: int = 0
    escalated: int = 0


@dataclass(frozen=True)
class TaskWorld:
    """What a reminder needs, loaded for a whole school in a few queries."""

    staff: list[StaffMember]
    tasks: list[CaseTask]
    cases: dict[int, Case]
    pupils: dict[str, Pupil]


async def load_world(uow: UnitOfWork, school: School, due_by: date) -> TaskWorld:
    """The staff, the school's open tasks due by `due_by`, their cases and pupils: four
    queries, however many tasks."""
    staff = await uow.staff.list_for_school(school.key)
    tasks = await uow.case_tasks.open_for_school(school.key, due_by)
    cases = {c.id: c for c in await uow.cases.open_cases(school.key) if c.id is not None}
    tasks = [t for t in tasks if t.case_id in cases]
    pupil_ids = {cases[t.case_id].pupil_id for t in tasks}
    pupils = {p.pupil_id: p for p in await uow.school_day.pupils(school.key, pupil_ids)}
    return TaskWorld(staff, tasks, cases, pupils)


async def refresh_reminders(
    uow: UnitOfWork,
    school: School,
    today: date,
    now: datetime,
    owners: Collection[str] | None = None,
    *,
    escalate: bool = False,
) -> Reminders:
    """Queue today's reminder for each person with tasks (or only for `owners`: then also an
    emptied list, if that person's reminder of the day was sent); with `escalate`, tell the
    principals of tasks overdue long enough, once each."""
    world = await load_world(uow, school, horizon(school, today, school.cases.remind_ahead_days))
    by_owner = agendas(school, world.tasks, today, school.cases.remind_ahead_days)
    members = {s.staff_id: s for s in world.staff}
    wanted = set(by_owner) if owners is None else set(owners)
    messages: list[OutboxMessage] = []
    for owner_id in sorted(wanted):
        member = members.get(owner_id)
        if member is None or not member.slack_user_id:
            continue
        agenda = by_owner.get(owner_id, Agenda())
        if not agenda and not await _was_sent(uow, member, today):
            continue
        messages.append(
            reminder_message(school, member, agenda, world.cases, world.pupils, today, now)
        )
    people = len(messages)
    if escalate:
        messages.extend(_escalations(school, world, today, now))
    added = await uow.outbox.add_many(messages)
    reminders, notices = added[:people], added[people:]
    return Reminders(
        people=people,
        queued=sum(reminders),
        unchanged=len(reminders) - sum(reminders),
        escalated=sum(notices),
    )


async def _was_sent(uow: UnitOfWork, member: StaffMember, today: date) -> bool:
    return bool(
        await uow.outbox.slot_ref(STAFF_PLATFORM, member.slack_user_id, reminder_slot(today))
    )


def _escalations(
    school: School, world: TaskWorld, today: date, now: datetime
) -> Iterable[OutboxMessage]:
    late = escalated(school, world.tasks, today, school.cases.overdue_after_days)
    principals = [s for s in world.staff if s.has_role(Role.PRINCIPAL) and s.slack_user_id]
    names = {s.staff_id: s.name for s in world.staff}
    for task in late:
        for principal in principals:
            if principal.staff_id == task.owner_id:
                continue
            yield overdue_message(
                school,
                principal,
                task,
                world.cases.get(task.case_id),
                world.pupils,
                names.get(task.owner_id, task.owner_id),
                today,
                now,
            )
