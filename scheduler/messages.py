"""What the daily jobs say to staff, rendered for each reader in their own language.

Guardians' messages and the live roll-call and follow-up messages are rendered in `dialogs`,
which re-renders them when they change; these are the jobs' own one-off notices.
"""

from __future__ import annotations

from datetime import date, datetime

from dialogs.i18n import _, format_clock, format_day, use_locale
from dialogs.live import roll_call_button
from dialogs.notices import staff_language, to_staff
from routine.model import Pupil, School, StaffMember
from routine.outbox import OutboxMessage
from routine.roll_call import RollCall


def roll_call_reminder(
    school: School, mentor: StaffMember, roll_call: RollCall, now: datetime
) -> OutboxMessage:
    assert roll_call.id is not None
    with use_locale(staff_language(school, mentor)):
        text = _(
            "Reminder: the roll call for class {name} is not in yet. It is due at {time}."
        ).format(name=roll_call.class_name, time=format_clock(school.times.unreported_prompt))
        buttons = (
            roll_call_button(roll_call.id, "open"),
            roll_call_button(roll_call.id, "confirm"),
        )
    subject = f"{roll_call.class_name}:{roll_call.day.isoformat()}"
    message = to_staff(school, mentor, "roll-call-reminder", text, subject, now)
    return OutboxMessage(**{**vars(message), "buttons": buttons})


def missing_roll_calls(
    school: School,
    coordinator: StaffMember,
    missing: list[RollCall],
    day: date,
    now: datetime,
) -> OutboxMessage:
    """'Not answered' is said as such: nobody has said these classes are all present."""
    with use_locale(staff_language(school, coordinator)):
        text = _("Roll calls not answered by {time} on {day}: {classes}.").format(
            time=format_clock(school.times.unreported_prompt),
            day=format_day(day),
            classes=", ".join(sorted(r.class_name for r in missing)),
        )
        text += "\n" + _("Absences in these classes are not known yet.")
    return to_staff(school, coordinator, "missing-roll-calls", text, day.isoformat(), now)


def guardians_not_reached(
    school: School,
    coordinator: StaffMember,
    pupils: list[Pupil],
    day: date,
    now: datetime,
) -> OutboxMessage:
    """The principal must see to it that guardians are told the same day when a pupil stays
    away (001: 640–644): at the end of the day, who was absent without a report and whose
    guardians no recorded contact reached."""
    with use_locale(staff_language(school, coordinator)):
        text = _(
            "End of the school day, {day}: absent without a report, and no contact with a "
            "guardian recorded:"
        ).format(day=format_day(day))
        lines = [f"• {p.name} ({p.class_name})" for p in sorted(pupils, key=_by_class_and_name)]
        text = "\n".join([text, *lines, _("The guardians must be told today.")])
    return to_staff(school, coordinator, "guardians-not-reached", text, day.isoformat(), now)


def _by_class_and_name(pupil: Pupil) -> tuple[str, str]:
    return pupil.class_name, pupil.name
