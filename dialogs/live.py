"""Messages that stay current, and the first of them: a class's roll call.

Each is one message on the mentor's screen (an outbox *slot*). Whenever something it shows
changes (a roll call is submitted, a guardian reports), it is rendered again from what is stored
and queued as a new version of the same slot, which edits the message in place. Rendering the
same content again queues nothing. The mentor's follow-up list is `dialogs.follow_up_list`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from dialogs.i18n import N_, _, format_clock, format_day, use_locale
from dialogs.notices import STAFF_PLATFORM, staff_language
from routine.model import AbsenceReport, AttendanceMark, Pupil, Role, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork
from routine.roll_call import (
    Attendance,
    RollCall,
    RollCallStatus,
    editable,
    from_marks,
    pre_marked,
)

# Buttons under these messages; dialogs/staff_actions.py handles the presses.
ROLL_CALL_PREFIX = "r."
FOLLOW_UP_PREFIX = "f."
ROLL_CALL_ACTIONS = {
    "open": N_("Take the roll call"),
    "confirm": N_("Nobody else is absent"),
    "change": N_("Change the roll call"),
}
CONTACT_ACTION = "contact"

MEANS = {
    "phone": N_("by phone"),
    "message": N_("by message"),
    "meeting": N_("in a meeting"),
}


@dataclass
class Tally:
    """What a refresh did: versions queued, and versions that showed nothing new."""

    queued: int = 0
    unchanged: int = 0

    def count(self, added: bool) -> None:
        if added:
            self.queued += 1
        else:
            self.unchanged += 1


def roll_call_button(roll_call_id: int, action: str) -> OutgoingButton:
    return OutgoingButton(
        f"{ROLL_CALL_PREFIX}{roll_call_id}.{action}", str(ROLL_CALL_ACTIONS[action])
    )


def _version() -> str:
    # Each rendering is a version of its own (even at one instant, as under a fixed clock);
    # the outbox itself drops a version that shows nothing new.
    return uuid.uuid4().hex


def _names(pupils: Iterable[Pupil], ids: Iterable[str]) -> str:
    wanted = set(ids)
    return ", ".join(sorted(p.name for p in pupils if p.pupil_id in wanted))


# The roll call


async def roll_call_state(
    uow: UnitOfWork, roll_call: RollCall
) -> tuple[list[Pupil], Attendance, Attendance]:
    """The class, what guardians reported, and what is marked now."""
    pupils = await uow.pupils.list_for_classes(roll_call.school_key, [roll_call.class_name])
    pupils = sorted((p for p in pupils if p.active), key=lambda p: p.name)
    ids = [p.pupil_id for p in pupils]
    reports = await uow.reports.list_covering(roll_call.school_key, ids, roll_call.day)
    marks = await uow.marks.list_for_day(roll_call.school_key, roll_call.day)
    return pupils, pre_marked(pupils, reports, roll_call.day), from_marks(marks, ids)


def roll_call_text(
    school: School,
    roll_call: RollCall,
    pupils: list[Pupil],
    reported: Attendance,
    marked: Attendance,
    taken_by: str,
    *,
    closed: bool = False,
) -> str:
    """In the current locale. `closed`: the school day is over, nothing can change now."""
    head = _("Roll call for class {name}, {day}.").format(
        name=roll_call.class_name, day=format_day(roll_call.day)
    )
    lines = [head]
    end = format_clock(school.times.end_of_day)
    if roll_call.status is RollCallStatus.SUBMITTED:
        assert roll_call.submitted_at is not None
        local = roll_call.submitted_at.astimezone(ZoneInfo(school.timezone))
        lines.append(
            _("Taken by {name} at {time}.").format(name=taken_by, time=format_clock(local.time()))
        )
        lines.append(_("Absent: {names}").format(names=_names(pupils, marked.absent) or "–"))
        lines.append(_("Late: {names}").format(names=_names(pupils, marked.late) or "–"))
        if not closed:
            lines.append(_("You can change it until {time}.").format(time=end))
        return "\n".join(lines)
    if closed:
        lines.append(_("Not answered: no roll call was taken for this day."))
        return "\n".join(lines)
    if roll_call.status is RollCallStatus.NOT_ANSWERED:
        lines.append(
            _("Not answered by {time}. You can still take it until {end}.").format(
                time=format_clock(school.times.unreported_prompt), end=end
            )
        )
    lines.append(_("Pupils in the class: {count}.").format(count=len(pupils)))
    if reported.absent or reported.late:
        lines.append(_("Reported by guardians:"))
        if reported.absent:
            lines.append(_("Absent: {names}").format(names=_names(pupils, reported.absent)))
        if reported.late:
            lines.append(_("Late: {names}").format(names=_names(pupils, reported.late)))
    lines.append(_("Please mark who is absent or late."))
    return "\n".join(lines)


def roll_call_buttons(roll_call: RollCall, *, closed: bool = False) -> tuple[OutgoingButton, ...]:
    assert roll_call.id is not None
    if closed:
        return ()
    if roll_call.status is RollCallStatus.SUBMITTED:
        return (roll_call_button(roll_call.id, "change"),)
    return (roll_call_button(roll_call.id, "open"), roll_call_button(roll_call.id, "confirm"))


async def refresh_roll_call(
    uow: UnitOfWork, school: School, roll_call: RollCall, now: datetime
) -> Tally:
    return await refresh_roll_calls(uow, school, [roll_call], now)


async def refresh_roll_calls(
    uow: UnitOfWork, school: School, roll_calls: list[RollCall], now: datetime
) -> Tally:
    """Queue each roll call's current message for each mentor of its class; once the day is
    over, without buttons. The class lists, reports and marks are read once for all of them."""
    if not roll_calls:
        return Tally()
    day = roll_calls[0].day
    assert all(r.day == day for r in roll_calls), "one day at a time"
    staff = await uow.staff.list_for_school(school.key)
    classes = sorted({r.class_name for r in roll_calls})
    pupils = await uow.school_day.class_lists(school.key, classes)
    ids = [p.pupil_id for p in pupils]
    # For the whole school's roll calls, the day's reports of the school (one query, which the
    # job's next steps read again from the unit of work); for one class, that class's.
    reports = await uow.reports.list_overlapping(
        school.key, day, day, ids if len(roll_calls) == 1 else None
    )
    if len(roll_calls) > 1:
        wanted = set(ids)
        reports = [report for report in reports if report.pupil_id in wanted]
    marks = await uow.marks.list_for_day(school.key, day)
    messages = roll_call_messages(school, roll_calls, staff, pupils, reports, marks, now)
    tally = Tally()
    for added in await uow.outbox.add_many(messages):
        tally.count(added)
    return tally


def roll_call_messages(
    school: School,
    roll_calls: list[RollCall],
    staff: list[StaffMember],
    pupils: list[Pupil],
    reports: list[AbsenceReport],
    marks: list[AttendanceMark],
    now: datetime,
) -> list[OutboxMessage]:
    """Each roll call's current message for each mentor of its class, from the school's staff,
    the class lists and the day's reports and marks (of the school; others are ignored)."""
    day = roll_calls[0].day
    by_class: dict[str, list[Pupil]] = defaultdict(list)
    for pupil in sorted(pupils, key=lambda p: (p.name, p.pupil_id)):
        by_class[pupil.class_name].append(pupil)
    reports_of, marks_of = _by_pupil(reports), _by_pupil(marks)
    names = {s.staff_id: s.name for s in staff}
    mentors: dict[str, list[StaffMember]] = defaultdict(list)
    for member in staff:
        if member.slack_user_id and member.has_role(Role.MENTOR):
            for name in dict.fromkeys(member.classes):
                mentors[name].append(member)
    messages = []
    for roll_call in roll_calls:
        closed = not editable(school, roll_call, now)
        members = by_class[roll_call.class_name]
        class_ids = [p.pupil_id for p in members]
        reported = pre_marked(members, _of(reports_of, class_ids), day)
        marked = from_marks(_of(marks_of, class_ids), class_ids)
        # Someone who has since left the school file is still named, by their id.
        taker = names.get(roll_call.submitted_by, roll_call.submitted_by)
        slot = f"roll-call:{roll_call.class_name}:{day.isoformat()}"
        # Rendered once per language: a class's mentors who read the same one get the same.
        rendered: dict[str, tuple[str, tuple[OutgoingButton, ...]]] = {}
        for mentor in mentors[roll_call.class_name]:
            language = staff_language(school, mentor)
            if language not in rendered:
                with use_locale(language):
                    rendered[language] = (
                        roll_call_text(
                            school, roll_call, members, reported, marked, taker, closed=closed
                        ),
                        roll_call_buttons(roll_call, closed=closed),
                    )
            text, buttons = rendered[language]
            messages.append(live_message(school, mentor, "roll-call", slot, text, buttons, now))
    return messages


class _OfAPupil(Protocol):
    @property
    def pupil_id(self) -> str: ...


T = TypeVar("T", bound=_OfAPupil)


def _by_pupil(items: Iterable[T]) -> dict[str, list[T]]:
    found: dict[str, list[T]] = defaultdict(list)
    for item in items:
        found[item.pupil_id].append(item)
    return found


def _of(index: dict[str, list[T]], pupil_ids: Iterable[str]) -> list[T]:
    return [item for pupil_id in pupil_ids for item in index.get(pupil_id, ())]


def live_message(
    school: School,
    member: StaffMember,
    kind: str,
    slot: str,
    text: str,
    buttons: tuple[OutgoingButton, ...],
    now: datetime,
) -> OutboxMessage:
    recipient = member.slack_user_id
    return OutboxMessage(
        key=idempotency_key(kind, f"{STAFF_PLATFORM}:{recipient}", school.key, slot, _version()),
        platform=STAFF_PLATFORM,
        recipient=recipient,
        text=text,
        kind=kind,
        school_key=school.key,
        buttons=buttons,
        created_at=now,
        slot=slot,
    )
