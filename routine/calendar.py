"""School days: inside a term, not a weekend, not a public holiday, not a break or a day off.

Public holidays come from the `holidays` package (plain data, no I/O) for the school's country;
terms, breaks and extra days off come from the school file.
"""

from __future__ import annotations

import functools
from datetime import date, timedelta

import holidays

from routine.model import Country, School

SATURDAY = 5


@functools.cache
def public_holidays(country: Country, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country.value, years=year))


def is_school_day(school: School, day: date) -> bool:
    calendar = school.calendar
    if day.weekday() >= SATURDAY or day in public_holidays(school.country, day.year):
        return False
    if day in calendar.days_off or any(day in span for span in calendar.breaks):
        return False
    # A school that has not entered its terms yet is taken to be in term.
    return not calendar.terms or any(day in term for term in calendar.terms)


def next_school_days(school: School, start: date, count: int) -> list[date]:
    """Up to `count` school days from `start` on, looking no further than half a year."""
    days, day = [], start
    while len(days) < count and day < start + timedelta(days=180):
        if is_school_day(school, day):
            days.append(day)
        day += timedelta(days=1)
    return days


def next_school_day_after(school: School, day: date) -> date | None:
    found = next_school_days(school, day + timedelta(days=1), 1)
    return found[0] if found else None
