from datetime import date

from routine.calendar import is_school_day, next_school_days
from routine.model import DateSpan, SchoolCalendar

CALENDAR = SchoolCalendar(
    terms=(DateSpan(date(2026, 8, 17), date(2026, 12, 18)),),
    breaks=(DateSpan(date(2026, 11, 2), date(2026, 11, 6), "Höstlov"),),
    days_off=(date(2026, 11, 25),),
)


def test_weekends_breaks_days_off_and_days_outside_terms_are_not_school_days() -> None:
    assert [
        is_school_day(CALENDAR, day)
        for day in (
            date(2026, 11, 23),  # Monday in term
            date(2026, 11, 28),  # Saturday
            date(2026, 11, 4),  # autumn break
            date(2026, 11, 25),  # a day off
            date(2026, 12, 21),  # after the term
        )
    ] == [True, False, False, False, False]


def test_without_terms_every_weekday_is_a_school_day() -> None:
    assert is_school_day(SchoolCalendar(), date(2026, 12, 21))
    assert not is_school_day(SchoolCalendar(), date(2026, 12, 20))


def test_next_school_days_skip_what_is_not_a_school_day() -> None:
    assert next_school_days(CALENDAR, date(2026, 11, 24), 4) == [
        date(2026, 11, 24),
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 30),
    ]


def test_next_school_days_stop_at_the_end_of_the_school_year() -> None:
    assert next_school_days(CALENDAR, date(2026, 12, 17), 5) == [
        date(2026, 12, 17),
        date(2026, 12, 18),
    ]
