"""What staff read about corrections of the attendance record: the states of a day, why a
correction was refused, and the principal's message about a correction of a day the routine
had already used (so that it is never silently rewritten)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.i18n import N_, _, format_day, format_number, ngettext, use_locale
from dialogs.notices import staff_language, to_staff
from routine.corrections import MAX_REASON_LENGTH, Corrected, Refusal
from routine.model import AbsenceCode, Role, School, StaffMember
from routine.outbox import OutboxMessage
from routine.record import DayStatus, RecordUse

FLAGGED_KIND = "correction-flagged"

STATES = {
    DayStatus.PRESENT: N_("Present"),
    DayStatus.ABSENT: N_("Absent"),
    DayStatus.LATE: N_("Late"),
    DayStatus.LEFT_EARLY: N_("Left early"),
    DayStatus.UNKNOWN: N_("Not recorded"),
}
VALIDITY = {
    True: N_("valid"),
    False: N_("invalid"),
    None: N_("not yet explained"),
}


def describe_state(
    status: DayStatus,
    code: str | None,
    valid: bool | None,
    codes: Mapping[str, AbsenceCode],
) -> str:
    """E.g. "Absent, valid (Sjuk)": an absence says whether it is valid, and its code."""
    text = str(STATES[status])
    if status is DayStatus.ABSENT:
        text = _("{state}, {validity}").format(state=text, validity=VALIDITY[valid])
    if code:
        label = codes[code].label if code in codes else code
        text = _("{state} ({code})").format(state=text, code=label)
    return text


def describe_change(corrected: Corrected, codes: Mapping[str, AbsenceCode]) -> str:
    before, after = corrected.before, corrected.correction
    was = describe_state(before.status, before.code, before.valid, codes)
    now = describe_state(after.status, after.code, after.valid, codes)
    return f"{was} → {now}"


def refusal_message(refusal: Refusal, school: School, day: date | None) -> str:
    when = format_day(day) if day else ""
    if refusal is Refusal.NOT_SCHOOL_DAY:
        return _("There is no school on {day}.").format(day=when)
    if refusal is Refusal.IN_FUTURE:
        return _("You can correct today and earlier days, not {day}.").format(day=when)
    if refusal is Refusal.PAST_RETENTION:
        return _(
            "The school no longer keeps attendance data from {day}, so that day cannot be "
            "corrected."
        ).format(day=when)
    if refusal is Refusal.TOO_FAR_BACK:
        count = school.attendance.correction_days
        return ngettext(
            "As a mentor you can correct {count} school day back. Please ask a coordinator or "
            "the principal to correct {day}.",
            "As a mentor you can correct up to {count} school days back. Please ask a "
            "coordinator or the principal to correct {day}.",
            count,
        ).format(count=count, day=when)
    if refusal is Refusal.REASON_TOO_LONG:
        return ngettext(
            "The reason is too long: at most {count} character.",
            "The reason is too long: at most {count} characters.",
            MAX_REASON_LENGTH,
        ).format(count=format_number(MAX_REASON_LENGTH))
    return str(REFUSALS[refusal])


REFUSALS = {
    Refusal.NOT_YOUR_CLASS: N_("You can correct only the days of pupils in your own classes."),
    Refusal.ROLE: N_("Your role does not include correcting the attendance record."),
    Refusal.UNKNOWN_PUPIL: N_("That pupil is not in the class any more. Please choose again."),
    Refusal.UNKNOWN_STATUS: N_("Please choose what the day should say."),
    Refusal.UNKNOWN_CODE: N_(
        "An absence code goes only with an absence, and must be one of the school's codes."
    ),
    Refusal.REASON_MISSING: N_("Please give a reason for the correction."),
    Refusal.ALREADY_SO: N_("The record already says so for that day: nothing was changed."),
}


def local_day(use: RecordUse, school: School) -> date:
    return use.used_at.astimezone(ZoneInfo(school.timezone)).date()


def tell_principals(
    school: School,
    staff: list[StaffMember],
    corrected: Corrected,
    corrected_by: StaffMember,
    codes: Mapping[str, AbsenceCode],
    now: datetime,
) -> list[OutboxMessage]:
    """A DM to each principal on Slack, each in their own language; not to a principal who
    made the correction (they were told in their chat)."""
    correction = corrected.correction
    messages = []
    for principal in staff:
        if not principal.has_role(Role.PRINCIPAL) or not principal.slack_user_id:
            continue
        if principal.staff_id == corrected_by.staff_id:
            continue
        with use_locale(staff_language(school, principal)):
            uses = ", ".join(
                _("{what} on {day}").format(
                    what=use.used_by, day=format_day(local_day(use, school))
                )
                for use in corrected.uses
            )
            text = _(
                "{who} corrected the attendance record of {pupil} ({class_name}) for {day}: "
                "{change}.\nReason: {reason}\nThe day had already been used by the routine: "
                "{uses}. Please check whether what was decided or sent still holds."
            ).format(
                who=corrected_by.name,
                pupil=corrected.pupil.name,
                class_name=corrected.pupil.class_name,
                day=format_day(correction.day),
                change=describe_change(corrected, codes),
                reason=correction.reason,
                uses=uses,
            )
        messages.append(to_staff(school, principal, FLAGGED_KIND, text, str(correction.id), now))
    return messages
