"""Words shown for the routine's values, translated when shown."""

from __future__ import annotations

import re
from datetime import date

from dialogs.i18n import N_, LazyString, _, format_clock, format_day, format_short_day
from routine.model import AbsenceReport, DayPart, ReasonCategory

REASONS = {
    ReasonCategory.ILLNESS: N_("Ill"),
    ReasonCategory.APPOINTMENT: N_("Medical or dental appointment"),
    ReasonCategory.OTHER: N_("Other reason"),
}


def mid_sentence(label: LazyString | str) -> str:
    """A label ("Sjuk", "Per telefon") as it reads inside a sentence: "sjuk", "per telefon".

    Swedish, Norwegian and Danish write these common words in lower case mid-sentence; the
    labels are capitalised only because they also stand alone on buttons."""
    text = str(label)
    return text[:1].lower() + text[1:]


def one_full_stop(text: str) -> str:
    """The text with a sentence that ends on an abbreviated day ("sön 6 dec.", "6. des.") ending
    on that day's full stop, not on a second one after it."""
    return _DOUBLE_STOP.sub(".", text)


# Two full stops (not an ellipsis) before a space or the end.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?=\s|$)")


def day_label(day: date, today: date) -> str:
    """A day on a button: 'ons 25 nov.', and today says so: 'I dag (ons 25 nov.)'."""
    if day == today:
        return _("Today ({day})").format(day=format_short_day(day))
    return format_short_day(day)


def describe_days(first: date, last: date) -> str:
    if first == last:
        return format_day(first)
    return _("{first} to {last}").format(first=format_day(first), last=format_day(last))


def describe_when(report: AbsenceReport) -> str:
    """The days a report covers and, for part of a day, when the pupil comes or goes."""
    days = describe_days(report.first_day, report.last_day)
    if report.part is DayPart.ARRIVING_LATE and report.at_time:
        return _("{day}, arriving at {time}").format(day=days, time=format_clock(report.at_time))
    if report.part is DayPart.LEAVING_EARLY and report.at_time:
        return _("{day}, leaving at {time}").format(day=days, time=format_clock(report.at_time))
    if report.first_day != report.last_day:
        return days  # only a single day can be part of a day: a span needs no "whole day"
    return _("{day}, whole day").format(day=days)


def describe_part(report: AbsenceReport) -> str:
    if report.part is DayPart.ARRIVING_LATE and report.at_time:
        return _("arriving at {time}").format(time=format_clock(report.at_time))
    if report.part is DayPart.LEAVING_EARLY and report.at_time:
        return _("leaving at {time}").format(time=format_clock(report.at_time))
    return _("whole day")
