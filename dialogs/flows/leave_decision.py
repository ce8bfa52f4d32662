"""A decider grants or refuses a leave request, with an optional comment.

It starts from [Grant] or [Refuse] under the request's message (dialogs/leave_actions.py),
with the request in hand; or from the menu ("Leave requests", shown only to those who decide
leave), which first lists the requests waiting, as the console and the demo need.
The comment goes to the guardian as written, so the field says so. Only the first decision
counts (the repository's compare-and-set); a later one is told who decided.
"""

from __future__ import annotations

from dialogs.events import Form, FormField
from dialogs.flow import END, Actor, Answer, Choice, Context, Flow, Go, Prompt, Retry, Step
from dialogs.flows.common import tell_mentors
from dialogs.i18n import N_, _, format_number, format_short_day, ngettext
from dialogs.leave_notices import (
    decision_line,
    describe_span,
    mentor_leave_granted,
    refresh_leave_request,
    tell_guardian,
)
from routine.leave import LeaveRejected, LeaveRequest, LeaveStatus, decide, is_decider

TRANSITIONS = {"pick": {"picked": "decide", "none": END}, "decide": {"done": END}}

# The guardian reads it in a chat message: a few sentences at most.
MAX_COMMENT = 300


async def _request(ctx: Context) -> LeaveRequest | None:
    """The request in hand, if this person may decide it; told who decided if it is decided."""
    staff = ctx.actor.staff
    request = await ctx.uow.leave_requests.get(int(ctx.data.get("leave_request", 0)))
    if (
        staff is None
        or request is None
        or request.school_key != staff.school_key
        or not is_decider(staff, ctx.actor.school)
    ):
        ctx.say(_("This button has expired."))
        return None
    if request.status is not LeaveStatus.PENDING:
        await say_decided(ctx, request)
        return None
    return request


async def say_decided(ctx: Context, request: LeaveRequest) -> None:
    staff = await ctx.uow.staff.list_for_school(request.school_key)
    name = next((s.name for s in staff if s.staff_id == request.decided_by), request.decided_by)
    ctx.say(_("This request is already decided.") + " " + decision_line(request, name))


async def ask_pick(ctx: Context) -> Prompt | Go:
    if "leave_request" in ctx.data:
        return Go("picked")
    waiting = await ctx.uow.leave_requests.list_pending(ctx.actor.school.key)
    if not waiting:
        ctx.say(_("No leave requests are waiting for a decision."))
        return Go("none")
    pupils = {p.pupil_id: p for p in await ctx.uow.pupils.list_for_school(ctx.actor.school.key)}
    lines, choices = [_("Leave requests waiting for a decision:")], []
    for request in waiting:
        pupil = pupils.get(request.pupil_id)
        name = pupil.name if pupil else request.pupil_id
        lines.append(
            "• "
            + _("{pupil}: {days}. Reason: {reason}").format(
                pupil=name, days=describe_span(ctx.actor.school, request), reason=request.reason
            )
        )
        day = format_short_day(request.first_day)
        choices += [
            Choice(f"{request.id}.grant", _("Grant: {pupil}, {day}").format(pupil=name, day=day)),
            Choice(
                f"{request.id}.refuse", _("Refuse: {pupil}, {day}").format(pupil=name, day=day)
            ),
        ]
    return Prompt("\n".join(lines), tuple(choices))


async def answer_pick(ctx: Context, answer: Answer) -> Go:
    request_id, _dot, action = (answer.choice or "").partition(".")
    ctx.data["leave_request"], ctx.data["grant"] = int(request_id), action == "grant"
    return Go("picked")


async def ask_decide(ctx: Context) -> Prompt | Go:
    request = await _request(ctx)
    if request is None:
        return Go("done")
    pupil = await ctx.uow.pupils.get(request.school_key, request.pupil_id)
    grant = bool(ctx.data.get("grant"))
    text = (
        _("Grant leave for {pupil}: {days}?") if grant else _("Refuse leave for {pupil}: {days}?")
    )
    form = Form(
        id="leave-decision",
        title=_("Grant leave") if grant else _("Refuse leave"),
        fields=(
            FormField(
                "comment",
                _("Comment to the guardian (optional)"),
                required=False,
                multiline=True,
                # A comment sent back as too long is shown again, to be shortened.
                initial=(ctx.data["comment"],) if ctx.data.get("comment") else (),
            ),
        ),
        submit_label=_("Grant") if grant else _("Refuse"),
    )
    days = describe_span(ctx.actor.school, request)
    return Prompt(text.format(pupil=pupil.name if pupil else "", days=days), form=form)


async def answer_decide(ctx: Context, answer: Answer) -> Go | Retry:
    request = await _request(ctx)
    if request is None or answer.form is None or request.id is None:
        return Go("done")
    staff = ctx.actor.staff
    assert staff is not None
    comment = (answer.form.get("comment") or "").strip()
    if len(comment) > MAX_COMMENT:
        ctx.data["comment"] = comment
        message = ngettext(
            "The comment is too long: at most {count} character, please.",
            "The comment is too long: at most {count} characters, please.",
            MAX_COMMENT,
        )
        return Retry(message.format(count=format_number(MAX_COMMENT)))
    try:
        decision = await decide(
            ctx.uow,
            school=ctx.actor.school,
            staff=staff,
            request_id=request.id,
            grant=bool(ctx.data.get("grant")),
            comment=comment,
            now=ctx.now,
        )
    except LeaveRejected:
        ctx.say(_("This button has expired."))
        return Go("done")
    if not decision.won:
        await say_decided(ctx, decision.request)
        return Go("done")
    await announce(ctx, decision.request)
    return Go("done")


async def announce(ctx: Context, request: LeaveRequest) -> None:
    """Every decider's message shows the decision; the guardian is told; for granted leave,
    each of the pupil's mentors too."""
    school = ctx.actor.school
    await refresh_leave_request(ctx.uow, school, request, ctx.now)
    await tell_guardian(ctx.uow, school, request, ctx.now)
    if request.status is LeaveStatus.GRANTED:
        await tell_mentors(
            ctx,
            request.pupil_id,
            lambda mentor, pupil: mentor_leave_granted(school, mentor, pupil, request, ctx.now),
        )
        ctx.say_shown_in_place(_("Leave granted. The guardian and the mentors are told."))
    else:
        ctx.say_shown_in_place(_("Leave refused. The guardian is told."))


def _decides_leave(actor: Actor) -> bool:
    return actor.staff is not None and is_decider(actor.staff, actor.school)


FLOW = Flow(
    name="leave_decision",
    title=N_("Leave requests"),
    audience=frozenset({"staff"}),
    start="pick",
    steps={"pick": Step(ask_pick, answer_pick), "decide": Step(ask_decide, answer_decide)},
    transitions=TRANSITIONS,
    offered=_decides_leave,
)
