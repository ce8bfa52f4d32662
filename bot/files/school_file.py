"""The school file (TOML): what it says, checked key by key, each problem on its line."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Any

from bot.files.calendar_tables import CalendarTables
from bot.files.checked_toml import load_toml
from bot.files.policy_tables import read_policy_file, read_policy_tables
from bot.files.reading import raise_if_any, read_text
from bot.files.staff_tables import ROLE_WORDS, StaffTables
from bot.files.toml_lines import KeyPath, LineLocator
from routine.model import (
    COUNTRY_LANGUAGE,
    AttendanceRules,
    CaseRules,
    Country,
    LeaveRules,
    OtherReason,
    PolicyOverride,
    PrivacySettings,
    ReportingRules,
    Role,
    School,
)
from routine.policy import OriginKind
from routine.setup import SchoolSpec

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
_PRIVACY_KEYS = ("mentor_sees_reason", "mentor_sees_note", "retention_days")
_REPORTING_COUNTS = ("max_days_ahead", "max_span_days", "max_note_length")
_REPORTING_TIMES = ("earliest_time", "latest_time")
_ATTENDANCE_KEYS = ("correction_days", "other_reason")
_LEAVE_COUNTS = ("max_days_ahead", "max_span_days", "max_reason_length", "remind_after_days")
_LEAVE_KEYS = (*_LEAVE_COUNTS, "decided_by")
_CASES_KEYS = ("remind_ahead_days", "overdue_after_days", "nothing_new_days")

_SCHOOL_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
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
    "remind_ahead_days": 20,
    "overdue_after_days": 60,
    "nothing_new_days": 60,
}


def parse_school_file(path: Path) -> SchoolSpec:
    """Read a school file; raises `InvalidInput` with every problem and its line."""
    text = read_text(path)
    return _SchoolFile(load_toml(text), LineLocator(text), path.parent).spec()


class _SchoolFile(CalendarTables, StaffTables):
    """Checks the parsed TOML, noting every problem, and builds the spec if there is none."""

    def __init__(self, data: dict[str, Any], locator: LineLocator, folder: Path) -> None:
        super().__init__(data, locator, top_keys=_TOP_KEYS, most=_MOST)
        # A policy file is named relative to the school file.
        self.folder = folder

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
            role = ROLE_WORDS.get(str(word).casefold().replace(" ", "_").replace("-", "_"))
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
        self._unknown_keys(table, path, _CASES_KEYS)
        defaults = CaseRules()
        return CaseRules(
            **{key: self._count(table, path, key, getattr(defaults, key)) for key in _CASES_KEYS}
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
