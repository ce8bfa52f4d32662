"""A guardian reports a child's absence: child, reason, days, part of day, note, confirm.

Diagram: report_absence.md beside this file (checked against TRANSITIONS by the tests).
Only a reason *category* is asked for, and the note warns against health details (§6).
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows.common import answer_child, ask_child, child_name, tell_mentors
from dialogs.flows.days import (
    DAYS_OFFERED,
    chosen_day,
    day_choices,
    example_date,
    unreadable_date,
)
from dialogs.follow_up_list import refresh_today
from dialogs.i18n import N_, _, format_clock, format_day
from dialogs.labels import REASONS, describe_when
from dialogs.messages import report_error_message
from dialogs.notices import late_report
from dialogs.parsing import parse_clock
from routine.calendar import is_school_day, next_school_days
from routine.model import AbsenceReport, Country, DayPart, ReasonCategory
from routine.reporting import (
    ReportRejected,
    check_first_day,
    check_last_day,
    check_note,
    check_time,
    submit_report,
)

TRANSITIONS = {
    "child": {"picked": "reason", "none": END},
    "reason": {"picked": "when"},
    "when": {"single": "part", "several": "note", "other": "first_day"},
    "first_day": {"picked": "last_day"},
    "last_day": {"single": "part", "several": "note"},
    "part": {"whole": "note", "partly": "at_time"},
    "at_time": {"picked": "note"},
    "note": {"done": "confirm"},
    "confirm": {"sent": END, "restart": "reason"},
}


async def ask_reason(ctx: Context) -> Prompt:
    name = await child_name(ctx)
    choices = tuple(Choice(reason.value, str(label)) for reason, label in REASONS.items())
    return Prompt(_("Why is {name} absent?").format(name=name), choices)


async def answer_reason(ctx: Context, answer: Answer) -> Go:
    ctx.data["reason"] = ReasonCategory(answer.choice).value
    return Go("picked")


async def ask_when(ctx: Context) -> Prompt:
    """Today is offered only when there is school today."""
    choices = [Choice("other", _("Other days"))]
    if not is_school_day(ctx.actor.school, ctx.today):
        # Say why "today" is missing, or the person wonders where it went.
        text = _("When? There is no school today, so please choose among the coming days.")
        return Prompt(text, tuple(choices))
    choices[:0] = [
        Choice("today", _("Today")),
        Choice("today_tomorrow", _("Today and tomorrow")),
    ]
    return Prompt(_("When?"), tuple(choices))


async def answer_when(ctx: Context, answer: Answer) -> Go:
    if answer.choice == "other":
        return Go("other")
    last = ctx.today + timedelta(days=1 if answer.choice == "today_tomorrow" else 0)
    _set_days(ctx, ctx.today, last)
    return Go("single" if last == ctx.today else "several")


async def ask_first_day(ctx: Context) -> Prompt:
    days = next_school_days(ctx.actor.school, ctx.today, DAYS_OFFERED)
    text = _("What is the first day? Choose a day or type a date, for example {example}.")
    return Prompt(
        text.format(example=example_date(ctx)), day_choices(days, ctx.today), accepts_text=True
    )


async def answer_first_day(ctx: Context, answer: Answer) -> Go | Retry:
    day = chosen_day(ctx, answer)
    if day is None:
        return unreadable_date(ctx)
    if error := check_first_day(day, ctx.today, ctx.rules):
        return Retry(report_error_message(error, ctx.rules))
    if not is_school_day(ctx.actor.school, day):
        message = _("There is no school on {day}. Please choose a school day.")
        return Retry(message.format(day=format_day(day)))
    ctx.data["first_day"] = day.isoformat()
    return Go("picked")


async def ask_last_day(ctx: Context) -> Prompt:
    first = date.fromisoformat(ctx.data["first_day"])
    days = next_school_days(ctx.actor.school, first, DAYS_OFFERED)
    text = _("What is the last day of the absence? Choose a day or type a date.")
    return Prompt(text, day_choices(days, ctx.today), accepts_text=True)


async def answer_last_day(ctx: Context, answer: Answer) -> Go | Retry:
    last = chosen_day(ctx, answer)
    if last is None:
        return unreadable_date(ctx)
    first = date.fromisoformat(ctx.data["first_day"])
    if error := check_last_day(first, last, ctx.rules):
        return Retry(report_error_message(error, ctx.rules))
    _set_days(ctx, first, last)
    return Go("single" if first == last else "several")


async def ask_part(ctx: Context) -> Prompt:
    choices = (
        Choice(DayPart.WHOLE_DAY.value, _("The whole day")),
        Choice(DayPart.ARRIVING_LATE.value, _("Arriving late")),
        Choice(DayPart.LEAVING_EARLY.value, _("Leaving early")),
    )
    return Prompt(_("The whole day, or part of it?"), choices)


async def answer_part(ctx: Context, answer: Answer) -> Go:
    part = DayPart(answer.choice)
    ctx.data["part"] = part.value
    return Go("whole" if part is DayPart.WHOLE_DAY else "partly")


async def ask_at_time(ctx: Context) -> Prompt:
    name = await child_name(ctx)
    if ctx.data["part"] == DayPart.ARRIVING_LATE.value:
        text = _("At what time will {name} arrive? Type a time, for example {example}.")
        example = time(10, 30)
    else:
        text = _("At what time will {name} leave? Type a time, for example {example}.")
        example = time(13, 15)
    return Prompt(text.format(name=name, example=format_clock(example)), accepts_text=True)


async def answer_at_time(ctx: Context, answer: Answer) -> Go | Retry:
    moment = parse_clock(answer.text or "")
    if moment is None:
        message = _("I could not read that time. Please write it like {example}.")
        return Retry(message.format(example=format_clock(time(10, 30))))
    if error := check_time(moment, ctx.rules):
        return Retry(report_error_message(error, ctx.rules))
    ctx.data["at_time"] = moment.isoformat(timespec="minutes")
    return Go("picked")


async def ask_note(ctx: Context) -> Prompt:
    text = _(
        "Would you like to add a short note for the school? Please do not write anything "
        'about health or diagnoses. Type the note, or choose "No note".'
    )
    return Prompt(text, (Choice("none", _("No note")),), accepts_text=True)


async def answer_note(ctx: Context, answer: Answer) -> Go | Retry:
    note = (answer.text or "").strip()
    if error := check_note(note, ctx.rules):
        return Retry(report_error_message(error, ctx.rules))
    ctx.data["note"] = note
    return Go("done")


# The Danish absence rules (004: 2446–2460): "Lovligt fravær med skoleledelsens tilladelse
# (ekstraordinær frihed)" and "Ulovligt fravær er: Alt fravær, der ikke skyldes sygdom,
# læge-/tandlægebesøg eller funktionsnedsættelser. Alt fravær uden tilladelse."
# A guardian who reports "another reason" is told so before sending, and offered leave instead.
# The engine starts a flow for a choice whose value is "flow:<name>" (engine.START_FLOW).
ASK_FOR_LEAVE = "flow:leave_request"


def _unlawful_in_denmark(ctx: Context, draft: AbsenceReport) -> bool:
    return ctx.actor.school.country is Country.DK and draft.reason is ReasonCategory.OTHER


async def ask_confirm(ctx: Context) -> Prompt:
    draft = _draft(ctx)
    summary = await summarise(ctx, draft)
    text = _("Please check your report:") + "\n" + summary
    choices = [Choice("send", _("Send report")), Choice("restart", _("Start over"))]
    if _unlawful_in_denmark(ctx, draft):
        text += "\n\n" + _(
            "Good to know: absence for another reason than illness or a medical or dental "
            "appointment counts as unlawful absence, unless the school has given permission "
            "for leave. If you would like to ask for the school's permission, you can ask for "
            "leave instead."
        )
        choices.insert(1, Choice(ASK_FOR_LEAVE, _("Ask for leave instead")))
    return Prompt(text, tuple(choices))


async def answer_confirm(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == "restart":
        for key in ("reason", "first_day", "last_day", "part", "at_time", "note"):
            ctx.data.pop(key, None)
        return Go("restart")
    try:
        report = await submit_report(
            ctx.uow, report=_draft(ctx), today=ctx.today, now=ctx.now, rules=ctx.rules
        )
    except ReportRejected as rejected:
        message = "\n".join(report_error_message(e, ctx.rules) for e in rejected.errors)
        return Retry(message + "\n" + _('Please choose "Start over".'))
    receipt = _("Thank you. The school has received your report. Reference number: {ref}.")
    ctx.say(receipt.format(ref=report.id) + "\n" + await summarise(ctx, report))
    if _after_cutoff(ctx, report):
        await _tell_mentors_of_late_report(ctx, report)
    if report.covers(ctx.today):
        await refresh_today(ctx.uow, ctx.actor.school, report.pupil_id, ctx.today, ctx.now)
    return Go("sent")


def _after_cutoff(ctx: Context, report: AbsenceReport) -> bool:
    school = ctx.actor.school
    local_now = ctx.now.astimezone(ZoneInfo(school.timezone))
    return report.first_day == ctx.today and local_now.time() > school.times.report_cutoff


async def _tell_mentors_of_late_report(ctx: Context, report: AbsenceReport) -> None:
    """The school checks attendance at the cut-off; a report after it must reach the mentor
    now, or the child counts as absent without a report."""
    guardian = ctx.actor.guardian
    assert guardian is not None
    told = await tell_mentors(
        ctx,
        report.pupil_id,
        lambda mentor, pupil: late_report(
            ctx.actor.school, mentor, pupil, guardian, report, ctx.now
        ),
    )
    if told:
        late = _("Your report came after {time}, so we are also telling {name}'s mentor now.")
        cutoff = format_clock(ctx.actor.school.times.report_cutoff)
        ctx.say(late.format(time=cutoff, name=await child_name(ctx)))


async def summarise(ctx: Context, report: AbsenceReport) -> str:
    lines = [
        _("Child: {name}").format(name=await child_name(ctx)),
        _("Reason: {reason}").format(reason=REASONS[report.reason]),
        _("When: {when}").format(when=describe_when(report)),
    ]
    if report.note:
        lines.append(_("Note: {note}").format(note=report.note))
    return "\n".join(lines)


def _draft(ctx: Context) -> AbsenceReport:
    guardian = ctx.actor.guardian
    assert guardian is not None
    at_time = ctx.data.get("at_time")
    return AbsenceReport(
        school_key=guardian.school_key,
        pupil_id=ctx.data["pupil_id"],
        guardian_id=guardian.guardian_id,
        reason=ReasonCategory(ctx.data["reason"]),
        first_day=date.fromisoformat(ctx.data["first_day"]),
        last_day=date.fromisoformat(ctx.data["last_day"]),
        part=DayPart(ctx.data.get("part", DayPart.WHOLE_DAY.value)),
        at_time=time.fromisoformat(at_time) if at_time else None,
        note=ctx.data.get("note", ""),
    )


def _set_days(ctx: Context, first: date, last: date) -> None:
    ctx.data["first_day"], ctx.data["last_day"] = first.isoformat(), last.isoformat()
    if first != last:
        ctx.data["part"] = DayPart.WHOLE_DAY.value
        ctx.data.pop("at_time", None)


FLOW = Flow(
    name="report_absence",
    title=N_("Report an absence"),
    audience=frozenset({"guardian"}),
    start="child",
    steps={
        "child": Step(ask_child, answer_child),
        "reason": Step(ask_reason, answer_reason),
        "when": Step(ask_when, answer_when),
        "first_day": Step(ask_first_day, answer_first_day),
        "last_day": Step(ask_last_day, answer_last_day),
        "part": Step(ask_part, answer_part),
        "at_time": Step(ask_at_time, answer_at_time),
        "note": Step(ask_note, answer_note),
        "confirm": Step(ask_confirm, answer_confirm),
    },
    transitions=TRANSITIONS,
)
