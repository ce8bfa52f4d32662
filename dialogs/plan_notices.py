"""Messages about a case's plan: the guardians' copy with [Confirm], and what staff see after
saving, with [The pupil agrees].

The guardians get the part meant for them (`routine.plans.for_guardians`) in their language, in
every chat that reaches them, without internal words: no "case", no stage, no rule. Who is
responsible for a measure is said in plain words: a member of staff by name, the pupil by name,
or "you at home". Guardians whom no chat reaches are named to staff, for a letter or a call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from dialogs.events import Button, Reply
from dialogs.guardian_reach import load_reach
from dialogs.i18n import N_, _, format_day, ngettext, use_locale
from dialogs.notices import GUARDIAN_PLATFORM
from routine.cases import Case
from routine.model import Guardian, Pupil, Role, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.plans import GuardianPart, Plan, PlanError, PlanRow, Responsible, for_guardians
from routine.ports import UnitOfWork

# [Confirm] under the guardians' copy, [The pupil agrees] under staff's; dialogs/plan_actions.py.
PLAN_PREFIX = "a."
CONFIRM, PUPIL_AGREES = "ok", "pupil"
# [Plan] on a case's card: `pl.<case id>` starts the plan's form for that case.
WRITE_PREFIX = "pl."


def write_plan_button(case_id: int) -> Button:
    """In the current locale: render inside the reader's `use_locale`."""
    return Button(f"{WRITE_PREFIX}{case_id}", _("Plan"))


ERRORS = {
    PlanError.GOAL_MISSING: N_("Please write the main goal."),
    PlanError.NO_ROWS: N_("Please write at least one measure."),
    PlanError.ROW_INCOMPLETE: N_("Each measure needs a sub-goal and what will be done."),
    PlanError.TOO_LONG: N_("Please keep each field under 500 characters."),
    PlanError.PERIOD_BACKWARDS: N_("The plan must end after it begins."),
    PlanError.PERIOD_TOO_LONG: N_("A plan can run for at most a year."),
    PlanError.REVIEW_OUTSIDE: N_("The review date must fall within the plan's period."),
    PlanError.DEADLINE_OUTSIDE: N_("Each deadline must fall within the plan's period."),
    PlanError.IN_THE_PAST: N_("The review date and the deadlines cannot be in the past."),
    PlanError.UNKNOWN_STAFF: N_("Please choose who is responsible for each measure."),
}


def responsible_choices(
    case: Case, pupil: Pupil, staff: Sequence[StaffMember]
) -> tuple[tuple[str, str], ...]:
    """Who can be responsible for a measure: the staff around the case (its owner,
    coordinator and members, the class's mentors, the principals), the pupil, the guardians."""
    around = [
        s
        for s in staff
        if case.involves(s.staff_id)
        or s.has_role(Role.PRINCIPAL)
        or (s.has_role(Role.MENTOR) and pupil.class_name in s.classes)
    ]
    people = tuple((f"staff:{s.staff_id}", s.name) for s in sorted(around, key=lambda s: s.name))
    return (
        *people,
        (Responsible.PUPIL.value, pupil.name),
        (Responsible.GUARDIANS.value, _("The guardians")),
    )


def _who(row: PlanRow, pupil: Pupil, names: dict[str, str], *, to_guardians: bool) -> str:
    if row.responsible is Responsible.PUPIL:
        return pupil.name
    if row.responsible is Responsible.GUARDIANS:
        return _("you at home") if to_guardians else _("the guardians")
    return names.get(row.staff_id, row.staff_id)


def describe_rows(
    rows: Sequence[PlanRow], pupil: Pupil, names: dict[str, str], *, to_guardians: bool
) -> list[str]:
    lines = []
    for row in rows:
        who = _who(row, pupil, names, to_guardians=to_guardians)
        if row.deadline is None:
            line = _("{sub_goal}: {measure} ({who})")
        else:
            line = _("{sub_goal}: {measure} ({who}, by {deadline})")
        lines.append(
            "• "
            + line.format(
                sub_goal=row.sub_goal,
                measure=row.measure,
                who=who,
                deadline=format_day(row.deadline) if row.deadline else "",
            )
        )
    return lines


def guardian_text(part: GuardianPart, pupil: Pupil, names: dict[str, str]) -> str:
    lines = [
        _("The school has written down the plan we agreed on together for {pupil}.").format(
            pupil=pupil.name
        ),
        _("Goal: {goal}").format(goal=part.main_goal),
        _("What we will do:"),
        *describe_rows(part.rows, pupil, names, to_guardians=True),
        _("The plan runs from {start} to {end}. We will look at it together on {review}.").format(
            start=format_day(part.period_start),
            end=format_day(part.period_end),
            review=format_day(part.review),
        ),
        _(
            "If this is what we agreed, please press the button below. If something is not "
            "right, please contact the school."
        ),
    ]
    return "\n".join(lines)


def guardian_message(
    school: School,
    guardian: Guardian,
    account_id: str,
    pupil: Pupil,
    plan: Plan,
    names: dict[str, str],
    now: datetime,
) -> OutboxMessage:
    assert plan.id is not None
    with use_locale(guardian.speaks.value):
        text = guardian_text(for_guardians(plan), pupil, names)
        button = OutgoingButton(f"{PLAN_PREFIX}{plan.id}.{CONFIRM}", _("Confirm"))
    recipient = f"{GUARDIAN_PLATFORM}:{account_id}"
    return OutboxMessage(
        key=idempotency_key("plan", recipient, school.key, str(plan.id)),
        platform=GUARDIAN_PLATFORM,
        recipient=account_id,
        text=text,
        kind="plan",
        school_key=school.key,
        buttons=(button,),
        created_at=now,
    )


@dataclass(frozen=True)
class Sent:
    messages: int = 0
    # Guardians of the pupil whom no chat reaches: for a letter or a call.
    unreached: list[str] = field(default_factory=list)


async def send_to_guardians(
    uow: UnitOfWork, school: School, case: Case, pupil: Pupil, plan: Plan, now: datetime
) -> Sent:
    """The guardians' copy, in every chat that reaches each of the pupil's guardians."""
    reach = await load_reach(uow, school, pupil)
    staff = await uow.staff.list_for_school(school.key)
    names = {s.staff_id: s.name for s in staff}
    messages = 0
    for guardian, chats in reach.reached.values():
        for account in chats:
            message = guardian_message(
                school, guardian, account.account_id, pupil, plan, names, now
            )
            messages += await uow.outbox.add(message)
    return Sent(messages, [g.name for g in reach.unreached])


def saved_summary(plan: Plan, pupil: Pupil, sent: Sent) -> Reply:
    """For the member of staff who saved, in their language (the current locale)."""
    assert plan.id is not None
    lines = [
        _("Saved: version {version} of the plan for {pupil}.").format(
            version=plan.version, pupil=pupil.name
        ),
    ]
    if sent.messages:
        lines.append(
            ngettext(
                "It has been sent to the guardians in {count} chat, to confirm.",
                "It has been sent to the guardians in {count} chats, to confirm.",
                sent.messages,
            ).format(count=sent.messages)
        )
    else:
        # "Sent in 0 chats" read as if it had gone somewhere.
        lines.append(_("The plan has not been sent to any chat."))
    if sent.unreached:
        lines.append(
            _("No chat reaches {names}: please give them the plan by letter or in a call.").format(
                names=", ".join(sent.unreached)
            )
        )
    lines.append(_("When the pupil agrees to the plan, record it here."))
    button = Button(f"{PLAN_PREFIX}{plan.id}.{PUPIL_AGREES}", _("The pupil agrees"))
    return Reply("\n".join(lines), (button,))
