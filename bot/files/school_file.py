"""The school file (TOML): what it says, checked key by key, each problem on its line."""

from __future__ import annotations

import itertools
import re
import tomllib
import zoneinfo
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from bot.files.policy_tables import read_policy_file, read_policy_tables
from bot.files.reading import CONTROL_CHARACTER, did_you_mean, raise_if_any, read_text
from bot.files.toml_lines import KeyPath, LineLocator
from routine.model import (
    COUNTRY_LANGUAGE,
    AttendanceRules,
    CaseRules,
    Country,
    DateSpan,
    Language,
    LeaveRules,
    OtherReason,
    PolicyOverride,
    PrivacySettings,
    ReportingRules,
    Role,
    School,
    SchoolCalendar,
    SchoolTimes,
    StaffMember,
)
from routine.policy import OriginKind
from routine.setup import InvalidInput, Problem, SchoolSpec

_TOP_KEYS = ("key", "name", "country", "timezone", "language", "classes", "policy_file")
_TOP_TABLES = (
    "times",
    "calendar",
    "privacy",
    "reporting",
    "attendance",
    "leave",
    "cases",
    "policy",
    "staff",
)
_TIME_KEYS = ("roll_call", "report_cutoff", "unreported_prompt", "end_of_day")
# Optional: by default shortly before the roll call is due (see _reminder_time).
_REMINDER_KEY = "roll_call_reminder"
_ESCALATION_KEY = "escalate_after_minutes"
_LONGEST_ESCALATION = 24 * 60
_CALENDAR_KEYS = ("terms", "breaks", "days_off")
_SPAN_KEYS = ("name", "start", "end")
_PRIVACY_KEYS = ("mentor_sees_reason", "mentor_sees_note", "retention_days")
_REPORTING_COUNTS = ("max_days_ahead", "max_span_days", "max_note_length")
_REPORTING_TIMES = ("earliest_time", "latest_time")
_ATTENDANCE_KEYS = ("correction_days", "other_reason")
_LEAVE_COUNTS = ("max_days_ahead", "max_span_days", "max_reason_length", "remind_after_days")
_LEAVE_KEYS = (*_LEAVE_COUNTS, "decided_by")
_CASE_COUNTS = ("quiet_days",)
_STAFF_KEYS = ("id", "name", "slack_user_id", "roles", "classes", "language")

_SCHOOL_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A school file has tables two deep at most; much deeper is no school file, and Python's
# TOML reader recurses once per level (thousands of levels raise RecursionError).
_DEEPEST_NESTING = 32
# The largest sensible value of each count: a longer retention, look-ahead or span than these
# is a typing mistake, and larger numbers break the date arithmetic of the nightly jobs.
_MOST: dict[str, int] = {
    "retention_days": 3660,
    "max_days_ahead": 366,
    "max_span_days": 366,
    "max_note_length": 2000,
    "max_reason_length": 2000,
    "correction_days": 366,
    "remind_after_days": 366,
    "quiet_days": 366,
}

# The countries' own words for the roles (domain guide §1), so a file can say "tovholder".
_ROLE_WORDS: dict[str, Role] = {
    **{role.value: role for role in Role},
    "pupil_health": Role.PUPIL_HEALTH,
    "närvarosamordnare": Role.COORDINATOR,
    "nærværskoordinator": Role.COORDINATOR,
    "tovholder": Role.COORDINATOR,
    "kontaktlærer": Role.MENTOR,
    "rektor": Role.PRINCIPAL,
    "skoleleder": Role.PRINCIPAL,
    "elevhälsa": Role.PUPIL_HEALTH,
    "eht": Role.PUPIL_HEALTH,
    "ppt": Role.PUPIL_HEALTH,
    "helsesykepleier": Role.PUPIL_HEALTH,
    "ppr": Role.PUPIL_HEALTH,
    "kom_i_skole_team": Role.PUPIL_HEALTH,
}


def parse_school_file(path: Path) -> SchoolSpec:
    """Read a school file; raises `InvalidInput` with every problem and its line."""
    text = read_text(path)
    return _SchoolFile(_load_toml(text), LineLocator(text), path.parent).spec()


def _load_toml(text: str) -> dict[str, Any]:
    too_deep = _line_too_deep(text)
    if too_deep is not None:
        message = f"nested more than {_DEEPEST_NESTING} levels deep: no school file is"
        raise InvalidInput([Problem(message, too_deep)])
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput([_toml_problem(str(error), text)]) from error
    except RecursionError:
        # Nesting the scan above did not see (it is deliberately simple): no line to show.
        raise InvalidInput([Problem("nested too deeply to read", 1)]) from None


def _line_too_deep(text: str) -> int | None:
    """The line where arrays and inline tables open more than `_DEEPEST_NESTING` levels deep,
    if they do. Skips strings and comments; invalid TOML is tomllib's to report."""
    depth, line, at, quote = 0, 1, 0, ""
    while at < len(text):
        char = text[at]
        if char == "\n":
            line += 1
        if quote:
            if text.startswith(quote, at):
                at, quote = at + len(quote), ""
                continue
            if char == "\\" and quote[0] == '"':
                # An escape: the next character is part of it (a line break still counts).
                line += text[at + 1 : at + 2] == "\n"
                at += 1
            at += 1
            continue
        if char == "#":
            end = text.find("\n", at)
            at = len(text) if end < 0 else end
            continue
        if char in "\"'":
            quote = text[at : at + 3] if text.startswith(char * 3, at) else char
            at += len(quote)
            continue
        if char in "[{":
            depth += 1
            if depth > _DEEPEST_NESTING:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
        at += 1
    return None


def _toml_problem(message: str, text: str) -> Problem:
    # tomllib puts the position in the message: "Invalid value (at line 3, column 9)".
    if match := re.search(r" \(at line (\d+), column \d+\)$", message):
        return Problem(f"not valid TOML: {message[: match.start()]}", int(match[1]))
    if message.endswith(" (at end of document)"):
        last_line = max(1, len(text.splitlines()))
        reason = message.removesuffix(" (at end of document)")
        return Problem(f"not valid TOML: {reason}", last_line)
    return Problem(f"not valid TOML: {message}", 1)


class _SchoolFile:
    """Checks the parsed TOML, noting every problem, and builds the spec if there is none."""

    def __init__(self, data: dict[str, Any], locator: LineLocator, folder: Path) -> None:
        self.data = data
        self.locator = locator
        # A policy file is named relative to the school file.
        self.folder = folder
        self.problems: list[Problem] = []

    def spec(self) -> SchoolSpec:
        self._control_characters(self.data, ())
        self._unknown_keys(self.data, (), _TOP_KEYS + _TOP_TABLES)
        key = self._school_key()
        name = self._string(self.data, (), "name")
        country = self._country()
        timezone = self._timezone()
        language = self._language(self.data, (), COUNTRY_LANGUAGE.get(country))
        times = self._times()
        calendar = self._calendar()
        privacy = self._privacy()
        reporting = self._reporting()
        attendance = self._attendance()
        leave = self._leave()
        cases = self._cases()
        policy = self._policy(country, privacy.retention_days)
        classes = self._classes()
        staff = self._staff(key, set(classes))
        raise_if_any(self.problems)
        # Every None above came with a problem, so none is left here.
        assert key and name and country and timezone and language
        school = School(
            key,
            name,
            country,
            timezone,
            language,
            times,
            calendar,
            privacy,
            reporting,
            attendance,
            leave,
            policy,
            cases,
        )
        return SchoolSpec(school=school, classes=tuple(classes), staff=tuple(staff))

    # Reporting

    def _report(self, path: KeyPath, message: str) -> None:
        where = ".".join(str(part) for part in path if isinstance(part, str))
        text = f"{where}: {message}" if where else message
        self.problems.append(Problem(text, self.locator.line_of(path)))

    def _control_characters(self, value: object, path: KeyPath) -> None:
        """Every key and string anywhere in the file, however deep, without control
        characters (TOML's escapes, such as \\u0000 or \\t, can write them)."""
        if isinstance(value, dict):
            for key, item in value.items():
                if CONTROL_CHARACTER.search(key):
                    self._report(path, f"the key {key!r} contains a control character")
                self._control_characters(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._control_characters(item, (*path, index))
        elif isinstance(value, str) and (found := CONTROL_CHARACTER.search(value)):
            self._report(
                path,
                f"contains a control character (U+{ord(found[0]):04X}), which no name or id "
                "may hold; remove it",
            )

    def _unknown_keys(
        self, table: dict[str, Any], path: KeyPath, allowed: tuple[str, ...]
    ) -> None:
        for key in table:
            if key in allowed:
                continue
            hint = did_you_mean(key, list(allowed))
            if path and key in _TOP_KEYS:
                hint = f"; {key!r} belongs at the top of the file, before the first [table]"
            self._report((*path, key), f"unknown key {key!r}{hint}")

    def _missing(self, path: KeyPath, key: str) -> None:
        self._report(path, f"missing required key {key!r}")

    # Typed values: each returns None after reporting a problem

    def _value(self, table: dict[str, Any], path: KeyPath, key: str, required: bool) -> Any:
        if key not in table and required:
            self._missing(path, key)
        return table.get(key)

    def _string(
        self, table: dict[str, Any], path: KeyPath, key: str, *, required: bool = True
    ) -> str | None:
        value = self._value(table, path, key, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type((*path, key), "a string", value)
            return None
        if not value.strip():
            self._report((*path, key), "must not be empty")
            return None
        return value.strip()

    def _strings(
        self, table: dict[str, Any], path: KeyPath, key: str, required: bool
    ) -> list[str] | None:
        value = self._value(table, path, key, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self._wrong_type((*path, key), "a list of strings", value)
            return None
        found = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self._report((*path, key, index), f"must be a non-empty string, not {item!r}")
            else:
                found.append(item.strip())
        return found if len(found) == len(value) else None

    def _bool(self, table: dict[str, Any], path: KeyPath, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self._wrong_type((*path, key), "true or false", value)
            return default
        return value

    def _table(self, key: str) -> dict[str, Any]:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            self._wrong_type((key,), "a table", value)
            return {}
        return value

    def _wrong_type(self, path: KeyPath, expected: str, value: object) -> None:
        self._report(path, f"must be {expected}, not {_described(value)}")

    def _date(self, value: object, path: KeyPath) -> date | None:
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self._report(path, f"must be a date such as 2026-08-17, not {value!r}")
        return None

    # Sections

    def _school_key(self) -> str | None:
        key = self._string(self.data, (), "key")
        if key is not None and not _SCHOOL_KEY.fullmatch(key):
            self._report(
                ("key",), f"{key!r} must be lowercase letters, digits, '-' or '_' (at most 64)"
            )
        return key

    def _country(self) -> Country | None:
        value = self._string(self.data, (), "country")
        if value is None:
            return None
        try:
            return Country(value.upper())
        except ValueError:
            choices = ", ".join(country.value for country in Country)
            self._report(("country",), f"unknown country {value!r}; use one of {choices}")
            return None

    def _timezone(self) -> str | None:
        value = self._string(self.data, (), "timezone")
        if value is None:
            return None
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            self._report(("timezone",), f"unknown timezone {value!r}; e.g. 'Europe/Stockholm'")
            return None
        return value

    def _language(
        self, table: dict[str, Any], path: KeyPath, default: Language | None
    ) -> Language | None:
        value = self._string(table, path, "language", required=False)
        if value is None:
            return default
        try:
            return Language.parse(value)
        except ValueError:
            choices = ", ".join(language.value for language in Language)
            self._report((*path, "language"), f"unknown language {value!r}; use one of {choices}")
            return default

    def _times(self) -> SchoolTimes:
        table = self._table("times")
        self._unknown_keys(table, ("times",), (*_TIME_KEYS, _REMINDER_KEY, _ESCALATION_KEY))
        defaults = SchoolTimes()
        found: dict[str, Any] = {
            key: self._clock(table, ("times",), key, getattr(defaults, key)) for key in _TIME_KEYS
        }
        reminder = _reminder_time(found["roll_call"], found["unreported_prompt"])
        found[_REMINDER_KEY] = self._clock(table, ("times",), _REMINDER_KEY, reminder)
        found["escalate_after"] = self._escalation(table, defaults.escalate_after)
        times = SchoolTimes(**found)
        self._check_time_order(times, table)
        return times

    def _escalation(self, table: dict[str, Any], default: timedelta) -> timedelta:
        value = table.get(_ESCALATION_KEY)
        if value is None:
            return default
        whole_minutes = isinstance(value, int) and not isinstance(value, bool)
        if whole_minutes and 1 <= value <= _LONGEST_ESCALATION:
            return timedelta(minutes=value)
        self._report(
            ("times", _ESCALATION_KEY),
            f"must be a number of minutes from 1 to {_LONGEST_ESCALATION}, not {value!r}",
        )
        return default

    def _clock(self, table: dict[str, Any], path: KeyPath, key: str, default: time) -> time:
        value = table.get(key)
        if value is None:
            return default
        if isinstance(value, time) and value.tzinfo is None:
            return value
        if isinstance(value, str) and (match := _CLOCK.fullmatch(value.strip())):
            hours, minutes = int(match[1]), int(match[2])
            if hours < 24 and minutes < 60:
                return time(hours, minutes)
        self._report((*path, key), f'must be a time of day such as "08:15", not {value!r}')
        return default

    def _check_time_order(self, times: SchoolTimes, table: dict[str, Any]) -> None:
        # The "not reported yet" prompt needs both the cut-off and the roll call behind it,
        # and everything happens before the day ends.
        pairs = [
            ("report_cutoff", "unreported_prompt"),
            ("roll_call", "unreported_prompt"),
            ("unreported_prompt", "end_of_day"),
        ]
        if _REMINDER_KEY in table and times.roll_call < times.unreported_prompt:
            # Otherwise it lies between them by construction, or the pair above is wrong.
            pairs += [("roll_call", _REMINDER_KEY), (_REMINDER_KEY, "unreported_prompt")]
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

    def _array_of_tables(self, table: dict[str, Any], path: KeyPath) -> list[dict[str, Any]]:
        value = table.get(path[-1], [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self._wrong_type(path, f"tables written [[{'.'.join(map(str, path))}]]", value)
            return []
        return value

    def _days_off(self, calendar: dict[str, Any]) -> tuple[date, ...]:
        path: KeyPath = ("calendar", "days_off")
        value = calendar.get("days_off", [])
        if not isinstance(value, list):
            self._wrong_type(path, "a list of dates", value)
            return ()
        found = (self._date(item, (*path, index)) for index, item in enumerate(value))
        return tuple(sorted({day for day in found if day is not None}))

    def _privacy(self) -> PrivacySettings:
        table = self._table("privacy")
        path: KeyPath = ("privacy",)
        self._unknown_keys(table, path, _PRIVACY_KEYS)
        defaults = PrivacySettings()
        return PrivacySettings(
            mentor_sees_reason=self._bool(
                table, path, "mentor_sees_reason", defaults.mentor_sees_reason
            ),
            mentor_sees_note=self._bool(
                table, path, "mentor_sees_note", defaults.mentor_sees_note
            ),
            retention_days=self._count(table, path, "retention_days", defaults.retention_days),
        )

    def _reporting(self) -> ReportingRules:
        table = self._table("reporting")
        path: KeyPath = ("reporting",)
        self._unknown_keys(table, path, _REPORTING_COUNTS + _REPORTING_TIMES)
        defaults = ReportingRules()
        counts = {
            key: self._count(table, path, key, getattr(defaults, key)) for key in _REPORTING_COUNTS
        }
        times = {
            key: self._clock(table, path, key, getattr(defaults, key)) for key in _REPORTING_TIMES
        }
        rules = ReportingRules(**counts, **times)
        if rules.latest_time <= rules.earliest_time:
            self._report((*path, "latest_time"), "must be later than earliest_time")
        return rules

    def _attendance(self) -> AttendanceRules:
        table = self._table("attendance")
        path: KeyPath = ("attendance",)
        self._unknown_keys(table, path, _ATTENDANCE_KEYS)
        defaults = AttendanceRules()
        other = table.get("other_reason")
        if other is not None and other not in {o.value for o in OtherReason}:
            choices = " or ".join(repr(o.value) for o in OtherReason)
            self._report((*path, "other_reason"), f"must be {choices}, not {other!r}")
            other = None
        return AttendanceRules(
            correction_days=self._count(table, path, "correction_days", defaults.correction_days),
            other_reason=None if other is None else OtherReason(other),
        )

    def _leave(self) -> LeaveRules:
        table = self._table("leave")
        path: KeyPath = ("leave",)
        self._unknown_keys(table, path, _LEAVE_KEYS)
        defaults = LeaveRules()
        counts = {
            key: self._count(table, path, key, getattr(defaults, key)) for key in _LEAVE_COUNTS
        }
        decided_by = defaults.decided_by
        word = table.get("decided_by")
        if word is not None:
            role = _ROLE_WORDS.get(str(word).casefold().replace(" ", "_").replace("-", "_"))
            if role is None or role is Role.MENTOR:
                self._report(
                    (*path, "decided_by"),
                    f"must be principal, coordinator or pupil_health, not {word!r}",
                )
            else:
                decided_by = role
        return LeaveRules(**counts, decided_by=decided_by)

    def _cases(self) -> CaseRules:
        table = self._table("cases")
        path: KeyPath = ("cases",)
        self._unknown_keys(table, path, _CASE_COUNTS)
        defaults = CaseRules()
        return CaseRules(
            **{key: self._count(table, path, key, getattr(defaults, key)) for key in _CASE_COUNTS}
        )

    def _policy(self, country: Country | None, retention_days: int) -> tuple[PolicyOverride, ...]:
        # The policy file's rules first, so that the school file's own [policy] wins.
        found: list[PolicyOverride] = []
        name = self._string(self.data, (), "policy_file", required=False)
        if name is not None:
            shared, problems = read_policy_file(
                self.folder / name, country=country, retention_days=retention_days
            )
            for problem in problems:
                where = f"line {problem.line}: " if problem.line else ""
                self._report(("policy_file",), f"in {name}, {where}{problem.message}")
            found.extend(shared)
        found.extend(
            read_policy_tables(
                self.data,
                self._report,
                country=country,
                retention_days=retention_days,
                origin=OriginKind.SCHOOL_FILE,
                locator=self.locator,
            )
        )
        return tuple(found)

    def _count(self, table: dict[str, Any], path: KeyPath, key: str, default: int) -> int:
        value = table.get(key, default)
        most = _MOST[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
            self._report((*path, key), f"must be a whole number from 1 to {most}, not {value!r}")
            return default
        return value

    def _classes(self) -> list[str]:
        classes = self._strings(self.data, (), "classes", required=True)
        if classes is None:
            return []
        if not classes:
            self._report(("classes",), "list at least one class")
        first: dict[str, int] = {}
        for index, name in enumerate(classes):
            if name.casefold() in first:
                self._report(("classes", index), f"class {name!r} is listed twice")
            first.setdefault(name.casefold(), index)
        return classes

    def _staff(self, school_key: str | None, classes: set[str]) -> list[StaffMember]:
        tables = self._array_of_tables(self.data, ("staff",))
        members = [
            self._member(school_key or "", index, table, classes)
            for index, table in enumerate(tables)
        ]
        self._check_unique(tables, "id", "staff id")
        self._check_unique(tables, "slack_user_id", "Slack user")
        return [member for member in members if member is not None]

    def _member(
        self, school_key: str, index: int, table: dict[str, Any], classes: set[str]
    ) -> StaffMember | None:
        path: KeyPath = ("staff", index)
        self._unknown_keys(table, path, _STAFF_KEYS)
        before = len(self.problems)
        staff_id = self._string(table, path, "id")
        name = self._string(table, path, "name")
        slack_user_id = self._slack_user_id(table, path)
        roles = self._roles(table, path)
        member_classes = self._member_classes(table, path, classes)
        language = self._language(table, path, None)
        if roles and Role.MENTOR in roles and not member_classes:
            self._report((*path, "roles"), "a mentor needs the classes they mentor in 'classes'")
        if len(self.problems) > before:
            return None
        return StaffMember(
            school_key=school_key,
            staff_id=staff_id,
            name=name,
            roles=roles,
            classes=tuple(sorted(set(member_classes))),
            language=language,
            slack_user_id=slack_user_id,
        )

    def _slack_user_id(self, table: dict[str, Any], path: KeyPath) -> str | None:
        value = self._string(table, path, "slack_user_id")
        if value is not None and not _SLACK_USER_ID.fullmatch(value):
            self._report(
                (*path, "slack_user_id"),
                f"{value!r} is not a Slack user id; they look like U012AB3CD",
            )
        return value

    def _roles(self, table: dict[str, Any], path: KeyPath) -> frozenset[Role] | None:
        words = self._strings(table, path, "roles", required=True)
        if words is None:
            return None
        if not words:
            self._report((*path, "roles"), "list at least one role")
        roles = set()
        for index, word in enumerate(words):
            role = _ROLE_WORDS.get(word.casefold().replace(" ", "_").replace("-", "_"))
            if role is None:
                choices = ", ".join(role.value for role in Role)
                self._report(
                    (*path, "roles", index),
                    f"unknown role {word!r}; use {choices} or a word from docs/school-file.md",
                )
            else:
                roles.add(role)
        return frozenset(roles)

    def _member_classes(
        self, table: dict[str, Any], path: KeyPath, classes: set[str]
    ) -> list[str] | None:
        names = self._strings(table, path, "classes", required=False)
        if names is None:
            return [] if "classes" not in table else None
        known = ", ".join(sorted(classes))
        for index, name in enumerate(names):
            if name not in classes and classes:
                self._report(
                    (*path, "classes", index),
                    f"class {name!r} is not in the school's classes: {known}",
                )
        return names

    def _check_unique(self, tables: list[dict[str, Any]], key: str, what: str) -> None:
        # Checked on the raw tables, so a duplicate is found even next to other problems.
        first: dict[str, int] = {}
        for index, table in enumerate(tables):
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                continue
            value = value.strip()
            if value in first:
                line = self.locator.line_of(("staff", first[value], key))
                self._report(
                    ("staff", index, key), f"{what} {value!r} is already used on line {line}"
                )
            first.setdefault(value, index)


def _described(value: object) -> str:
    # Scalars are shown so the operator sees what was read; tables and arrays would be noise.
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    names = {bool: "boolean", int: "integer", float: "number", str: "string"}
    names |= {date: "date", datetime: "date-time", time: "time"}
    return f"{names.get(type(value), type(value).__name__)} {value!r}"


def _reminder_time(roll_call: time, due: time) -> time:
    """15 minutes before the roll call is due; halfway, if the roll call opens later than that."""
    opens, closes = roll_call.hour * 60 + roll_call.minute, due.hour * 60 + due.minute
    minutes = closes - 15 if closes - 15 > opens else (opens + closes) // 2
    return time(minutes // 60, minutes % 60)
