"""Messages that stay current: a class's roll call and a mentor's same-day follow-up list.

Each is one message on the mentor's screen (an outbox *slot*). Whenever something it shows
changes (a roll call is submitted, a guardian answers or reports, a contact is recorded), it is
rendered again from what is stored and queued as a new version of the same slot, which edits
the message in place. Rendering the same content again queues nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.i18n import N_, _, format_clock, format_day, use_locale
from dialogs.labels import REASONS
from dialogs.notices import STAFF_PLATFORM, staff_language
from routine.access import visible_classes
from routine.attendance import guardians_of, mentors_of, mentors_of_class
from routine.follow_up import (
    FollowUp,
    GuardianContact,
    LineState,
    latest_contact,
    line_state,
    open_follow_up,
    reported_to_follow_up,
)
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    MarkKind,
    Pupil,
    Role,
    School,
    StaffMember,
)
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork
from routine.record import report_code
from routine.requests import PromptAnswer
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
    """Queue the roll call's current message for each mentor of the class; once the day is
    over, without buttons."""
    closed = not editable(school, roll_call, now)
    pupils, reported, marked = await roll_call_state(uow, roll_call)
    staff = await uow.staff.list_for_school(school.key)
    # Someone who has since left the school file is still named, by their id.
    taker = next(
        (s.name for s in staff if s.staff_id == roll_call.submitted_by), roll_call.submitted_by
    )
    tally = Tally()
    for mentor in mentors_of_class(roll_call.class_name, staff):
        if not mentor.slack_user_id:
            continue
        with use_locale(staff_language(school, mentor)):
            text = roll_call_text(
                school, roll_call, pupils, reported, marked, taker, closed=closed
            )
            buttons = roll_call_buttons(roll_call, closed=closed)
        slot = f"roll-call:{roll_call.class_name}:{roll_call.day.isoformat()}"
        tally.count(
            await uow.outbox.add(_live(school, mentor, "roll-call", slot, text, buttons, now))
        )
    return tally


# The same-day follow-up list


async def follow_up_text(
    uow: UnitOfWork,
    school: School,
    mentor: StaffMember,
    follow_ups: list[FollowUp],
    day: date,
) -> tuple[str, tuple[OutgoingButton, ...]]:
    """The mentor's list, in the current locale: one line and one button per pupil."""
    ids = [f.pupil_id for f in follow_ups]
    pupils = {p.pupil_id: p for p in await uow.pupils.list_for_classes(school.key, mentor.classes)}
    reports = await uow.reports.list_covering(school.key, ids, day)
    contacts = await uow.guardian_contacts.list_for([f.id for f in follow_ups if f.id])
    staff = {s.staff_id: s.name for s in await uow.staff.list_for_school(school.key)}
    codes = {code.code: code for code in await uow.codes.list_for(school.key)}
    lines = [_("Absence to follow up today, {day}:").format(day=format_day(day))]
    if not follow_ups:
        lines.append(_("Nobody at the moment."))
    buttons = []
    for follow_up in sorted(follow_ups, key=lambda f: pupils[f.pupil_id].name):
        pupil = pupils[follow_up.pupil_id]
        line = f"• {pupil.name} ({pupil.class_name}): " + await _line(
            uow, school, follow_up, reports, contacts, staff, codes
        )
        lines.append(line)
        assert follow_up.id is not None
        label = _("Contact the guardian: {name}").format(name=pupil.name)
        buttons.append(OutgoingButton(f"{FOLLOW_UP_PREFIX}{follow_up.id}.{CONTACT_ACTION}", label))
    lines.append(_("Step 1 of the routine: contact the guardians today."))
    return "\n".join(lines), tuple(buttons)


async def _line(
    uow: UnitOfWork,
    school: School,
    follow_up: FollowUp,
    reports: list[AbsenceReport],
    contacts: list[GuardianContact],
    staff: dict[str, str],
    codes: dict[str, AbsenceCode],
) -> str:
    state = line_state(follow_up, reports, contacts)
    contact = latest_contact(follow_up, contacts)
    if state in (LineState.CONTACTED, LineState.NOT_REACHED) and contact is not None:
        local = contact.contacted_at.astimezone(ZoneInfo(school.timezone))
        said = {
            LineState.CONTACTED: _("contacted by {name} at {time}, {means}."),
            LineState.NOT_REACHED: _("{name} tried at {time}, {means}: not reached."),
        }[state].format(
            name=staff.get(contact.staff_id, contact.staff_id),
            time=format_clock(local.time()),
            means=MEANS[contact.means.value],
        )
        if contact.valid is not None:
            said += " " + (_("Valid absence.") if contact.valid else _("Invalid absence."))
        return said
    if state is LineState.REPORTED:
        report = next(r for r in reports if r.pupil_id == follow_up.pupil_id)
        return _reported_line(school, report, codes)
    answer = await _prompt_answer(uow, follow_up)
    if answer is PromptAnswer.CALL_ME:
        return _("the guardian asks to be called.")
    if answer is PromptAnswer.MISTAKE:
        return _("the guardian says there must be a mistake: find out where the pupil is.")
    if not follow_up.reachable:
        return _("no guardian can be reached in chat: please phone.")
    return _("asked the guardians in chat; no answer yet.")


def _reported_line(school: School, report: AbsenceReport, codes: dict[str, AbsenceCode]) -> str:
    valid = report_code(school, report.reason, codes)[1]
    if not school.privacy.mentor_sees_reason:
        if valid is True:
            return _("the guardian has reported the absence.")
        return _(
            "the guardian has reported the absence, but the reason does not make it valid: "
            "contact the guardian."
        )
    reason = REASONS[report.reason]
    if valid is True:
        return _("the guardian has reported: {reason}.").format(reason=reason)
    if valid is None:
        return _(
            "the guardian has reported: {reason}. Valid only if the school judges so: contact "
            "the guardian and record whether it is valid."
        ).format(reason=reason)
    return _(
        "the guardian has reported: {reason}, which is invalid absence: contact the guardian "
        "today."
    ).format(reason=reason)


async def _prompt_answer(uow: UnitOfWork, follow_up: FollowUp) -> PromptAnswer | None:
    guardians = await uow.guardians.list_for_school(follow_up.school_key)
    for guardian in guardians_of(follow_up.pupil_id, guardians):
        prompt = await uow.prompts.find(
            follow_up.school_key, follow_up.pupil_id, guardian.guardian_id, follow_up.day
        )
        if prompt is not None and prompt.answer is not None:
            return prompt.answer
    return None


async def refresh_follow_ups(
    uow: UnitOfWork, school: School, day: date, now: datetime, *, pupil_id: str | None = None
) -> Tally:
    """Queue the current list for each mentor who has a follow-up that day (only those of
    `pupil_id`'s class if given)."""
    follow_ups = await uow.follow_ups.list_for_day(school.key, day)
    if not follow_ups:
        return Tally()
    staff = await uow.staff.list_for_school(school.key)
    pupils = await uow.pupils.list_for_school(school.key)
    by_id = {p.pupil_id: p for p in pupils}
    if pupil_id is not None and pupil_id not in {f.pupil_id for f in follow_ups}:
        return Tally()
    current = {f.id for f in await still_to_follow_up(uow, school, day, follow_ups)}
    tally = Tally()
    for mentor in staff:
        if not mentor.slack_user_id or not mentor.has_role(Role.MENTOR):
            continue
        mine = [
            f
            for f in follow_ups
            if f.pupil_id in by_id and mentor in mentors_of(by_id[f.pupil_id], staff)
        ]
        if not mine or (pupil_id is not None and pupil_id not in {f.pupil_id for f in mine}):
            continue
        shown = [f for f in mine if f.id in current]
        with use_locale(staff_language(school, mentor)):
            text, buttons = await follow_up_text(uow, school, mentor, shown, day)
        slot = f"follow-up:{day.isoformat()}"
        list_message = _live(school, mentor, "follow-up-list", slot, text, buttons, now)
        tally.count(await uow.outbox.add(list_message))
    return tally


async def still_to_follow_up(
    uow: UnitOfWork, school: School, day: date, follow_ups: list[FollowUp]
) -> list[FollowUp]:
    """The follow-ups whose pupil is still marked absent that day, or reported absent with a
    reason that does not make it valid, or with a contact already recorded: a roll call
    corrected to "present" takes the pupil off the list."""
    marks = await uow.marks.list_for_day(school.key, day)
    absent = {m.pupil_id for m in marks if m.kind is MarkKind.ABSENT}
    reports = await uow.reports.list_overlapping(
        school.key, day, day, [f.pupil_id for f in follow_ups]
    )
    absent |= set(await reported_to_follow_up(uow, school, day, marks, reports))
    contacted = {
        c.follow_up_id
        for c in await uow.guardian_contacts.list_for(
            [f.id for f in follow_ups if f.id is not None]
        )
    }
    return [f for f in follow_ups if f.pupil_id in absent or f.id in contacted]


async def not_reached_today(uow: UnitOfWork, school: School, day: date) -> list[Pupil]:
    """The pupils still on the day's step-1 list with no report and no contact that reached a
    guardian: nobody has told their guardians yet."""
    follow_ups = await uow.follow_ups.list_for_day(school.key, day)
    if not follow_ups:
        return []
    current = await still_to_follow_up(uow, school, day, follow_ups)
    ids = [f.pupil_id for f in current]
    reports = await uow.reports.list_covering(school.key, ids, day)
    contacts = await uow.guardian_contacts.list_for([f.id for f in current if f.id])
    waiting = {
        f.pupil_id
        for f in current
        if line_state(f, reports, contacts) in (LineState.WAITING, LineState.NOT_REACHED)
    }
    pupils = await uow.pupils.list_for_school(school.key)
    return [p for p in pupils if p.pupil_id in waiting]


async def refresh_today(
    uow: UnitOfWork, school: School, pupil_id: str, day: date, now: datetime
) -> None:
    """A guardian's report about `day`: the pupil's class roll call, while not yet taken,
    shows it, and so does the mentors' follow-up list."""
    pupil = await uow.pupils.get(school.key, pupil_id)
    if pupil is None:
        return
    roll_call = await uow.roll_calls.find(school.key, pupil.class_name, day)
    if roll_call is not None and roll_call.status is not RollCallStatus.SUBMITTED:
        await refresh_roll_call(uow, school, roll_call, now)
    if now.astimezone(ZoneInfo(school.timezone)).time() >= school.times.unreported_prompt:
        # Reported after the step-1 list went out, with a reason staff must follow up.
        marks = await uow.marks.list_for_day(school.key, day)
        reports = await uow.reports.list_overlapping(school.key, day, day, [pupil_id])
        if pupil_id in await reported_to_follow_up(uow, school, day, marks, reports):
            await open_follow_up(
                uow, school_key=school.key, pupil_id=pupil_id, day=day, reachable=True, now=now
            )
    await refresh_follow_ups(uow, school, day, now, pupil_id=pupil_id)


async def may_follow_up(uow: UnitOfWork, staff: StaffMember, pupil_id: str) -> Pupil | None:
    """The pupil, if this staff member may see them (their own classes, §6)."""
    pupil = await uow.pupils.get(staff.school_key, pupil_id)
    if pupil is None:
        return None
    school_classes = [c.name for c in await uow.classes.list_for(staff.school_key)]
    return pupil if pupil.class_name in visible_classes(staff, school_classes) else None


def _live(
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
