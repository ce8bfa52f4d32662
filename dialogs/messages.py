"""Translated sentences for the routine's refusals, so a person always hears why."""

from __future__ import annotations

from dialogs.i18n import _, format_clock, format_number, ngettext
from routine.model import ReportingRules
from routine.reporting import ReportError


def report_error_message(error: ReportError, rules: ReportingRules) -> str:
    match error:
        case ReportError.IN_THE_PAST:
            return _(
                "That day has already passed. To explain an earlier absence, please contact "
                "the school."
            )
        case ReportError.TOO_FAR_AHEAD:
            return ngettext(
                "You can report at most {days} day ahead.",
                "You can report at most {days} days ahead.",
                rules.max_days_ahead,
            ).format(days=format_number(rules.max_days_ahead))
        case ReportError.ENDS_BEFORE_START:
            return _("The last day cannot be before the first day.")
        case ReportError.TOO_LONG:
            return ngettext(
                "A report can cover at most {days} day. For a longer absence, please contact "
                "the school.",
                "A report can cover at most {days} days. For a longer absence, please contact "
                "the school.",
                rules.max_span_days,
            ).format(days=format_number(rules.max_span_days))
        case ReportError.NOTE_TOO_LONG:
            return ngettext(
                "The note is too long: at most {count} character, please.",
                "The note is too long: at most {count} characters, please.",
                rules.max_note_length,
            ).format(count=format_number(rules.max_note_length))
        case ReportError.TIME_OUT_OF_HOURS:
            return _("Please give a time between {earliest} and {latest}.").format(
                earliest=format_clock(rules.earliest_time),
                latest=format_clock(rules.latest_time),
            )
        case ReportError.PART_NEEDS_SINGLE_DAY:
            return _("Arriving late or leaving early can only be reported for one day.")
        case ReportError.PART_NEEDS_TIME:
            return _("Please give the time.")
        case ReportError.NOT_YOUR_CHILD:
            return _("This child is not linked to you. Please contact the school.")
