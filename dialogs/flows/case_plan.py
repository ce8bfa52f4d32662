"""Staff write or change the plan of a case (routine.plans), in one form.

The person chooses one of the open cases they may act on (skipped when the flow is started from
a case), then fills in the plan as the sources' forms have it: the current situation, the main
goal, rows of sub-goal · measure · who is responsible · deadline, the period and the review date
(002: 1257–1317; 004: 2270–2276; 000: 377). The form starts from the latest version, with two
empty rows to add to. Saving stores a new version, logs which parts changed, and sends the
guardians the part meant for them (`dialogs.plan_notices`). A problem is explained and the form
comes back with what was typed. If someone else saved a version meanwhile, the form comes back
with theirs.

The diagram is in the .md file of the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from dialogs.events import Form, FormField
from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, example_day
from dialogs.parsing import parse_day
from dialogs.plan_notices import (
    ERRORS,
    responsible_choices,
    saved_summary,
    send_to_guardians,
)
from routine.case_service import Outcome, change_case
from routine.case_tasks import cancelled, plan_tasks, replaced_by
from routine.cases import Case, EventKind, may_act
from routine.model import Pupil
from routine.plans import MAX_ROWS, Plan, PlanRow, Responsible, changed_parts, check

TRANSITIONS = {
    "choose": {"chosen": "plan", "none": END},
    "plan": {"saved": END, "gone": END},
}
CASE = "case"
DRAFT = "draft"
SITUATION, GOAL, START, END_DAY, REVIEW = "situation", "goal", "start", "end", "review"
ROW_FIELDS = ("sub_goal", "measure", "who", "deadline")
EMPTY_ROWS = 2


async def my_cases(ctx: Context) -> list[tuple[Case, Pupil]]:
    """The open cases this person may act on, by pupil name."""
    staff = ctx.actor.staff
    assert staff is not None
    cases = await ctx.uow.cases.open_cases(staff.school_key)
    pupils = {
        p.pupil_id: p
        for p in await ctx.uow.school_day.pupils(staff.school_key, {c.pupil_id for c in cases})
    }
    found = [
        (case, pupils[case.pupil_id])
        for case in cases
        if case.pupil_id in pupils and may_act(staff, case, pupils[case.pupil_id])
    ]
    return sorted(found, key=lambda pair: (pair[1].name, pair[0].id or 0))


async def ask_case(ctx: Context) -> Prompt | Go:
    if CASE in ctx.data:
        return Go("chosen")
    found = await my_cases(ctx)
    if not found:
        ctx.say(_("You have no open cases."))
        return Go("none")
    if len(found) == 1:
        ctx.data[CASE] = found[0][0].id
        return Go("chosen")
    choices = tuple(
        Choice(str(case.id), f"{pupil.name} ({pupil.class_name})") for case, pupil in found
    )
    return Prompt(_("Which pupil's plan?"), choices)


async def answer_case(ctx: Context, answer: Answer) -> Go | Retry:
    mine = {str(case.id): case.id for case, _pupil in await my_cases(ctx)}
    if answer.choice not in mine:
        return Retry(_("Please answer with one of the choices."))
    ctx.data[CASE] = mine[answer.choice]
    return Go("chosen")


async def _case(ctx: Context) -> tuple[Case, Pupil] | None:
    staff = ctx.actor.staff
    assert staff is not None
    case = await ctx.uow.cases.get(int(ctx.data[CASE]))
    if case is None:
        return None
    pupil = await ctx.uow.pupils.get(case.school_key, case.pupil_id)
    if case.school_key != staff.school_key or not may_act(staff, case, pupil):
        return None
    assert pupil is not None
    return case, pupil


def _initial_values(plan: Plan | None, today: date) -> dict[str, str]:
    if plan is None:
        return {START: today.isoformat()}
    values = {
        SITUATION: plan.situation,
        GOAL: plan.main_goal,
        START: plan.period_start.isoformat(),
        END_DAY: plan.period_end.isoformat(),
        REVIEW: plan.review.isoformat(),
    }
    for index, row in enumerate(plan.rows, start=1):
        who = f"staff:{row.staff_id}" if row.responsible is Responsible.STAFF else row.responsible
        values |= {
            f"row{index}_sub_goal": row.sub_goal,
            f"row{index}_measure": row.measure,
            f"row{index}_who": str(who),
            f"row{index}_deadline": row.deadline.isoformat() if row.deadline else "",
        }
    return values


async def ask_plan(ctx: Context) -> Prompt | Go:
    found = await _case(ctx)
    if found is None:
        ctx.say(_("This case is closed or no longer yours."))
        return Go("gone")
    case, pupil = found
    assert case.id is not None
    latest = (await ctx.uow.plans.latest_of([case.id])).get(case.id)
    values: dict[str, str] = ctx.data.get(DRAFT) or _initial_values(latest, ctx.today)
    staff = await ctx.uow.staff.list_for_school(case.school_key)
    who = responsible_choices(case, pupil, staff)
    rows = min(MAX_ROWS, (len(latest.rows) if latest else 0) + EMPTY_ROWS)
    rows = max(rows, _rows_in(values))
    example = example_day(ctx.today)

    def initial(name: str) -> tuple[str, ...]:
        return (values[name],) if values.get(name) else ()

    fields = [
        FormField(SITUATION, _("Current situation"), multiline=True, initial=initial(SITUATION)),
        FormField(GOAL, _("Main goal"), initial=initial(GOAL)),
    ]
    for index in range(1, rows + 1):
        first = index == 1
        fields += [
            FormField(
                f"row{index}_sub_goal",
                _("Sub-goal {number}").format(number=index),
                required=first,
                initial=initial(f"row{index}_sub_goal"),
            ),
            FormField(
                f"row{index}_measure",
                _("Measure {number}").format(number=index),
                required=first,
                initial=initial(f"row{index}_measure"),
            ),
            FormField(
                f"row{index}_who",
                _("Responsible for measure {number}").format(number=index),
                required=first,
                choices=who,
                initial=initial(f"row{index}_who"),
            ),
            FormField(
                f"row{index}_deadline",
                _("Deadline for measure {number} (for example {example})").format(
                    number=index, example=example
                ),
                required=False,
                is_date=True,
                initial=initial(f"row{index}_deadline"),
            ),
        ]
    fields += [
        FormField(START, _("The plan runs from"), is_date=True, initial=initial(START)),
        FormField(END_DAY, _("The plan runs until"), is_date=True, initial=initial(END_DAY)),
        FormField(REVIEW, _("Review date"), is_date=True, initial=initial(REVIEW)),
    ]
    version = latest.version + 1 if latest else 1
    intro = _(
        "The plan for {pupil} ({class_name}). Write what you agree on with the pupil and the "
        "guardians. The guardians are sent the main goal, the measures, the period and the "
        "review date; the current situation stays with staff. Write no health details."
    ).format(pupil=pupil.name, class_name=pupil.class_name)
    ctx.data["version"] = version
    form = Form(
        id="case_plan",
        title=_("Plan"),
        fields=tuple(fields),
        submit_label=_("Save"),
    )
    return Prompt(intro, form=form)


def _rows_in(values: Mapping[str, str]) -> int:
    found = [
        int(name[3:].split("_")[0])
        for name in values
        if name.startswith("row") and name[3:].split("_")[0].isdigit()
    ]
    return min(MAX_ROWS, max(found, default=0))


async def answer_plan(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.form is None:
        return Retry(_("Please fill in the form."))
    result = await _save(ctx, answer.form)
    if isinstance(result, Retry):
        ctx.data[DRAFT] = dict(answer.form)
    return result


def _read_rows(values: Mapping[str, str], today: date) -> list[PlanRow] | None:
    """The filled-in rows; None if a deadline cannot be read. A row with only some parts
    filled in is kept, so that the check names it."""
    rows = []
    for index in range(1, MAX_ROWS + 1):
        parts = {f: values.get(f"row{index}_{f}", "").strip() for f in ROW_FIELDS}
        if not any(parts.values()):
            continue
        deadline = None
        if parts["deadline"]:
            deadline = parse_day(parts["deadline"], today)
            if deadline is None:
                return None
        who = parts["who"]
        if who.startswith("staff:"):
            responsible, staff_id = Responsible.STAFF, who.removeprefix("staff:")
        elif who in (Responsible.PUPIL, Responsible.GUARDIANS):
            responsible, staff_id = Responsible(who), ""
        else:
            # Nobody chosen: the check asks who is responsible.
            responsible, staff_id = Responsible.STAFF, ""
        rows.append(PlanRow(parts["sub_goal"], parts["measure"], responsible, staff_id, deadline))
    return rows


async def _save(ctx: Context, values: Mapping[str, str]) -> Go | Retry:
    staff = ctx.actor.staff
    assert staff is not None
    found = await _case(ctx)
    if found is None:
        ctx.say(_("This case is closed or no longer yours."))
        return Go("gone")
    case, pupil = found
    assert case.id is not None
    days = {name: parse_day(values.get(name, ""), ctx.today) for name in (START, END_DAY, REVIEW)}
    rows = _read_rows(values, ctx.today)
    if rows is None or None in days.values():
        return Retry(
            _("I could not read that date. Please write it like {example}.").format(
                example=example_day(ctx.today)
            )
        )
    latest = (await ctx.uow.plans.latest_of([case.id])).get(case.id)
    plan = Plan(
        case.school_key,
        case.id,
        (latest.version + 1) if latest else 1,
        values.get(SITUATION, "").strip(),
        values.get(GOAL, "").strip(),
        tuple(rows),
        days[START],  # type: ignore[arg-type]
        days[END_DAY],  # type: ignore[arg-type]
        days[REVIEW],  # type: ignore[arg-type]
        staff.staff_id,
        ctx.now,
    )
    everyone = await ctx.uow.staff.list_for_school(case.school_key)
    errors = check(plan, ctx.today, [s.staff_id for s in everyone])
    if errors:
        return Retry("\n".join(str(ERRORS[e]) for e in errors))
    if latest is not None and ctx.data.get("version") != plan.version:
        ctx.data.pop(DRAFT, None)
        return Retry(_("Someone else saved the plan meanwhile. Here it is as they left it."))
    stored = await ctx.uow.plans.add_version(plan)
    if stored is None:
        ctx.data.pop(DRAFT, None)
        return Retry(_("Someone else saved the plan meanwhile. Here it is as they left it."))
    logged = await change_case(
        ctx.uow,
        case.id,
        staff,
        lambda c: c,
        EventKind.PLAN_SAVED,
        ctx.now,
        {"version": stored.version, "changed": changed_parts(latest, stored)},
    )
    if logged.outcome is not Outcome.DONE:
        ctx.say(_("This case is closed or no longer yours."))
        return Go("gone")
    await _set_tasks(ctx, case, stored)
    sent = await send_to_guardians(ctx.uow, ctx.actor.school, case, pupil, stored, ctx.now)
    ctx.replies.append(saved_summary(stored, pupil, sent))
    return Go("saved")


async def _set_tasks(ctx: Context, case: Case, plan: Plan) -> None:
    """Each deadline and the review date become tasks (routine.case_tasks); those of an earlier
    version the new one no longer has are cancelled. Rows are numbered within the case's plan,
    not the version, so a row a new version keeps unchanged stays the same task."""
    staff = ctx.actor.staff
    assert staff is not None and case.id is not None
    rows = [
        (row.measure, row.staff_id if row.responsible is Responsible.STAFF else "", row.deadline)
        for row in plan.rows
        if row.deadline is not None
    ]
    school = ctx.actor.school
    new = plan_tasks(school, case.id, case.coordinator_id, case.id, rows, plan.review, ctx.now)
    current = (await ctx.uow.case_tasks.of_cases([case.id])).get(case.id, [])
    for task in replaced_by(current, new):
        await ctx.uow.case_tasks.update(cancelled(task, staff.staff_id, ctx.now))
    await ctx.uow.case_tasks.add_new(new)


def _never_in_the_menu(_actor: Actor) -> bool:
    # Started from a case's card ([Plan], dialogs/plan_actions.py), never from the menu.
    return False


FLOW = Flow(
    name="case_plan",
    title=N_("Write or change a plan"),
    audience=frozenset({"staff"}),
    start="choose",
    steps={"choose": Step(ask_case, answer_case), "plan": Step(ask_plan, answer_plan)},
    transitions=TRANSITIONS,
    offered=_never_in_the_menu,
)
