"""The mentor's same-day follow-up list (step 1): one message per mentor, kept current.

Whenever something it shows changes (a guardian answers or reports, a contact is recorded, the
roll call is corrected), every list of the day is rendered again from what is stored and queued
as a new version of its outbox slot, which edits the message in place; a version that shows
nothing new is not queued.

`FollowUpDay` loads what the lists show with one query per kind of row, for the day's
follow-ups only (never the whole school's pupils or guardians), and everything after that is
decided in memory with dictionaries: the cost grows with the day's absences, not with the size
of the school, and not with their square.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.i18n import _, format_clock, format_day, use_locale
from dialogs.live import (
    CONTACT_ACTION,
    FOLLOW_UP_PREFIX,
    MEANS,
    Tally,
    live_message,
    refresh_roll_calls,
)
from dialogs.notices import staff_language
from dialogs.staff_view import reason_for_staff
from routine.access import visible_classes
from routine.attendance import reported_not_valid
from routine.follow_up import (
    FollowUp,
    GuardianContact,
    LineState,
    latest_contact,
    line_state,
)
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    MarkKind,
    Pupil,
    Role,
    School,
    StaffMember,
)
from routine.outbox import OutboxMessage, OutgoingButton
from routine.ports import UnitOfWork
from routine.record import report_code
from routine.requests import AbsencePrompt, PromptAnswer
from routine.roll_call import RollCall, RollCallStatus


@dataclass(frozen=True)
class FollowUpDay:
    """The day's follow-ups and what their lines say, indexed by pupil and follow-up."""

    school: School
    day: date
    follow_ups: list[FollowUp]
    pupils: dict[str, Pupil]
    staff: list[StaffMember]
    # Pupils with an absence mark that day (for the day or a lesson).
    absent: set[str]
    # Pupils reported absent with a reason that does not make it valid (still to follow up).
    not_valid: set[str]
    reports: dict[str, list[AbsenceReport]]
    contacts: dict[int, list[GuardianContact]]
    answers: dict[str, PromptAnswer]
    codes: dict[str, AbsenceCode]

    def current(self) -> list[FollowUp]:
        """The follow-ups still on the lists: the pupil is still marked absent, or reported
        absent with a reason that does not make it valid, or a contact was recorded. A roll
        call corrected to "present" takes the pupil off."""
        return [
            f
            for f in self.follow_ups
            if f.pupil_id in self.pupils
            and (f.pupil_id in self.absent or f.pupil_id in self.not_valid or self.contacts[f.id])
        ]

    def state(self, follow_up: FollowUp) -> LineState:
        assert follow_up.id is not None
        return line_state(follow_up, self.reports[follow_up.pupil_id], self.contacts[follow_up.id])

    def not_reached(self) -> list[Pupil]:
        """Pupils still on the lists whom no report explains and no contact reached."""
        waiting = (LineState.WAITING, LineState.NOT_REACHED)
        return [self.pupils[f.pupil_id] for f in self.current() if self.state(f) in waiting]


async def load_follow_up_day(uow: UnitOfWork, school: School, day: date) -> FollowUpDay:
    follow_ups = await uow.follow_ups.list_for_day(school.key, day)
    ids = {f.pupil_id for f in follow_ups}
    pupils = await uow.school_day.pupils(school.key, ids)
    marks = await uow.marks.list_for_day(school.key, day) if follow_ups else []
    reports = await uow.reports.list_overlapping(school.key, day, day, ids) if ids else []
    codes = await uow.codes.list_for(school.key)
    roll_calls = await uow.roll_calls.list_for_day(school.key, day) if reports else []
    contacts = await uow.guardian_contacts.list_for([f.id for f in follow_ups if f.id])
    prompts = await uow.school_day.prompts(school.key, day) if follow_ups else []
    staff = await uow.staff.list_for_school(school.key) if follow_ups else []
    return follow_up_day(
        school, day, follow_ups, pupils, marks, reports, codes, roll_calls, contacts, prompts,
        staff,
    )  # fmt: skip


def follow_up_day(
    school: School,
    day: date,
    follow_ups: list[FollowUp],
    pupils: Iterable[Pupil],
    marks: list[AttendanceMark],
    reports: list[AbsenceReport],
    codes: Iterable[AbsenceCode],
    roll_calls: Iterable[RollCall],
    contacts: Iterable[GuardianContact],
    prompts: Iterable[AbsencePrompt],
    staff: list[StaffMember],
) -> FollowUpDay:
    """The day's lists of one school from what was read: its follow-ups, their pupils, the
    day's marks, the reports of those pupils, the school's codes, the day's roll calls, the
    follow-ups' contacts, the day's prompts and the staff."""
    by_code = {code.code: code for code in codes}
    known = {p.pupil_id: p for p in pupils}
    submitted = {r.class_name for r in roll_calls if r.status is RollCallStatus.SUBMITTED}
    by_follow_up: dict[int, list[GuardianContact]] = defaultdict(list)
    for contact in contacts:
        by_follow_up[contact.follow_up_id].append(contact)
    by_pupil: dict[str, list[AbsenceReport]] = defaultdict(list)
    for report in reports:
        if report.covers(day):
            by_pupil[report.pupil_id].append(report)
    answers: dict[str, PromptAnswer] = {}
    for prompt in sorted(prompts, key=lambda p: (p.guardian_id, p.id or 0)):
        if prompt.answer is not None:
            answers.setdefault(prompt.pupil_id, prompt.answer)
    return FollowUpDay(
        school=school,
        day=day,
        follow_ups=follow_ups,
        pupils=known,
        staff=staff,
        absent={m.pupil_id for m in marks if m.kind is MarkKind.ABSENT},
        not_valid=set(
            reported_not_valid(
                school, day, reports, marks, known.values(), submitted, by_code.values()
            )
        ),
        reports=by_pupil,
        contacts=by_follow_up,
        answers=answers,
        codes=by_code,
    )


async def refresh_follow_ups(
    uow: UnitOfWork, school: School, day: date, now: datetime, *, pupil_id: str | None = None
) -> Tally:
    """Queue the current list for each mentor who has a follow-up that day (only those of
    `pupil_id`'s class if given)."""
    view = await load_follow_up_day(uow, school, day)
    tally = Tally()
    for added in await uow.outbox.add_many(follow_up_messages(view, now, pupil_id=pupil_id)):
        tally.count(added)
    return tally


def follow_up_messages(
    view: FollowUpDay, now: datetime, *, pupil_id: str | None = None
) -> list[OutboxMessage]:
    """The current list of each mentor with a follow-up that day (of `pupil_id`'s class)."""
    if not view.follow_ups:
        return []
    if pupil_id is not None and pupil_id not in {f.pupil_id for f in view.follow_ups}:
        return []
    school, day = view.school, view.day
    current = {f.id for f in view.current()}
    by_class: dict[str, list[FollowUp]] = defaultdict(list)
    for follow_up in view.follow_ups:
        if follow_up.pupil_id in view.pupils:
            by_class[view.pupils[follow_up.pupil_id].class_name].append(follow_up)
    wanted_class = view.pupils[pupil_id].class_name if pupil_id in view.pupils else None
    messages: list[OutboxMessage] = []
    for mentor in view.staff:
        if not mentor.slack_user_id or not mentor.has_role(Role.MENTOR):
            continue
        if wanted_class is not None and wanted_class not in mentor.classes:
            continue
        mine = [f for name in dict.fromkeys(mentor.classes) for f in by_class.get(name, ())]
        if not mine:
            continue
        shown = [f for f in mine if f.id in current]
        with use_locale(staff_language(school, mentor)):
            text, buttons = follow_up_text(view, shown)
        slot = f"follow-up:{day.isoformat()}"
        messages.append(live_message(school, mentor, "follow-up-list", slot, text, buttons, now))
    return messages


def follow_up_text(
    view: FollowUpDay, follow_ups: list[FollowUp]
) -> tuple[str, tuple[OutgoingButton, ...]]:
    """A mentor's list, in the current locale: one line and one button per pupil."""
    staff = {s.staff_id: s.name for s in view.staff}
    lines = [_("Absence to follow up today, {day}:").format(day=format_day(view.day))]
    if not follow_ups:
        lines.append(_("Nobody at the moment."))
    buttons = []
    for follow_up in sorted(follow_ups, key=lambda f: view.pupils[f.pupil_id].name):
        pupil = view.pupils[follow_up.pupil_id]
        lines.append(f"• {pupil.name} ({pupil.class_name}): " + _line(view, follow_up, staff))
        assert follow_up.id is not None
        label = _("Contact the guardian of {name}").format(name=pupil.name)
        buttons.append(OutgoingButton(f"{FOLLOW_UP_PREFIX}{follow_up.id}.{CONTACT_ACTION}", label))
    lines.append(_("Step 1 of the routine: contact the guardians today."))
    return "\n".join(lines), tuple(buttons)


def _line(view: FollowUpDay, follow_up: FollowUp, staff: dict[str, str]) -> str:
    assert follow_up.id is not None
    state = view.state(follow_up)
    contact = latest_contact(follow_up, view.contacts[follow_up.id])
    school = view.school
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
        return _reported_line(school, view.reports[follow_up.pupil_id][0], view.codes)
    answer = view.answers.get(follow_up.pupil_id)
    if answer is PromptAnswer.CALL_ME:
        return _("the guardian asks to be called.")
    if answer is PromptAnswer.MISTAKE:
        return _("the guardian says there must be a mistake: find out where the pupil is.")
    if not follow_up.reachable:
        return _("no guardian can be reached in chat: please phone.")
    return _("asked the guardians in chat; no answer yet.")


def _reported_line(school: School, report: AbsenceReport, codes: dict[str, AbsenceCode]) -> str:
    valid = report_code(school, report.reason, codes)[1]
    reason = reason_for_staff(school, report.reason)
    if reason is None:
        if valid is True:
            return _("the guardian has reported the absence.")
        return _(
            "the guardian has reported the absence, but the reason does not make it valid: "
            "contact the guardian."
        )
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


async def refresh_today(
    uow: UnitOfWork, school: School, pupil_id: str, day: date, now: datetime
) -> None:
    """A guardian's report about `day`: the pupil's class roll call, while not yet taken,
    shows it, and so does the mentors' follow-up list. Reported after the list went out with
    a reason staff must follow up, the pupil is added to it."""
    pupil = await uow.pupils.get(school.key, pupil_id)
    if pupil is None:
        return
    roll_call = await uow.roll_calls.find(school.key, pupil.class_name, day)
    if roll_call is not None and roll_call.status is not RollCallStatus.SUBMITTED:
        await refresh_roll_calls(uow, school, [roll_call], now)
    listed = now.astimezone(ZoneInfo(school.timezone)).time() >= school.times.unreported_prompt
    if listed and await _reported_not_valid(uow, school, day, pupil):
        await uow.school_day.open_follow_ups([FollowUp(school.key, pupil_id, day, now)])
    # Most reports come before the lists: one look at the pupil's line spares loading the day.
    if await uow.follow_ups.find(school.key, pupil_id, day) is not None:
        await refresh_follow_ups(uow, school, day, now, pupil_id=pupil_id)


async def _reported_not_valid(uow: UnitOfWork, school: School, day: date, pupil: Pupil) -> bool:
    """Whether one pupil is reported absent with a reason that does not make it valid."""
    reports = await uow.reports.list_overlapping(school.key, day, day, [pupil.pupil_id])
    if not reports:
        return False
    marks = await uow.marks.list_for_day(school.key, day)
    roll_call = await uow.roll_calls.find(school.key, pupil.class_name, day)
    submitted = (
        {pupil.class_name}
        if roll_call is not None and roll_call.status is RollCallStatus.SUBMITTED
        else set()
    )
    codes = await uow.codes.list_for(school.key)
    return bool(reported_not_valid(school, day, reports, marks, [pupil], submitted, codes))


async def may_follow_up(uow: UnitOfWork, staff: StaffMember, pupil_id: str) -> Pupil | None:
    """The pupil, if this staff member may see them (their own classes, §6)."""
    pupil = await uow.pupils.get(staff.school_key, pupil_id)
    if pupil is None:
        return None
    school_classes = [c.name for c in await uow.classes.list_for(staff.school_key)]
    return pupil if pupil.class_name in visible_classes(staff, school_classes) else None
