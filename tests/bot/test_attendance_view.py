"""`narvaro attendance show`'s default period and totals line."""

from __future__ import annotations

import dataclasses
from datetime import date

from bot.attendance_view import default_period, describe_totals
from routine.model import DateSpan, SchoolCalendar
from routine.record import Totals
from tests.storage.support import EKBACKA, FJELL

AUTUMN, SPRING = EKBACKA.calendar.terms  # 2025-08-18..12-19 and 2026-01-08..06-12


def test_the_default_period_is_the_current_term_up_to_yesterday() -> None:
    assert default_period(EKBACKA, date(2025, 11, 20)) == (AUTUMN.start, date(2025, 11, 19))
    # The first day of term: yesterday is in no term yet, so the term before it.
    assert default_period(EKBACKA, date(2026, 1, 8)) == (AUTUMN.start, AUTUMN.end)
    # In the summer: the term that ended.
    assert default_period(EKBACKA, date(2026, 7, 1)) == (SPRING.start, SPRING.end)


def test_without_terms_the_default_period_is_the_last_four_weeks() -> None:
    assert not FJELL.calendar.terms
    assert default_period(FJELL, date(2025, 11, 20)) == (date(2025, 10, 23), date(2025, 11, 19))
    before_any = dataclasses.replace(
        FJELL, calendar=SchoolCalendar(terms=(DateSpan(date(2026, 8, 17), date(2026, 12, 18)),))
    )
    assert default_period(before_any, date(2026, 8, 1)) == (date(2026, 7, 4), date(2026, 7, 31))


def test_the_totals_leave_unknown_days_out_of_the_share() -> None:
    assert describe_totals(Totals()) == (
        "School days 0, known 0, absent 0 (valid 0, invalid 0, unexplained 0), late 0,"
        " left early 0, unknown 0; no known days, no share."
    )
    assert describe_totals(Totals(school_days=5, known=4, absent=1, unknown=1)).endswith(
        "unknown 1; absent 25.0% of known days."
    )
