"""Staff see today for the classes they may see (§6): reported absences, who is absent without
a report, and how many contact requests are open."""

from __future__ import annotations

from dialogs.flow import END, Context, Flow, Go, Step
from dialogs.i18n import N_, _, format_day, format_number
from dialogs.labels import describe_part
from dialogs.staff_view import note_for_staff, reason_or_reported
from routine.access import sees_a_class, visible_classes
from routine.attendance import unreported_absent_pupils, without_granted_leave
from routine.leave import LeaveStatus
from routine.model import AbsenceReport, Pupil

TRANSITIONS = {"show": {"shown": END}}


async def show(ctx: Context) -> Go:
    staff = ctx.actor.staff
    assert staff is not None
    school_classes = [c.name for c in await ctx.uow.classes.list_for(staff.school_key)]
    classes = visible_classes(staff, school_classes)
    if not classes:
        ctx.say(
            _("You have no classes in the school file. Please ask the school's administrator.")
        )
        return Go("shown")
    pupils = await ctx.uow.pupils.list_for_classes(staff.school_key, classes)
    reports = await ctx.uow.reports.list_covering(
        staff.school_key, [p.pupil_id for p in pupils], ctx.today
    )
    marks = await ctx.uow.marks.list_for_day(staff.school_key, ctx.today)
    leave = await ctx.uow.leave_requests.list_between(
        staff.school_key, ctx.today, ctx.today, statuses=[LeaveStatus.GRANTED]
    )
    # A pupil on leave the principal granted is absent with permission, not unreported.
    unreported = set(
        without_granted_leave(unreported_absent_pupils(marks, reports), leave, ctx.today)
    )
    lines = [_("Reported absences on {day}").format(day=format_day(ctx.today))]
    for class_name in classes:
        lines.append("")
        lines.append(_("Class {name}").format(name=class_name))
        lines.extend(_class_lines(ctx, class_name, pupils, reports))
        missing = sorted(
            p.name for p in pupils if p.class_name == class_name and p.pupil_id in unreported
        )
        if missing:
            lines.append(_("Absent without a report: {names}").format(names=", ".join(missing)))
    requests = await ctx.uow.contact_requests.list_open(
        staff.school_key, [p.pupil_id for p in pupils]
    )
    if requests:
        lines.extend(
            ["", _("Open contact requests: {count}").format(count=format_number(len(requests)))]
        )
    ctx.say("\n".join(lines))
    return Go("shown")


def _class_lines(
    ctx: Context, class_name: str, pupils: list[Pupil], reports: list[AbsenceReport]
) -> list[str]:
    by_pupil = {p.pupil_id: p for p in pupils if p.class_name == class_name}
    mine = sorted(
        (r for r in reports if r.pupil_id in by_pupil),
        key=lambda r: (by_pupil[r.pupil_id].name, r.id or 0),
    )
    if not mine:
        return [_("No reported absences.")]
    return [_report_line(ctx, by_pupil[r.pupil_id], r) for r in mine]


def _report_line(ctx: Context, pupil: Pupil, report: AbsenceReport) -> str:
    school = ctx.actor.school
    details = [reason_or_reported(school, report.reason), describe_part(report)]
    line = f"• {pupil.name}: {', '.join(details)}"
    if (note := note_for_staff(school, report)) is not None:
        line += " — " + _("note: {note}").format(note=note)
    return line


FLOW = Flow(
    name="todays_absences",
    title=N_("Today's reported absences"),
    audience=frozenset({"staff"}),
    start="show",
    steps={"show": Step(show)},
    transitions=TRANSITIONS,
    cancellable=False,
    offered=lambda actor: actor.staff is not None and sees_a_class(actor.staff),
)
