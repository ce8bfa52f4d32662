"""Staff correct a past day of a pupil's attendance record, with a reason kept in the log.

The sources expect absence to be explained or confirmed after the fact (001: 6381; 004: 2474):
a mentor confirms an illness, marks present a pupil who was on a school trip, and so on. The
person chooses one of the classes they may see (skipped if there is one), then fills in a form:
the pupil, the day, what the day should say, the absence code (only for an absence), and why.
Who may correct which day is `routine.corrections.may_correct`; a refusal is explained and the
form comes back with what was typed. A correction of a day the routine had already used is
flagged to the principals (`dialogs.corrections.tell_principals`), in the same unit of work.

The diagram is in the .md file of the same name.
"""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.corrections import STATES, describe_change, refusal_message, tell_principals
from dialogs.events import Form, FormField
from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.i18n import N_, _, example_day, format_day, ngettext
from dialogs.parsing import parse_day
from routine.access import visible_classes
from routine.corrections import (
    WHOLE_SCHOOL,
    Corrected,
    Refusal,
    correct,
    correction_codes,
    may_correct_at_all,
)
from routine.model import AbsenceCode, Pupil
from routine.record import DayStatus

TRANSITIONS = {
    "choose": {"chosen": "correct", "none": END},
    "correct": {"saved": END, "gone": END},
}
CLASS = "class"
# What was entered in a form that must be corrected, to show it again.
DRAFT = "draft"
PUPIL, DAY, STATUS, CODE, REASON = "pupil", "day", "status", "code", "reason"
# What a day can be corrected to: anything but "not recorded".
NEW_STATES = [status for status in DayStatus if status is not DayStatus.UNKNOWN]


async def classes(ctx: Context) -> list[str]:
    staff = ctx.actor.staff
    assert staff is not None
    school_classes = [c.name for c in await ctx.uow.classes.list_for(staff.school_key)]
    return visible_classes(staff, school_classes)


async def ask_class(ctx: Context) -> Prompt | Go:
    found = await classes(ctx)
    if not found:
        ctx.say(
            _("You have no classes in the school file. Please ask the school's administrator.")
        )
        return Go("none")
    if len(found) == 1:
        ctx.data[CLASS] = found[0]
        return Go("chosen")
    return Prompt(_("Which class?"), tuple(Choice(name, name) for name in found))


async def answer_class(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in await classes(ctx):
        return Retry(_("Please answer with one of the choices."))
    ctx.data[CLASS] = answer.choice
    return Go("chosen")


async def _pupils(ctx: Context) -> list[Pupil] | None:
    """The class's active pupils, or None if the person may no longer see the class."""
    class_name = ctx.data.get(CLASS)
    if class_name not in await classes(ctx):
        return None
    pupils = await ctx.uow.pupils.list_for_classes(ctx.actor.school.key, [class_name])
    return sorted((p for p in pupils if p.active), key=lambda p: p.name)


async def _codes(ctx: Context) -> dict[str, AbsenceCode]:
    codes = correction_codes(await ctx.uow.codes.list_for(ctx.actor.school.key))
    return {code.code: code for code in codes}


async def ask_correction(ctx: Context) -> Prompt | Go:
    pupils = await _pupils(ctx)
    if pupils is None:
        ctx.say(refusal_message(Refusal.NOT_YOUR_CLASS, ctx.actor.school, None))
        return Go("gone")
    if not pupils:
        ctx.say(_("There are no pupils in this class."))
        return Go("gone")
    draft: dict[str, str] = ctx.data.get(DRAFT, {})

    def initial(name: str, default: str = "") -> tuple[str, ...]:
        entered = draft.get(name, default)
        return (entered,) if entered else ()

    fields = [
        FormField(
            PUPIL,
            _("Pupil"),
            choices=tuple((p.pupil_id, p.name) for p in pupils),
            initial=initial(PUPIL),
        ),
        FormField(
            DAY,
            _("Day (for example {example})").format(example=_example(ctx)),
            is_date=True,
            initial=initial(DAY, ctx.today.isoformat()),
        ),
        FormField(
            STATUS,
            _("The day should say"),
            choices=tuple((s.value, str(STATES[s])) for s in NEW_STATES),
            initial=initial(STATUS),
        ),
    ]
    codes = await _codes(ctx)
    if codes:
        fields.append(
            FormField(
                CODE,
                _("Absence code (only for an absence)"),
                required=False,
                choices=tuple((c.code, c.label) for c in codes.values()),
                initial=initial(CODE),
            )
        )
    fields.append(
        FormField(
            REASON,
            _("Reason (kept in the log; no health details)"),
            multiline=True,
            initial=initial(REASON),
        )
    )
    form = Form(
        id="correction",
        title=_("Correct the record"),
        fields=tuple(fields),
        submit_label=_("Save"),
    )
    return Prompt(_intro(ctx, ctx.data[CLASS]), form=form)


def _intro(ctx: Context, class_name: str) -> str:
    text = _(
        "Correct a day in the attendance record of class {name}. The correction is logged "
        "with your name, the day before and after, and your reason."
    ).format(name=class_name)
    staff = ctx.actor.staff
    assert staff is not None
    if not staff.roles & WHOLE_SCHOOL:
        count = ctx.actor.school.attendance.correction_days
        text += " " + ngettext(
            "You can correct up to {count} school day back, today included.",
            "You can correct up to {count} school days back, today included.",
            count,
        ).format(count=count)
    return text


def _example(ctx: Context) -> str:
    return example_day(ctx.today)


async def answer_correction(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.form is None:
        return Retry(_("Please fill in the form."))
    result = await _save(ctx, answer.form)
    if isinstance(result, Retry):
        ctx.data[DRAFT] = dict(answer.form)
    return result


async def _save(ctx: Context, values: Mapping[str, str]) -> Go | Retry:
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    pupils = await _pupils(ctx)
    if pupils is None:
        ctx.say(refusal_message(Refusal.NOT_YOUR_CLASS, school, None))
        return Go("gone")
    day = parse_day(values.get(DAY, ""), ctx.today)
    if day is None:
        return Retry(
            _("I could not read that date. Please write it like {example}.").format(
                example=_example(ctx)
            )
        )
    if values.get(PUPIL) not in {p.pupil_id for p in pupils}:
        return Retry(refusal_message(Refusal.UNKNOWN_PUPIL, school, day))
    result = await correct(
        ctx.uow,
        school=school,
        staff=staff,
        pupil_id=values[PUPIL],
        day=day,
        status=values.get(STATUS, ""),
        code=values.get(CODE) or None,
        reason=values.get(REASON, ""),
        now=ctx.now,
        today=ctx.today,
    )
    if isinstance(result, Refusal):
        return Retry(refusal_message(result, school, day))
    await _done(ctx, result)
    return Go("saved")


async def _done(ctx: Context, corrected: Corrected) -> None:
    staff, school = ctx.actor.staff, ctx.actor.school
    assert staff is not None
    all_codes = {c.code: c for c in await ctx.uow.codes.list_for(school.key)}
    lines = [
        _("Corrected: {pupil}, {day}: {change}.").format(
            pupil=corrected.pupil.name,
            day=format_day(corrected.correction.day),
            change=describe_change(corrected, all_codes),
        ),
        _("The correction is logged with your name and reason."),
    ]
    if corrected.flagged:
        everyone = await ctx.uow.staff.list_for_school(school.key)
        for message in tell_principals(school, everyone, corrected, staff, all_codes, ctx.now):
            await ctx.uow.outbox.add(message)
        lines.append(
            _(
                "The routine had already used this day, so the principal has been told about "
                "the correction."
            )
        )
    ctx.say("\n".join(lines))


def _may_correct(actor: Actor) -> bool:
    return actor.staff is not None and may_correct_at_all(actor.staff)


FLOW = Flow(
    name="correction",
    title=N_("Correct the attendance record"),
    audience=frozenset({"staff"}),
    start="choose",
    steps={
        "choose": Step(ask_class, answer_class),
        "correct": Step(ask_correction, answer_correction),
    },
    transitions=TRANSITIONS,
    offered=_may_correct,
)
