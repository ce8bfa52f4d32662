"""A mentor takes (or changes) the morning roll call of one of their classes.

It starts from the menu, or from the buttons under the roll-call message, which already name
the roll call. The form lists the class with two multi-selects, "Absent" and "Late"; what
guardians reported is already selected, or, once submitted, what was submitted.

The diagram is in the .md file of the same name.
"""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

from dialogs.events import Form, FormField
from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, format_clock, format_number, ngettext
from dialogs.live import refresh_roll_call, roll_call_state
from dialogs.unreported import follow_up_unreported
from routine.calendar import is_school_day
from routine.roll_call import (
    Attendance,
    RollCall,
    RollCallStatus,
    SubmitOutcome,
    editable,
    may_take,
    submit,
    takes_a_roll_call,
)

TRANSITIONS = {
    "choose": {"chosen": "mark", "none": END},
    "mark": {"saved": END},
}
ABSENT, LATE = "absent", "late"
# The marks entered in a form that must be corrected, to show them again.
DRAFT = "draft"


async def ask_class(ctx: Context) -> Prompt | Go:
    if "roll_call" in ctx.data:
        return Go("chosen")
    roll_calls = await todays_roll_calls(ctx)
    if not roll_calls:
        ctx.say(_("There is no roll call for you to take today."))
        return Go("none")
    if len(roll_calls) == 1:
        ctx.data["roll_call"] = roll_calls[0].id
        return Go("chosen")
    choices = tuple(Choice(str(r.id), r.class_name) for r in roll_calls)
    return Prompt(_("Which class?"), choices)


async def answer_class(ctx: Context, answer: Answer) -> Go | Retry:
    ids = {str(r.id) for r in await todays_roll_calls(ctx)}
    if answer.choice not in ids:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["roll_call"] = int(answer.choice)
    return Go("chosen")


async def todays_roll_calls(ctx: Context) -> list[RollCall]:
    """A mentor's classes' roll calls today, opened now if the job has not yet; none once the
    school day is over."""
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    draft = RollCall(school.key, "", ctx.today, opened_at=ctx.now)
    if not is_school_day(school, ctx.today) or not editable(school, draft, ctx.now):
        return []
    school_classes = [c.name for c in await ctx.uow.classes.list_for(school.key)]
    return [
        await ctx.uow.roll_calls.add(dataclasses.replace(draft, class_name=class_name))
        for class_name in school_classes
        if may_take(staff, class_name)
    ]


async def ask_marks(ctx: Context) -> Prompt | Go:
    roll_call = await current(ctx, ctx.data.get("roll_call"))
    if roll_call is None:
        return Go("saved")
    pupils, reported, marked = await roll_call_state(ctx.uow, roll_call)
    shown = marked if roll_call.status is RollCallStatus.SUBMITTED else reported
    if DRAFT in ctx.data:
        # What the person entered and must correct: not lost on the way back.
        shown = Attendance(frozenset(ctx.data[DRAFT][ABSENT]), frozenset(ctx.data[DRAFT][LATE]))
    choices = tuple((p.pupil_id, p.name) for p in pupils)
    form = Form(
        id="roll-call",
        title=_("Roll call {name}").format(name=roll_call.class_name),
        fields=(
            FormField(
                ABSENT,
                _("Absent"),
                required=False,
                choices=choices,
                multiple=True,
                initial=_in_order(choices, shown.absent),
            ),
            FormField(
                LATE,
                _("Late"),
                required=False,
                choices=choices,
                multiple=True,
                initial=_in_order(choices, shown.late),
            ),
        ),
        submit_label=_("Save"),
    )
    text = _(
        "Roll call for class {name}: mark who is absent or late. Leave both empty if "
        "everyone is here."
    ).format(name=roll_call.class_name)
    return Prompt(text, form=form)


def _in_order(choices: tuple[tuple[str, str], ...], ids: frozenset[str]) -> tuple[str, ...]:
    return tuple(value for value, _label in choices if value in ids)


async def answer_marks(ctx: Context, answer: Answer) -> Go | Retry:
    roll_call = await current(ctx, ctx.data.get("roll_call"))
    if roll_call is None or answer.form is None:
        return Go("saved")
    attendance = Attendance(
        absent=_selected(answer.form.get(ABSENT)), late=_selected(answer.form.get(LATE))
    )
    result = await save(ctx, roll_call, attendance)
    if isinstance(result, Retry):
        ctx.data[DRAFT] = {ABSENT: sorted(attendance.absent), LATE: sorted(attendance.late)}
    return result


async def save(ctx: Context, roll_call: RollCall, attendance: Attendance) -> Go | Retry:
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    was_due = roll_call.status is not RollCallStatus.SUBMITTED and _past_due(ctx)
    outcome = await submit(
        ctx.uow,
        roll_call=roll_call,
        school=school,
        staff=staff,
        attendance=attendance,
        now=ctx.now,
    )
    if outcome is SubmitOutcome.BOTH_ABSENT_AND_LATE:
        return Retry(_("A pupil cannot be both absent and late. Please correct the roll call."))
    if outcome is SubmitOutcome.UNKNOWN_PUPILS:
        return Retry(_("The class list has changed. Please take the roll call again."))
    if outcome is not SubmitOutcome.SAVED:
        ctx.say(
            _("The roll call for class {name} can no longer be changed.").format(
                name=roll_call.class_name
            )
        )
        return Go("saved")
    assert roll_call.id is not None
    saved = await ctx.uow.roll_calls.get(roll_call.id)
    assert saved is not None
    await refresh_roll_call(ctx.uow, school, saved, ctx.now)
    if was_due or _past_due(ctx):
        # The day's follow-up already ran: whoever this roll call adds is followed up now,
        # and whoever it no longer has absent leaves the mentors' lists.
        await follow_up_unreported(ctx.uow, school, ctx.today, ctx.now)
    # The roll-call message, edited through the outbox, shows it too.
    ctx.say_shown_in_place(
        _("Roll call for class {name} saved: {absent}, {late}.").format(
            name=roll_call.class_name,
            absent=pupils_absent(len(attendance.absent)),
            late=pupils_late(len(attendance.late)),
        )
        + " "
        + _("You can change it until {time}.").format(time=format_clock(school.times.end_of_day))
    )
    return Go("saved")


def _selected(value: str | None) -> frozenset[str]:
    """A multiple field's values come one per line."""
    return frozenset(line.strip() for line in (value or "").splitlines() if line.strip())


def _past_due(ctx: Context) -> bool:
    school = ctx.actor.school
    local = ctx.now.astimezone(ZoneInfo(school.timezone))
    return local.time() >= school.times.unreported_prompt


async def current(ctx: Context, roll_call_id: object) -> RollCall | None:
    """The roll call `roll_call_id`, if this person may still take it; else says why not."""
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    roll_call = (
        await ctx.uow.roll_calls.get(roll_call_id) if isinstance(roll_call_id, int) else None
    )
    if (
        roll_call is None
        or roll_call.school_key != school.key
        or not may_take(staff, roll_call.class_name)
    ):
        ctx.say(_("This button has expired."))
        return None
    if not editable(school, roll_call, ctx.now):
        ctx.say(
            _("The roll call for class {name} can no longer be changed.").format(
                name=roll_call.class_name
            )
        )
        return None
    return roll_call


FLOW = Flow(
    name="roll_call",
    title=N_("Roll call"),
    audience=frozenset({"staff"}),
    start="choose",
    steps={
        "choose": Step(ask_class, answer_class),
        "mark": Step(ask_marks, answer_marks),
    },
    transitions=TRANSITIONS,
    offered=lambda actor: actor.staff is not None and takes_a_roll_call(actor.staff),
)


def pupils_absent(count: int) -> str:
    """'1 elev frånvarande', '2 elever frånvarande': the noun takes the count's plural form."""
    return ngettext("{count} pupil absent", "{count} pupils absent", count).format(
        count=format_number(count)
    )


def pupils_late(count: int) -> str:
    return ngettext("{count} pupil late", "{count} pupils late", count).format(
        count=format_number(count)
    )
