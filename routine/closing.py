"""Closing a case: when a break is too close.

"Afsluttes en indsats eller et forløb eksempelvis lige op til en ferie eller en anden overgang,
som er særligt sårbar, kan det potentielt betyde et tilbagefald i den positive udvikling"
(004: 2327–2331). So closing a case warns when a break, or the end of the term, begins within
the next `WITHIN` school days; the questions to talk through before closing are
`routine.guides.CLOSING` (004: 2296–2326).
"""

from __future__ import annotations

from datetime import date, timedelta

from routine.calendar import is_school_day, next_school_days
from routine.model import School

# "lige op til en ferie": within a school week.
WITHIN = 5


def break_ahead(school: School, today: date, within: int = WITHIN) -> date | None:
    """The first weekday without school that begins a break (a school break, the end of a
    term) within the next `within` school days after today; None if there is none. A single
    day off or a public holiday inside a school week is not a break."""
    ahead = next_school_days(school, today + timedelta(days=1), within)
    if not ahead:
        return None
    last = ahead[-1]
    for span in school.calendar.breaks:
        if today < span.start <= last:
            return span.start
    for term in school.calendar.terms:
        after = term.end + timedelta(days=1)
        if today < after <= last + timedelta(days=1) and not is_school_day(school, after):
            return _first_weekday(after)
    return None


def _first_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
