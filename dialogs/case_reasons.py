"""Why a case was opened, in plain words on its card: a rule with its numbers (the kind of day
it counts, how many, over which span), or a concern with what was seen (dialogs/case_card.py
shows it; a staff concern's form offers the same words, dialogs/flows/staff_concern.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from dialogs.i18n import N_, _, format_number, format_short_day, ngettext
from dialogs.labels import mid_sentence
from routine.cases import CaseEvent, EventKind, Origin
from routine.concerns import StaffConcernKind
from routine.policy import Counted, Measure, Rule

# The kinds of day a rule counts, as the first words of its reason on the card.
COUNTED = {
    Counted.ABSENCE: N_("Absence"),
    Counted.INVALID: N_("Invalid absence"),
    Counted.VALID: N_("Valid absence"),
    Counted.SINGLE_DAYS: N_("Single days of absence"),
    Counted.LATE: N_("Late arrivals"),
    Counted.ILLNESS: N_("Absence due to illness"),
}
CONCERNS = {
    Origin.GUARDIAN_CONCERN.value: N_("A guardian said it is hard to get the child to school."),
    Origin.STAFF_CONCERN.value: N_("A member of staff is worried about the pupil."),
    Origin.BY_HAND.value: N_("Opened by hand."),
}
# What a mentor may have seen, in staff words close to the sources' (the concern's form offers
# them, dialogs/flows/staff_concern.py; the card names the one seen).
SEEN = {
    # "Opplever sterkt ubehag relatert til skole eller melder om at det er vanskelig å møte
    # opp" (002: 649).
    StaffConcernKind.DISCOMFORT: N_("Strong discomfort about school, or says it is hard to come"),
    # "Forlater undervisningen gjentatte ganger uten å komme tilbake i timen" (002: 659).
    StaffConcernKind.LEAVES_LESSONS: N_("Leaves lessons repeatedly without coming back"),
    # "Tilstede på skolen, men ikke i undervisning" (003: 36).
    StaffConcernKind.PRESENT_NOT_IN_CLASS: N_("Present at school but not in lessons"),
    # "mentalt fravær hos barnet" (004: 1308-1309).
    StaffConcernKind.MENTALLY_ABSENT: N_("Mentally absent"),
    # "at barnet forsøger at undgå at komme i skole" (004: 1309-1310).
    StaffConcernKind.AVOIDS_SCHOOL: N_("Tries to avoid coming to school"),
    # "generel ændret adfærd hos barnet" (004: 1310-1311).
    StaffConcernKind.CHANGED_BEHAVIOUR: N_("Changed behaviour in general"),
}


def reasons(events: Iterable[CaseEvent]) -> list[CaseEvent]:
    """Why the case is open: the opening, then each later reason, oldest first."""
    kinds = (EventKind.OPENED, EventKind.TRIGGER)
    return [e for e in sorted(events, key=lambda e: (e.at, e.id or 0)) if e.kind in kinds]


def describe_reason(detail: Mapping[str, object], rules: Mapping[str, Rule]) -> str:
    """A rule with its numbers in plain words, or the kind of concern, in the current locale."""
    reason = str(detail.get("reason", ""))
    if not reason.startswith("rule:"):
        # A concern's reason carries what was seen after its origin: "staff_concern:discomfort".
        origin, _sep, kind = reason.partition(":")
        known = {k.value: k for k in StaffConcernKind}
        seen = SEEN.get(known[kind]) if kind in known else None
        if origin == Origin.STAFF_CONCERN.value and seen is not None:
            return _("A member of staff is worried about the pupil: {seen}.").format(
                seen=mid_sentence(seen)
            )
        label = CONCERNS.get(origin)
        return str(label) if label is not None else _("Opened by hand.")
    rule = rules.get(reason.removeprefix("rule:"))
    raw = detail.get("numbers")
    numbers: Mapping[str, object] = raw if isinstance(raw, Mapping) else {}
    count = _int(numbers.get("count"))
    window = detail.get("window")
    start, end = window if isinstance(window, list) and len(window) == 2 else ("", "")
    span = {"start": _day(str(start)), "end": _day(str(end))}
    what = str(COUNTED.get(rule.counts if rule else Counted.ABSENCE, COUNTED[Counted.ABSENCE]))
    measure = rule.measure if rule else (Measure.SHARE if "share" in numbers else Measure.DAYS)
    if measure is Measure.SHARE:
        known = _int(numbers.get("known"))
        share = numbers.get("share")
        percent = round(float(share) * 100) if isinstance(share, int | float) else 0
        return ngettext(
            "{what}: {count} of {known} known school day ({percent} %), {start} to {end}",
            "{what}: {count} of {known} known school days ({percent} %), {start} to {end}",
            known,
        ).format(
            what=what,
            count=format_number(count),
            known=format_number(known),
            percent=format_number(percent),
            **span,
        )
    if measure is Measure.OCCURRENCES:
        return ngettext(
            "{what}: {count} time, {start} to {end}",
            "{what}: {count} times, {start} to {end}",
            count,
        ).format(what=what, count=format_number(count), **span)
    if measure is Measure.IN_A_ROW:
        return ngettext(
            "{what}: {count} school day in a row, up to {end}",
            "{what}: {count} school days in a row, up to {end}",
            count,
        ).format(what=what, count=format_number(count), end=span["end"])
    total = _int(numbers.get("school_days"))
    return ngettext(
        "{what}: {count} of {total} school day, {start} to {end}",
        "{what}: {count} of {total} school days, {start} to {end}",
        total,
    ).format(what=what, count=format_number(count), total=format_number(total), **span)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _day(text: str) -> str:
    try:
        return format_short_day(date.fromisoformat(text))
    except ValueError:
        return "–"
