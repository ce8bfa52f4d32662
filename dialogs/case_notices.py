"""What the Danish absence rules ask of the head (routine.notices_dk), as messages.

- At 10 % unlawful absence in a quarter the head gets a DM with the notice to the parents as it
  will be sent (the head's language version) and [Approve and send]. The approval is taken once
  (a compare-and-set on the notice); the notice then goes once to each guardian of the pupil a
  chat reaches, in the guardian's language, and the head is told which guardians no chat
  reaches, to send a letter or call. The notice is factual information sent on the head's
  behalf (004: 2462–2465; domain guide §5): no blame, no internal words.
- At 15 % the head gets the task of notifying the municipal council (004: 2467–2470) and
  [Council notified] to record that it was done (who, when).

Each head's DM is an outbox slot (dialogs/live.py): once decided, every head's copy is edited
in place to say who decided when, and its button goes. Presses: dialogs/case_actions.py.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal

from dialogs.guardian_reach import Reach, reach_of
from dialogs.i18n import N_, _, babel_locale, format_day, format_number, ngettext, use_locale
from dialogs.live import Tally, live_message
from dialogs.notices import staff_language
from routine.case_service import case_for, change_case
from routine.cases import CaseEvent, EventKind, may_see, staff_actor
from routine.model import Guardian, Pupil, School, StaffMember
from routine.notices_dk import (
    DECIDED,
    CaseNotice,
    NoticeKind,
    heads,
    may_decide,
    notices_due,
)
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork
from routine.thresholds import RuleHit

NOTICE_PREFIX = "n."
NOTICE_ACTIONS = {
    NoticeKind.PARENTS: ("approve", N_("Approve and send")),
    NoticeKind.COUNCIL: ("council", N_("Council notified")),
}
GUARDIAN_NOTICE_KIND = "case-notice"
HEAD_NOTICE_KIND = "case-notice-head"


def notice_button(notice: CaseNotice) -> OutgoingButton:
    """In the current locale: render inside the reader's `use_locale`."""
    action, label = NOTICE_ACTIONS[notice.kind]
    return OutgoingButton(f"{NOTICE_PREFIX}{notice.id}.{action}", str(label))


# Texts, each in the current locale ------------------------------------------------------------


def format_share(share: float) -> str:
    """'12,5 %' in Danish: a share as the reader writes percentages."""
    return format_decimal(round(share * 100, 1), format="#,##0.#", locale=babel_locale()) + " %"


def _numbers(notice: CaseNotice) -> dict[str, str]:
    known = int(notice.numbers.get("known", 0))
    days = ngettext(
        "{count} of {known} school day", "{count} of {known} school days", known
    ).format(count=format_number(int(notice.numbers.get("count", 0))), known=format_number(known))
    return {"days": days, "share": format_share(float(notice.numbers.get("share", 0.0)))}


def _local_day(school: School, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(school.timezone)).date()


def parents_notice_text(school: School, pupil: Pupil, notice: CaseNotice, head_name: str) -> str:
    """The factual notice to the parents, sent on the head's behalf (004: 2462–2470)."""
    return _(
        "To the parents of {pupil}\n\n"
        "This is information from {school} about the attendance of {pupil}. So far this "
        "quarter, up to and including {day}, {pupil} has had unlawful absence on {days} "
        "({share}).\n\n"
        "When unlawful absence reaches 15 % or more within a quarter, the head of the school "
        "must by law notify the municipal council, and the child benefit may then be stopped "
        "for a quarter.\n\n"
        "We would like to work with you so that {pupil} comes to school every day. Please "
        "contact us if you have any questions.\n\n"
        "Kind regards\n"
        "{head}, {school}"
    ).format(
        pupil=pupil.name,
        school=school.name,
        day=format_day(_local_day(school, notice.created_at)),
        head=head_name,
        **_numbers(notice),
    )


def _who(guardian: Guardian, *, phone: bool) -> str:
    if phone and guardian.phone:
        return f"{guardian.name} ({guardian.phone})"
    return guardian.name


def reach_lines(reach: Reach, *, sent: bool) -> list[str]:
    reached = ", ".join(g.name for g, _chats in reach.reached.values()) or "–"
    if sent:
        lines = [_("Sent in chat to: {names}").format(names=reached)]
    else:
        lines = [_("It will be sent in chat to: {names}").format(names=reached)]
    if reach.unreached:
        names = ", ".join(_who(g, phone=True) for g in reach.unreached)
        lines.append(
            _("No chat reaches: {names}. Please send them a letter or call them.").format(
                names=names
            )
        )
    return lines


def head_notice_text(
    school: School,
    notice: CaseNotice,
    pupil: Pupil,
    reach: Reach,
    reader: StaffMember,
    decider_name: str,
) -> str:
    """A head's DM about one notice: what holds, and what is asked or was done."""
    names = {"pupil": pupil.name, "class_name": pupil.class_name, **_numbers(notice)}
    decided_on = format_day(_local_day(school, notice.decided_at)) if notice.decided_at else ""
    if notice.kind is NoticeKind.COUNCIL:
        head = _(
            "{pupil} ({class_name}) has had unlawful absence on {days} so far this quarter "
            "({share}). At 15 % or more within a quarter, the head of the school notifies the "
            "municipal council."
        ).format(**names)
        if notice.pending:
            return head + "\n" + _("Press the button once the council has been notified.")
        return (
            head
            + "\n"
            + _("Recorded by {name} on {day}: the municipal council has been notified.").format(
                name=decider_name, day=decided_on
            )
        )
    head = _(
        "{pupil} ({class_name}) has had unlawful absence on {days} so far this quarter "
        "({share}). The parents must now be informed, including about what 15 % means."
    ).format(**names)
    if notice.pending:
        lines = [head, _("This notice will be sent on your behalf once you approve it:")]
        signed = reader.name
    else:
        approved = _("Approved by {name} on {day}. This notice was sent:")
        lines = [head, approved.format(name=decider_name, day=decided_on)]
        signed = decider_name
    lines += ["", parents_notice_text(school, pupil, notice, signed), ""]
    lines += reach_lines(reach, sent=not notice.pending)
    return "\n".join(lines)


# The nightly job: new notices to the heads ----------------------------------------------------


@dataclass(frozen=True)
class NoticeTally:
    new: int = 0
    queued: int = 0

    def summary(self) -> str:
        return f"head's notices: {self.new} new, {self.queued} message(s) queued"


async def queue_case_notices(
    uow: UnitOfWork, school: School, hits: Sequence[RuleHit], now: datetime
) -> NoticeTally:
    """Keep the notices the night's new hits ask for, once per case, kind and quarter, and
    queue each new one to the school's heads; a few queries whatever the number of pupils."""
    wanted = [h for h in hits if h.rule_id.startswith("dk.")]
    if not wanted:
        return NoticeTally()
    pupil_ids = {h.pupil_id for h in wanted}
    # The law asks this of the head whatever the case: a pupil whose case was closed earlier
    # in the quarter gets the notice on that case (the head sees every case of the school).
    cases = await uow.cases.last_closed(school.key, pupil_ids)
    cases.update((c.pupil_id, c) for c in await uow.cases.open_cases(school.key, pupil_ids))
    stored = await uow.case_notices.add_new(notices_due(wanted, cases, now))
    if not stored:
        return NoticeTally()
    tally = await _refresh_heads(uow, school, stored, now)
    return NoticeTally(len(stored), tally.queued)


async def _refresh_heads(
    uow: UnitOfWork, school: School, notices: Sequence[CaseNotice], now: datetime
) -> Tally:
    """Queue each notice's current DM to every head of the school on Slack."""
    ids = {n.pupil_id for n in notices}
    pupils = {p.pupil_id: p for p in await uow.school_day.pupils(school.key, ids)}
    staff = await uow.staff.list_for_school(school.key)
    guardians = await uow.school_day.guardians_of(school.key, ids)
    accounts = await uow.school_day.chat_accounts(
        school.key, "guardian", [g.guardian_id for g in guardians]
    )
    names = {s.staff_id: s.name for s in staff}
    messages: list[OutboxMessage] = []
    for notice in notices:
        pupil = pupils.get(notice.pupil_id)
        if pupil is None:
            continue
        reach = reach_of(pupil.pupil_id, guardians, accounts)
        decider = names.get(notice.decided_by, notice.decided_by)
        for member in heads(staff, school.key):
            if not member.slack_user_id:
                continue
            with use_locale(staff_language(school, member)):
                text = head_notice_text(school, notice, pupil, reach, member, decider)
                buttons = (notice_button(notice),) if notice.pending else ()
            slot = f"case-notice:{notice.id}"
            messages.append(
                live_message(school, member, HEAD_NOTICE_KIND, slot, text, buttons, now)
            )
    tally = Tally()
    for added in await uow.outbox.add_many(messages):
        tally.count(added)
    return tally


# A head's press --------------------------------------------------------------------------------


class Decision(enum.StrEnum):
    DONE = "done"
    # Decided before (by this head, another, or another process): nothing changed.
    ALREADY = "already"
    # No such notice, not this kind, or not a head of its school: the same answer for all.
    NOT_ALLOWED = "not_allowed"


@dataclass(frozen=True)
class DecisionResult:
    decision: Decision
    notice: CaseNotice | None = None
    pupil: Pupil | None = None
    decided_by: str = ""
    sent: int = 0
    unreached: tuple[Guardian, ...] = ()


async def decide_notice(
    uow: UnitOfWork,
    school: School,
    notice_id: int,
    kind: NoticeKind,
    staff: StaffMember,
    now: datetime,
) -> DecisionResult:
    """A head approves the parents' notice (then it is sent) or records that the council was
    notified; once, however many presses or processes. A press by anyone else is logged on
    the case and changes nothing."""
    notice = await uow.case_notices.get(notice_id)
    if notice is None or notice.school_key != school.key or notice.kind is not kind:
        return DecisionResult(Decision.NOT_ALLOWED)
    event = EventKind.NOTICE_APPROVED if kind is NoticeKind.PARENTS else EventKind.COUNCIL_NOTIFIED
    seen = await case_for(uow, notice.case_id, staff) if may_decide(staff, notice) else None
    if seen is None:
        refused = CaseEvent(
            notice.case_id,
            now,
            EventKind.REFUSED,
            staff_actor(staff.staff_id),
            {"tried": event.value},
        )
        await uow.cases.add_events([refused])
        return DecisionResult(Decision.NOT_ALLOWED)
    _case, pupil = seen
    decided = await uow.case_notices.decide(notice_id, DECIDED[kind], staff.staff_id, now)
    if decided is None:
        current = await uow.case_notices.get(notice_id)
        by = current.decided_by if current else ""
        member = await uow.staff.get(school.key, by) if by else None
        return DecisionResult(Decision.ALREADY, current, pupil, member.name if member else by)
    # Logged on the case through the one way a person acts on it; the case row is unchanged.
    detail = {"notice": notice_id, "quarter": notice.quarter}
    await change_case(uow, notice.case_id, staff, lambda c: c, event, now, detail, allowed=may_see)
    sent, unreached = 0, ()
    if kind is NoticeKind.PARENTS:
        sent, unreached = await _send_to_guardians(uow, school, decided, pupil, staff, now)
    await _refresh_heads(uow, school, [decided], now)
    return DecisionResult(Decision.DONE, decided, pupil, staff.name, sent, unreached)


async def _send_to_guardians(
    uow: UnitOfWork,
    school: School,
    notice: CaseNotice,
    pupil: Pupil,
    head: StaffMember,
    now: datetime,
) -> tuple[int, tuple[Guardian, ...]]:
    """Queue the notice once to each chat that reaches a guardian of the pupil, in the
    guardian's language; log NOTICE_SENT with how many (no names)."""
    guardians = await uow.school_day.guardians_of(school.key, [pupil.pupil_id])
    accounts = await uow.school_day.chat_accounts(
        school.key, "guardian", [g.guardian_id for g in guardians]
    )
    reach = reach_of(pupil.pupil_id, guardians, accounts)
    messages = []
    for guardian, chats in reach.reached.values():
        with use_locale(guardian.speaks.value):
            text = parents_notice_text(school, pupil, notice, head.name)
        for account in chats:
            recipient = f"{account.platform}:{account.account_id}"
            messages.append(
                OutboxMessage(
                    key=idempotency_key(
                        GUARDIAN_NOTICE_KIND, recipient, school.key, str(notice.id)
                    ),
                    platform=account.platform,
                    recipient=account.account_id,
                    text=text,
                    kind=GUARDIAN_NOTICE_KIND,
                    school_key=school.key,
                    created_at=now,
                )
            )
    queued = sum(await uow.outbox.add_many(messages))
    detail = {
        "notice": notice.id,
        "quarter": notice.quarter,
        "guardians_reached": len(reach.reached),
        "guardians_unreached": len(reach.unreached),
        "messages": queued,
    }
    sent = CaseEvent(
        notice.case_id, now, EventKind.NOTICE_SENT, staff_actor(head.staff_id), detail
    )
    await uow.cases.add_events([sent])
    return len(reach.reached), reach.unreached
