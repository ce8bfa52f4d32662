"""A guardian asks for leave (*ledighet*, *permisjon*, *ekstraordinær frihed*) for a child.

Leave is a request the principal decides, not a report (domain guide §2; 004: 2451,
2457–2460). The guardian first sees their requests still waiting (and may withdraw one), then
gives the child, the first and last day, and a short reason, checks a summary and sends it.
The request and the deciders' messages are stored in one unit of work.

Diagram: leave_request.md beside this file (checked against TRANSITIONS by the tests).
"""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.flow import END, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows.common import answer_child, ask_child, child_name
from dialogs.flows.days import (
    DAYS_OFFERED,
    chosen_day,
    day_choices,
    example_date,
    unreadable_date,
)
from dialogs.i18n import N_, _, format_day, format_number, format_short_day, ngettext
from dialogs.labels import describe_days
from dialogs.leave_notices import describe_span, refresh_leave_request
from routine.calendar import is_school_day, next_school_days
from routine.leave import (
    LeaveError,
    LeaveRejected,
    LeaveRequest,
    LeaveStatus,
    check_first_day,
    check_last_day,
    check_reason,
    request_leave,
    withdraw,
)
from routine.model import LeaveRules, Role

TRANSITIONS = {
    "overview": {"new": "child", "withdrawn": END},
    "child": {"picked": "first_day", "none": END},
    "first_day": {"picked": "last_day"},
    "last_day": {"picked": "reason"},
    "reason": {"done": "confirm"},
    "confirm": {"sent": END, "restart": "first_day"},
}

NEW = "new"
WITHDRAW = "withdraw:"


def leave_error_message(error: LeaveError, rules: LeaveRules) -> str:
    match error:
        case LeaveError.IN_THE_PAST:
            return _("That day has already passed. Please choose today or a later day.")
        case LeaveError.TOO_FAR_AHEAD:
            return ngettext(
                "You can ask for leave at most {days} day ahead.",
                "You can ask for leave at most {days} days ahead.",
                rules.max_days_ahead,
            ).format(days=format_number(rules.max_days_ahead))
        case LeaveError.ENDS_BEFORE_START:
            return _("The last day cannot be before the first day.")
        case LeaveError.TOO_LONG:
            return ngettext(
                "One request can cover at most {days} day. For longer leave, please contact "
                "the school.",
                "One request can cover at most {days} days. For longer leave, please contact "
                "the school.",
                rules.max_span_days,
            ).format(days=format_number(rules.max_span_days))
        case LeaveError.NO_SCHOOL_DAYS:
            return _("There is no school on those days, so no leave is needed.")
        case LeaveError.REASON_MISSING:
            return _("Please write a short reason.")
        case LeaveError.REASON_TOO_LONG:
            return ngettext(
                "The reason is too long: at most {count} character, please.",
                "The reason is too long: at most {count} characters, please.",
                rules.max_reason_length,
            ).format(count=format_number(rules.max_reason_length))
        case LeaveError.NOT_PENDING:
            return _("The school has already answered that request.")
        case _:
            return _("This child is not linked to you. Please contact the school.")


async def _pending(ctx: Context) -> list[LeaveRequest]:
    guardian = ctx.actor.guardian
    assert guardian is not None
    return [
        r
        for r in await ctx.uow.leave_requests.list_pending(guardian.school_key)
        if r.guardian_id == guardian.guardian_id
    ]


async def _answered(ctx: Context) -> list[LeaveRequest]:
    """The guardian's answered requests whose days are not over (the answer also went to
    their chat; here it stays to be seen, e.g. in the console)."""
    guardian = ctx.actor.guardian
    assert guardian is not None
    rules = ctx.actor.school.leave
    horizon = ctx.today + timedelta(days=rules.max_days_ahead + rules.max_span_days)
    answered = await ctx.uow.leave_requests.list_between(
        guardian.school_key,
        ctx.today,
        horizon,
        statuses=[LeaveStatus.GRANTED, LeaveStatus.REFUSED],
    )
    return [r for r in answered if r.guardian_id == guardian.guardian_id]


async def ask_overview(ctx: Context) -> Prompt | Go:
    """A guardian with requests still waiting sees them first, and may withdraw one; answered
    requests whose days are still to come are shown with the answer."""
    pending, answered = await _pending(ctx), await _answered(ctx)
    if not pending and not answered:
        return Go(NEW)
    names = {child.pupil_id: child.name for child in await ctx.children()}
    lines: list[str] = []
    choices = [Choice(NEW, _("Ask for new leave"))]
    for request in answered:
        days = describe_days(request.first_day, request.last_day)
        name = names.get(request.pupil_id, "")
        if request.status is LeaveStatus.GRANTED:
            line = _("Leave granted for {name}: {days}").format(name=name, days=days)
        else:
            line = _("Leave not granted for {name}: {days}").format(name=name, days=days)
        lines.append("• " + line)
    if pending:
        lines.append(_("Your requests waiting for the school's answer:"))
    for request in pending:
        days = describe_days(request.first_day, request.last_day)
        name = names.get(request.pupil_id, "")
        lines.append("• " + _("{name}: {days}").format(name=name, days=days))
        label = _("Withdraw: {name}, {day}").format(
            name=name, day=format_short_day(request.first_day)
        )
        choices.append(Choice(f"{WITHDRAW}{request.id}", label))
    return Prompt("\n".join(lines), tuple(choices))


async def answer_overview(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == NEW:
        return Go(NEW)
    guardian = ctx.actor.guardian
    assert guardian is not None and answer.choice is not None
    request_id = int(answer.choice.removeprefix(WITHDRAW))
    try:
        withdrawn = await withdraw(ctx.uow, guardian=guardian, request_id=request_id, now=ctx.now)
    except LeaveRejected as rejected:
        return Retry(leave_error_message(rejected.errors[0], ctx.actor.school.leave))
    await refresh_leave_request(ctx.uow, ctx.actor.school, withdrawn, ctx.now)
    ctx.say(_("Your request is withdrawn."))
    return Go("withdrawn")


async def ask_first_day(ctx: Context) -> Prompt:
    days = next_school_days(ctx.actor.school, ctx.today, DAYS_OFFERED)
    text = _(
        "What is the first day of the leave? Choose a day or type a date, for example {example}."
    )
    return Prompt(
        text.format(example=example_date(ctx)), day_choices(days, ctx.today), accepts_text=True
    )


async def answer_first_day(ctx: Context, answer: Answer) -> Go | Retry:
    day = chosen_day(ctx, answer)
    if day is None:
        return unreadable_date(ctx)
    rules = ctx.actor.school.leave
    if error := check_first_day(day, ctx.today, rules):
        return Retry(leave_error_message(error, rules))
    if not is_school_day(ctx.actor.school, day):
        message = _("There is no school on {day}. Please choose a school day.")
        return Retry(message.format(day=format_day(day)))
    ctx.data["first_day"] = day.isoformat()
    return Go("picked")


async def ask_last_day(ctx: Context) -> Prompt:
    first = date.fromisoformat(ctx.data["first_day"])
    days = next_school_days(ctx.actor.school, first, DAYS_OFFERED)
    text = _("What is the last day of the leave? Choose a day or type a date.")
    return Prompt(text, day_choices(days, ctx.today), accepts_text=True)


async def answer_last_day(ctx: Context, answer: Answer) -> Go | Retry:
    last = chosen_day(ctx, answer)
    if last is None:
        return unreadable_date(ctx)
    first = date.fromisoformat(ctx.data["first_day"])
    rules = ctx.actor.school.leave
    if error := check_last_day(first, last, rules):
        return Retry(leave_error_message(error, rules))
    ctx.data["last_day"] = last.isoformat()
    return Go("picked")


async def ask_reason(ctx: Context) -> Prompt:
    longest = ctx.actor.school.leave.max_reason_length
    text = ngettext(
        "Please write a short reason for the leave, at most {count} character. Please do "
        "not write anything about health or diagnoses.",
        "Please write a short reason for the leave, at most {count} characters. Please do "
        "not write anything about health or diagnoses.",
        longest,
    ).format(count=format_number(longest))
    return Prompt(text, accepts_text=True)


async def answer_reason(ctx: Context, answer: Answer) -> Go | Retry:
    reason = (answer.text or "").strip()
    rules = ctx.actor.school.leave
    if error := check_reason(reason, rules):
        return Retry(leave_error_message(error, rules))
    ctx.data["reason"] = reason
    return Go("done")


async def ask_confirm(ctx: Context) -> Prompt:
    text = _("Please check your request:") + "\n" + await _summary(ctx, _draft(ctx))
    choices = (Choice("send", _("Send leave request")), Choice("restart", _("Start over")))
    return Prompt(text, choices)


async def answer_confirm(ctx: Context, answer: Answer) -> Go | Retry:
    if answer.choice == "restart":
        for key in ("first_day", "last_day", "reason"):
            ctx.data.pop(key, None)
        return Go("restart")
    draft, school = _draft(ctx), ctx.actor.school
    try:
        request = await request_leave(
            ctx.uow,
            school=school,
            guardian_id=draft.guardian_id,
            pupil_id=draft.pupil_id,
            first_day=draft.first_day,
            last_day=draft.last_day,
            reason=draft.reason,
            today=ctx.today,
            now=ctx.now,
        )
    except LeaveRejected as rejected:
        message = "\n".join(leave_error_message(e, school.leave) for e in rejected.errors)
        return Retry(message + "\n" + _('Please choose "Start over".'))
    await refresh_leave_request(ctx.uow, school, request, ctx.now)
    if school.leave.decided_by is Role.PRINCIPAL:
        receipt = _(
            "Thank you. The school has received your request; the principal decides and you "
            "will be told."
        )
    else:
        receipt = _(
            "Thank you. The school has received your request; you will be told the answer."
        )
    ctx.say(receipt + "\n" + await _summary(ctx, request))
    return Go("sent")


async def _summary(ctx: Context, request: LeaveRequest) -> str:
    return "\n".join(
        [
            _("Child: {name}").format(name=await child_name(ctx)),
            _("Days: {days}").format(days=describe_span(ctx.actor.school, request)),
            _("Reason: {reason}").format(reason=request.reason),
        ]
    )


def _draft(ctx: Context) -> LeaveRequest:
    guardian = ctx.actor.guardian
    assert guardian is not None
    return LeaveRequest(
        school_key=guardian.school_key,
        pupil_id=ctx.data["pupil_id"],
        guardian_id=guardian.guardian_id,
        first_day=date.fromisoformat(ctx.data["first_day"]),
        last_day=date.fromisoformat(ctx.data["last_day"]),
        reason=ctx.data["reason"],
        requested_at=ctx.now,
    )


FLOW = Flow(
    name="leave_request",
    title=N_("Ask for leave"),
    audience=frozenset({"guardian"}),
    start="overview",
    steps={
        "overview": Step(ask_overview, answer_overview),
        "child": Step(ask_child, answer_child),
        "first_day": Step(ask_first_day, answer_first_day),
        "last_day": Step(ask_last_day, answer_last_day),
        "reason": Step(ask_reason, answer_reason),
        "confirm": Step(ask_confirm, answer_confirm),
    },
    transitions=TRANSITIONS,
)
