"""`narvaro attendance show`: one pupil's record, day by day, and its totals, for an operator
(English, like all CLI output)."""

from __future__ import annotations

from datetime import date, timedelta

from routine.model import Pupil, School
from routine.record import DayRecord, DayStatus, Totals, totals

# Without terms, the default look back: long enough to see a pattern, short enough to read.
DEFAULT_WEEKS = 4
# Not strftime's %a, which follows the machine's locale.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HEADER = (
    f"{'date':<10}  {'day':<3}  {'state':<10}  {'code':<12}  {'validity':<11}  "
    f"{'source':<10}  {'minutes':>7}  {'lessons':>7}"
)


def default_period(school: School, today: date) -> tuple[date, date]:
    """The current term up to yesterday: the latest term begun by then (a break or the
    summer shows the term before it). Without terms, the last four weeks."""
    yesterday = today - timedelta(days=1)
    begun = [term for term in school.calendar.terms if term.start <= yesterday]
    if not begun:
        return yesterday - timedelta(weeks=DEFAULT_WEEKS) + timedelta(days=1), yesterday
    term = max(begun, key=lambda t: t.start)
    return term.start, min(term.end, yesterday)


def describe_record(
    school: School, pupil: Pupil, start: date, end: date, days: list[DayRecord]
) -> list[str]:
    lines = [
        f"{pupil.pupil_id} ({pupil.name}, {pupil.class_name}) at {school.key}, {start} to {end}",
        HEADER,
    ]
    lines.extend(_day_line(day) for day in days)
    lines.append(describe_totals(totals(days)))
    return lines


def _day_line(day: DayRecord) -> str:
    validity = "-"
    if day.status not in (DayStatus.PRESENT, DayStatus.UNKNOWN):
        validity = {True: "valid", False: "invalid", None: "unexplained"}[day.valid]
    minutes = "-" if day.minutes is None else str(day.minutes)
    source = "-" if day.status is DayStatus.UNKNOWN else day.source.value
    weekday = WEEKDAYS[day.day.weekday()]
    return (
        f"{day.day:%Y-%m-%d}  {weekday}  {day.status.value:<10}  {day.code or '-':<12}  "
        f"{validity:<11}  {source:<10}  {minutes:>7}  {day.lessons_absent:>7}"
    )


def describe_totals(found: Totals) -> str:
    share = found.absent_share
    shown = "no known days, no share" if share is None else f"absent {share:.1%} of known days"
    return (
        f"School days {found.school_days}, known {found.known}, absent {found.absent} "
        f"(valid {found.valid}, invalid {found.invalid}, unexplained {found.unexplained}), "
        f"late {found.late}, left early {found.left_early}, unknown {found.unknown}; "
        f"{shown}."
    )
