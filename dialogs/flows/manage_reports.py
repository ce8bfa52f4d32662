"""A guardian ends a report early ("back at school") or withdraws one that has not begun.

States: report → action → back_day; see TRANSITIONS. Days already begun stay explained, so a
report that has started can only be shortened, never withdrawn.
"""

from __future__ import annotations

from datetime import date

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.follow_up_list import refresh_today
from dialogs.i18n import N_, _, format_day, format_short_day
from dialogs.labels import day_label, describe_days, describe_when
from dialogs.parsing import parse_day
from routine.calendar import is_school_day
from routine.model import AbsenceReport
from routine.reporting import back_at_school_days, can_withdraw, end_early, withdraw

TRANSITIONS = {
    "report": {"picked": "action", "none": END},
    "action": {"back": "back_day", "withdrawn": END, "keep": END},
    "back_day": {"done": END},
}


async def ask_report(ctx: Context) -> Prompt | Go:
    reports = await _current_reports(ctx)
    if not reports:
        ctx.say(_("You have no current absence reports."))
        return Go("none")
    names = {child.pupil_id: child.name for child in await ctx.children()}
    choices = tuple(Choice(str(r.id), f"{names[r.pupil_id]}: {_short_days(r)}") for r in reports)
    return Prompt(_("Which report?"), choices)


async def answer_report(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice not in {str(r.id) for r in await _current_reports(ctx)}:
        return Retry(_("Please answer with one of the choices."))
    ctx.data["report_id"] = int(answer.choice)
    return Go("picked")


async def ask_action(ctx: Context) -> Prompt:
    report = await _chosen_report(ctx)
    choices = []
    if back_at_school_days(report, ctx.today):
        choices.append(Choice("back", _("Back at school earlier")))
    if can_withdraw(report, ctx.today):
        choices.append(Choice("withdraw", _("Withdraw the report")))
    choices.append(Choice("keep", _("Keep the report")))
    text = _("{name}, {when}. What would you like to do?").format(
        name=await _pupil_name(ctx, report), when=describe_when(report)
    )
    return Prompt(text, tuple(choices))


async def answer_action(ctx: Context, answer: Answer) -> Go | Retry:
    report = await _chosen_report(ctx)
    if answer.choice == "back":
        return Go("back")
    if answer.choice == "withdraw" and can_withdraw(report, ctx.today):
        await ctx.uow.reports.update(withdraw(report, ctx.today))
        if report.covers(ctx.today):
            # Today's roll call and follow-up list showed it: they must not any more.
            await refresh_today(ctx.uow, ctx.actor.school, report.pupil_id, ctx.today, ctx.now)
        ctx.say(
            _("The report for {name} on {days} is withdrawn.").format(
                name=await _pupil_name(ctx, report),
                days=describe_days(report.first_day, report.last_day),
            )
        )
        return Go("withdrawn")
    ctx.say(_("Nothing was changed."))
    return Go("keep")


async def ask_back_day(ctx: Context) -> Prompt:
    report = await _chosen_report(ctx)
    days = [
        day
        for day in back_at_school_days(report, ctx.today)
        if is_school_day(ctx.actor.school, day)
    ]
    choices = tuple(Choice(day.isoformat(), day_label(day, ctx.today)) for day in days)
    text = _("Which day is {name} back at school?").format(name=await _pupil_name(ctx, report))
    return Prompt(text, choices, accepts_text=True)


async def answer_back_day(ctx: Context, answer: Answer) -> Go | Retry:
    report = await _chosen_report(ctx)
    day = (
        date.fromisoformat(answer.choice)
        if answer.choice
        else parse_day(answer.text or "", ctx.today)
    )
    if day not in back_at_school_days(report, ctx.today):
        return Retry(_("Please choose one of the days shown."))
    await ctx.uow.reports.update(end_early(report, day, ctx.today))
    if day == ctx.today:
        await refresh_today(ctx.uow, ctx.actor.school, report.pupil_id, ctx.today, ctx.now)
    ctx.say(
        _("Noted: {name} is back at school on {day}.").format(
            name=await _pupil_name(ctx, report), day=format_day(day)
        )
    )
    return Go("done")


async def _current_reports(ctx: Context) -> list[AbsenceReport]:
    guardian = ctx.actor.guardian
    assert guardian is not None
    pupil_ids = [child.pupil_id for child in await ctx.children()]
    return await ctx.uow.reports.list_current_for_pupils(guardian.school_key, pupil_ids, ctx.today)


async def _chosen_report(ctx: Context) -> AbsenceReport:
    report = await ctx.uow.reports.get(ctx.data["report_id"])
    assert report is not None
    return report


async def _pupil_name(ctx: Context, report: AbsenceReport) -> str:
    pupil = await ctx.uow.pupils.get(report.school_key, report.pupil_id)
    return pupil.name if pupil else ""


def _short_days(report: AbsenceReport) -> str:
    if report.first_day == report.last_day:
        return format_short_day(report.first_day)
    return f"{format_short_day(report.first_day)} – {format_short_day(report.last_day)}"


FLOW = Flow(
    name="manage_reports",
    title=N_("Back at school, or withdraw a report"),
    audience=frozenset({"guardian"}),
    start="report",
    steps={
        "report": Step(ask_report, answer_report),
        "action": Step(ask_action, answer_action),
        "back_day": Step(ask_back_day, answer_back_day),
    },
    transitions=TRANSITIONS,
)
