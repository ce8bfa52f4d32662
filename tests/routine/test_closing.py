"""Closing a case warns of a break within the next five school days (004: 2327–2331)."""

from __future__ import annotations

from datetime import date

from routine.closing import break_ahead
from routine.model import Country, DateSpan, Language, School, SchoolCalendar

AUTUMN = DateSpan(date(2026, 8, 17), date(2026, 12, 18))
SPRING = DateSpan(date(2027, 1, 11), date(2027, 6, 11))
# Swedish autumn break, week 44.
AUTUMN_BREAK = DateSpan(date(2026, 10, 26), date(2026, 10, 30))
SCHOOL = School(
    "se",
    "Ekbackens skola",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    calendar=SchoolCalendar(terms=(AUTUMN, SPRING), breaks=(AUTUMN_BREAK,)),
)


def test_a_break_within_five_school_days_is_named() -> None:
    # Monday 19 October: the school days ahead are 20–23 October and then the break.
    assert break_ahead(SCHOOL, date(2026, 10, 19)) == date(2026, 10, 26)
    # Friday 16 October: five school days ahead end on Friday 23 October, before the break.
    assert break_ahead(SCHOOL, date(2026, 10, 16)) is None


def test_the_end_of_term_is_a_break() -> None:
    # Monday 14 December: the term ends on Friday 18 December; Christmas follows.
    assert break_ahead(SCHOOL, date(2026, 12, 14)) == date(2026, 12, 21)
    assert break_ahead(SCHOOL, date(2026, 11, 30)) is None


def test_a_single_day_off_is_no_break() -> None:
    # Ascension Day, Thursday 13 May 2027, is a public holiday inside a school week.
    assert break_ahead(SCHOOL, date(2027, 5, 10)) is None
