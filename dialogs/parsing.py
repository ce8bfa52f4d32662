"""Reading dates and times the way Nordic people type them: 24/11, 24.11., 2026-11-24, 8.30."""

from __future__ import annotations

import re
from datetime import date, time

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DAY_MONTH = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})(?:\s*[./-]\s*(\d{2}|\d{4}))?\.?$")
_CLOCK = re.compile(r"^(\d{1,2})(?:\s*[:.]\s*(\d{2}))?$")
_COMPACT_CLOCK = re.compile(r"^(\d{1,2})(\d{2})$")


def parse_day(text: str, today: date) -> date | None:
    """A typed date, or None. Without a year, the nearest such date not long past is meant."""
    cleaned = text.strip()
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
