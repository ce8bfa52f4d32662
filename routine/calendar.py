"""School days from the school file: inside a term, not a weekend, not a break or a day off.

Public holidays per country arrive with the school-clock issue (the `holidays` package); until
then a school lists them as days off.
"""

from __future__ import annotations

from datetime import date, timedelta

from routine.model import SchoolCalendar

SATURDAY = 5


def is_school_day(calendar: SchoolCalendar, day: date) -> bool:
    if day.weekday() >= SATURDAY or day in calendar.days_off:
        return False
    if any(day in span for span in calendar.breaks):
        return False
    # A school that has not entered its terms yet is taken to be in term.
    return not calendar.terms or any(day in term for term in calendar.terms)


def next_school_days(calendar: SchoolCalendar, start: date, count: int) -> list[date]:
    """Up to `count` school days from `start` on, looking no further than a term's length."""
    days, day = [], start
    while len(days) < count and day < start + timedelta(days=180):
        if is_school_day(calendar, day):
            days.append(day)
        day += timedelta(days=1)
    return days
