"""The school file's [times] and [calendar]: when each daily job runs, and the terms, breaks and
days off, each checked with its line."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from typing import Any

from bot.files.checked_toml import CheckedToml
from bot.files.toml_lines import KeyPath
from routine.model import DateSpan, SchoolCalendar, SchoolTimes

TIME_KEYS = ("roll_call", "report_cutoff", "unreported_prompt", "end_of_day")
# Optional: by default shortly before the roll call is due (see _reminder_time).
REMINDER_KEY = "roll_call_reminder"
ESCALATION_KEY = "escalate_after_minutes"
_LONGEST_ESCALATION = 24 * 60
_CALENDAR_KEYS = ("terms", "breaks", "days_off")
_SPAN_KEYS = ("name", "start", "end")


class CalendarTables(CheckedToml):
    """The [times] and [calendar] sections of a school file."""

    def _times(self) -> SchoolTimes:
        table = self._table("times")
        self._unknown_keys(table, ("times",), (*TIME_KEYS, REMINDER_KEY, ESCALATION_KEY))
        defaults = SchoolTimes()
        found: dict[str, Any] = {
            key: self._clock(table, ("times",), key, getattr(defaults, key)) for key in TIME_KEYS
        }
        reminder = _reminder_time(found["roll_call"], found["unreported_prompt"])
        found[REMINDER_KEY] = self._clock(table, ("times",), REMINDER_KEY, reminder)
        found["escalate_after"] = self._escalation(table, defaults.escalate_after)
        times = SchoolTimes(**found)
        self._check_time_order(times, table)
        return times

    def _escalation(self, table: dict[str, Any], default: timedelta) -> timedelta:
        value = table.get(ESCALATION_KEY)
        if value is None:
            return default
        whole_minutes = isinstance(value, int) and not isinstance(value, bool)
        if whole_minutes and 1 <= value <= _LONGEST_ESCALATION:
            return timedelta(minutes=value)
        self._report(
            ("times", ESCALATION_KEY),
            f"must be a number of minutes from 1 to {_LONGEST_ESCALATION}, not {value!r}",
        )
        return default

    def _check_time_order(self, times: SchoolTimes, table: dict[str, Any]) -> None:
        # The "not reported yet" prompt needs both the cut-off and the roll call behind it,
        # and everything happens before the day ends.
        pairs = [
            ("report_cutoff", "unreported_prompt"),
            ("roll_call", "unreported_prompt"),
            ("unreported_prompt", "end_of_day"),
        ]
        if REMINDER_KEY in table and times.roll_call < times.unreported_prompt:
            # Otherwise it lies between them by construction, or the pair above is wrong.
            pairs += [("roll_call", REMINDER_KEY), (REMINDER_KEY, "unreported_prompt")]
        for earlier, later in pairs:
            first, then = getattr(times, earlier), getattr(times, later)
            if first < then:
                continue
            # Point at a key the operator wrote; the other one may be a default.
            key = later if later in table else earlier
            self._report(
                ("times", key),
                f"{later} ({then:%H:%M}) must be later than {earlier} ({first:%H:%M})",
            )

    def _calendar(self) -> SchoolCalendar:
        table = self._table("calendar")
        path: KeyPath = ("calendar",)
        self._unknown_keys(table, path, _CALENDAR_KEYS)
        terms = self._spans(table, "terms")
        self._check_overlaps(terms, "terms")
        breaks = self._spans(table, "breaks")
        days_off = self._days_off(table)
        return SchoolCalendar(
            terms=tuple(span for span, _ in terms),
            breaks=tuple(span for span, _ in breaks),
            days_off=days_off,
        )

    def _spans(self, calendar: dict[str, Any], key: str) -> list[tuple[DateSpan, KeyPath]]:
        path: KeyPath = ("calendar", key)
        tables = self._array_of_tables(calendar, path)
        spans = []
        for index, table in enumerate(tables):
            span_path = (*path, index)
            self._unknown_keys(table, span_path, _SPAN_KEYS)
            name = self._string(table, span_path, "name", required=False) or ""
            start = self._span_date(table, span_path, "start")
            end = self._span_date(table, span_path, "end")
            if start is None or end is None:
                continue
            if end < start:
                self._report((*span_path, "end"), f"{end} is before start {start}")
                continue
            spans.append((DateSpan(start, end, name), span_path))
        return sorted(spans, key=lambda pair: pair[0].start)

    def _span_date(self, table: dict[str, Any], path: KeyPath, key: str) -> date | None:
        if key not in table:
            self._missing(path, key)
            return None
        return self._date(table[key], (*path, key))

    def _check_overlaps(self, spans: list[tuple[DateSpan, KeyPath]], what: str) -> None:
        for (before, _), (after, path) in itertools.pairwise(spans):
            if after.start <= before.end:
                self._report(
                    (*path, "start"),
                    f"{what} overlap: {after.start} is before {before.end},"
                    f" the end of {before.name or before.start}",
                )

    def _days_off(self, calendar: dict[str, Any]) -> tuple[date, ...]:
        path: KeyPath = ("calendar", "days_off")
        value = calendar.get("days_off", [])
        if not isinstance(value, list):
            self._wrong_type(path, "a list of dates", value)
            return ()
        found = (self._date(item, (*path, index)) for index, item in enumerate(value))
        return tuple(sorted({day for day in found if day is not None}))


def _reminder_time(roll_call: time, due: time) -> time:
    """15 minutes before the roll call is due; halfway, if the roll call opens later than that."""
    opens, closes = roll_call.hour * 60 + roll_call.minute, due.hour * 60 + due.minute
    minutes = closes - 15 if closes - 15 > opens else (opens + closes) // 2
    return time(minutes // 60, minutes % 60)
