"""Messages about a leave request: the deciders' DM (kept current), the guardian's answer, the
mentors' notice of granted leave and the reminder of a request nobody has decided.

The deciders' DM is an outbox slot (see dialogs/live.py): once someone decides, every
decider's copy is edited in place to say who decided what, and its buttons go.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.i18n import N_, _, format_day, format_number, ngettext, use_locale
from dialogs.labels import describe_days
from dialogs.live import Tally, live_message
from dialogs.notices import GUARDIAN_PLATFORM, STAFF_PLATFORM, staff_language, to_staff
from routine.leave import LeaveRequest, LeaveStatus, deciders, school_days_between
from routine.model import ChatAccount, Guardian, Pupil, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork

# [Grant] and [Refuse] under a request; dialogs/leave_actions.py handles the presses.
LEAVE_PREFIX = "l."
LEAVE_ACTIONS = {"grant": N_("Grant"), "refuse": N_("Refuse")}


def leave_buttons(request_id: int) -> tuple[OutgoingButton, ...]:
    """In the current locale: render inside the reader's `use_locale`."""
    return tuple(
        OutgoingButton(f"{LEAVE_PREFIX}{request_id}.{action}", str(label))
        for action, label in LEAVE_ACTIONS.items()
    )


def describe_span(school: School, request: LeaveRequest) -> str:
    """The days, and how many of them are school days."""
    count = len(school_days_between(school, request.first_day, request.last_day))
    days = ngettext("{count} school day", "{count} school days", count).format(
        count=format_number(count)
    )
    return f"{describe_days(request.first_day, request.last_day)} ({days})"


def decision_line(request: LeaveRequest, decider_name: str) -> str:
    """Who decided what, for staff; with the comment, if any."""
    if request.status is LeaveStatus.GRANTED:
        line = _("Granted by {name}.").format(name=decider_name)
    elif request.status is LeaveStatus.REFUSED:
        line = _("Refused by {name}.").format(name=decider_name)
    else:
        line = _("Withdrawn by the guardian.")
    if request.comment:
        line += "\n" + _("Comment: {comment}").format(comment=request.comment)
    return line


def request_text(
    school: School, request: LeaveRequest, pupil: Pupil, guardian_name: str, decider_name: str
) -> str:
    lines = [
        _("Leave request from {guardian} for {pupil} ({class_name}).").format(
            guardian=guardian_name, pupil=pupil.name, class_name=pupil.class_name
        ),
        _("Days: {days}").format(days=describe_span(school, request)),
        _("Reason: {reason}").format(reason=request.reason),
    ]
    if request.status is not LeaveStatus.PENDING:
        lines.append(decision_line(request, decider_name))
    return "\n".join(lines)


def _name_of(staff: Iterable[StaffMember], staff_id: str) -> str:
    # Someone who has since left the school file is still named, by their id.
    return next((s.name for s in staff if s.staff_id == staff_id), staff_id)


async def refresh_leave_request(
    uow: UnitOfWork, school: School, request: LeaveRequest, now: datetime
) -> Tally:
    """Queue the request's current message for every decider on Slack: with [Grant] and
    [Refuse] while pending, with who decided once decided."""
    assert request.id is not None
    pupil = await uow.pupils.get(school.key, request.pupil_id)
    guardian = await uow.guardians.get(school.key, request.guardian_id)
    staff = await uow.staff.list_for_school(school.key)
    tally = Tally()
    if pupil is None:
        return tally
    decider_name = _name_of(staff, request.decided_by)
    for member in deciders(school, staff):
        if not member.slack_user_id:
            continue
        with use_locale(staff_language(school, member)):
            text = request_text(
                school, request, pupil, guardian.name if guardian else "", decider_name
            )
            pending = request.status is LeaveStatus.PENDING
            buttons = leave_buttons(request.id) if pending else ()
        slot = f"leave:{request.id}"
        tally.count(
            await uow.outbox.add(
                live_message(school, member, "leave-request", slot, text, buttons, now)
            )
        )
    return tally


def guardian_decision(
    school: School,
    guardian: Guardian,
    account: ChatAccount,
    pupil: Pupil,
    request: LeaveRequest,
    now: datetime,
) -> OutboxMessage:
    """In the guardian's language, kindly, without internal labels."""
    with use_locale(guardian.speaks.value):
        days = describe_days(request.first_day, request.last_day)
        if request.status is LeaveStatus.GRANTED:
            text = _("The school has granted leave for {name}: {days}.")
        else:
            text = _(
                "The school could not grant leave for {name}: {days}. If the leave is still "
                "needed, please contact the school."
            )
        text = text.format(name=pupil.name, days=days)
        if request.comment:
            text += "\n" + _("The school's comment: {comment}").format(comment=request.comment)
    recipient = f"{account.platform}:{account.account_id}"
    return OutboxMessage(
        key=idempotency_key("leave-decision", recipient, school.key, str(request.id)),
        platform=account.platform,
        recipient=account.account_id,
        text=text,
        kind="leave-decision",
        school_key=school.key,
        created_at=now,
    )


async def tell_guardian(
    uow: UnitOfWork, school: School, request: LeaveRequest, now: datetime
) -> int:
    """In every chat that reaches the guardian who asked; how many messages were queued."""
    guardian = await uow.guardians.get(school.key, request.guardian_id)
    pupil = await uow.pupils.get(school.key, request.pupil_id)
    if guardian is None or pupil is None:
        return 0
    told = 0
    for account in await uow.accounts.list_for_person(
        school.key, "guardian", guardian.guardian_id
    ):
        if account.platform == GUARDIAN_PLATFORM and account.reachable:
            told += await uow.outbox.add(
                guardian_decision(school, guardian, account, pupil, request, now)
            )
    return told


def mentor_leave_granted(
    school: School, mentor: StaffMember, pupil: Pupil, request: LeaveRequest, now: datetime
) -> OutboxMessage:
    with use_locale(staff_language(school, mentor)):
        text = _("{pupil} ({class_name}) has been granted leave: {days}.").format(
            pupil=pupil.name,
            class_name=pupil.class_name,
            days=describe_span(school, request),
        )
    return to_staff(school, mentor, "leave-granted", text, str(request.id), now)


def leave_reminder(
    school: School,
    decider: StaffMember,
    request: LeaveRequest,
    pupil: Pupil,
    day: date,
    now: datetime,
) -> OutboxMessage:
    """Once per school day: the idempotency key names the day."""
    assert request.id is not None
    with use_locale(staff_language(school, decider)):
        text = _(
            "A leave request for {pupil} ({class_name}), asked on {asked}, is still waiting "
            "for a decision: {days}."
        ).format(
            pupil=pupil.name,
            class_name=pupil.class_name,
            asked=format_day(request.requested_at.astimezone(ZoneInfo(school.timezone)).date()),
            days=describe_span(school, request),
        )
        buttons = leave_buttons(request.id)
    recipient = decider.slack_user_id
    return OutboxMessage(
        key=idempotency_key(
            "leave-reminder",
            f"{STAFF_PLATFORM}:{recipient}",
            school.key,
            str(request.id),
            day.isoformat(),
        ),
        platform=STAFF_PLATFORM,
        recipient=recipient,
        text=text,
        kind="leave-reminder",
        school_key=school.key,
        buttons=buttons,
        created_at=now,
    )
