from datetime import date

import pytest

from routine.calendar import is_school_day, next_school_day_after, next_school_days
from routine.model import Country, DateSpan, Language, School, SchoolCalendar

CALENDAR = SchoolCalendar(
    terms=(
        DateSpan(date(2026, 8, 17), date(2026, 12, 18)),
        DateSpan(date(2027, 1, 11), date(2027, 6, 11)),
    ),
    breaks=(DateSpan(date(2026, 11, 2), date(2026, 11, 6), "Höstlov"),),
    days_off=(date(2026, 11, 25),),
)


def school(country: Country = Country.SE, calendar: SchoolCalendar = CALENDAR) -> School:
    return School("s", "S", country, "Europe/Stockholm", Language.SV, calendar=calendar)


def test_weekends_breaks_days_off_and_days_outside_terms_are_not_school_days() -> None:
    assert [
        is_school_day(school(), day)
        for day in (
            date(2026, 11, 23),  # Monday in term
            date(2026, 11, 28),  # Saturday
            date(2026, 11, 4),  # autumn break
            date(2026, 11, 25),  # a day off
            date(2026, 12, 21),  # after the term
        )
    ] == [True, False, False, False, False]


@pytest.mark.parametrize(
    ("country", "day", "why"),
    [
        (Country.SE, date(2027, 1, 6), "trettondedag jul"),
        (Country.SE, date(2027, 5, 6), "Kristi himmelfärds dag"),
        (Country.NO, date(2027, 5, 17), "grunnlovsdagen"),
        (Country.NO, date(2027, 3, 25), "skjærtorsdag"),
        (Country.DK, date(2027, 3, 25), "skærtorsdag"),
        (Country.DK, date(2027, 5, 17), "2. pinsedag"),
    ],
)
def test_public_holidays_of_the_school_s_country_are_not_school_days(
    country: Country, day: date, why: str
) -> None:
    assert not is_school_day(school(country), day), why


def test_a_holiday_in_one_country_is_a_school_day_in_another() -> None:
    constitution_day = date(2027, 5, 17)  # a Monday
    assert [is_school_day(school(c), constitution_day) for c in Country] == [True, False, False]


def test_without_terms_every_weekday_that_is_not_a_holiday_is_a_school_day() -> None:
    open_ended = school(calendar=SchoolCalendar())
    assert is_school_day(open_ended, date(2026, 12, 21))
    assert not is_school_day(open_ended, date(2026, 12, 20))
    assert not is_school_day(open_ended, date(2026, 12, 25))


def test_next_school_days_skip_what_is_not_a_school_day() -> None:
    assert next_school_days(school(), date(2026, 11, 24), 4) == [
        date(2026, 11, 24),
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]


def test_the_next_school_day_after_the_christmas_break() -> None:
    assert next_school_day_after(school(), date(2026, 12, 18)) == date(2027, 1, 11)
    assert next_school_day_after(school(), date(2027, 6, 11)) is None
