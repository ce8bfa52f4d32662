"""Reading dates and times the way Nordic people type them: 24/11, 24.11., 2026-11-24, 8.30,
and the words for days in Swedish, Norwegian and Danish: "i dag", "imorgon", "i morgen",
"i övermorgon", "fredag", "på fredag", "tors"."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*(\d{2}|\d{4}))?\.?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:\s*[:.]\s*(\d{2}))?$")
_COMPACT_CLOCK = re.compile(r"^(\d{1,2})(\d{2})$")


# Words for days relative to today, in the three languages, as people type them (with or
# without the space: "imorgon", "i morgon").
_RELATIVE = {
    **dict.fromkeys(("idag", "i dag"), 0),
    **dict.fromkeys(("imorgon", "i morgon", "imorgen", "i morgen"), 1),
    **dict.fromkeys(("iövermorgon", "i övermorgon", "iovermorgen", "i overmorgen"), 2),
}
# Weekday names and their usual short forms; Monday is 0. A weekday means the next such day
# after today ("fredag" on a Friday is next week's Friday: today is "i dag").
_WEEKDAYS = {
    **dict.fromkeys(("måndag", "mandag", "mån", "man"), 0),
    **dict.fromkeys(("tisdag", "tirsdag", "tis", "tir", "tirs"), 1),
    **dict.fromkeys(("onsdag", "ons"), 2),
    **dict.fromkeys(("torsdag", "tor", "tors"), 3),
    **dict.fromkeys(("fredag", "fre"), 4),
    **dict.fromkeys(("lördag", "lørdag", "lør", "lör"), 5),
    **dict.fromkeys(("söndag", "søndag", "sön", "søn"), 6),
}
# "På fredag" is the coming Friday. "Nästa fredag" is not read: it can mean this week's or
# next week's, so the person is asked again rather than guessed for.
_FILLERS = ("på ", "nu på ")


def parse_day(text: str, today: date) -> date | None:
    """A typed date, or None. Without a year, the nearest such date not long past is meant."""
    cleaned = text.strip()
    if (found := _day_in_words(cleaned, today)) is not None:
        return found
    if match := _ISO.match(cleaned):
        return _safe_date(*(int(part) for part in match.groups()))
    match = _DAY_MONTH.match(cleaned)
    if not match:
        return None
    day, month, year = match.groups()
    if year is not None:
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        return _safe_date(full_year, int(month), int(day))
    this_year = _safe_date(today.year, int(month), int(day))
    if this_year is not None and (today - this_year).days > 180:
        return _safe_date(today.year + 1, int(month), int(day))
    return this_year


def _day_in_words(text: str, today: date) -> date | None:
    words = " ".join(text.casefold().rstrip(".!").split())
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words])
    for filler in _FILLERS:
        words = words.removeprefix(filler)
    if words in _WEEKDAYS:
        ahead = (_WEEKDAYS[words] - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    return None


def parse_clock(text: str) -> time | None:
    cleaned = text.strip()
    match = _CLOCK.match(cleaned) or _COMPACT_CLOCK.match(cleaned)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_id(text: str) -> bool:
    """A database id as we write them into buttons: ASCII digits, and small enough for any
    integer column (a forged "²" or a huge number is no id)."""
    return text.isascii() and text.isdecimal() and len(text) <= 9
