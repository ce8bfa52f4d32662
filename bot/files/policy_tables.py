"""The `[policy]` tables of a school file or of a policy file that several schools share.

`[policy.se_step2]` changes the rule `se.step2` (routine.policy): `enabled`, `threshold`,
`window`, `min_known_days`. Every problem is reported on its line, with "did you mean" for a
mistyped rule, key or window, and a window that reaches back further than the data is kept.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.files.reading import did_you_mean, read_text
from bot.files.toml_lines import KeyPath, LineLocator
from routine.model import Country, PolicyOverride
from routine.policy import DEFAULTS, Measure, OriginKind, Rule, Window, WindowKind, rule_key
from routine.setup import InvalidInput, Problem

RULE_KEYS = ("enabled", "threshold", "window", "min_known_days")
WINDOW_WORDS = [kind.value for kind in WindowKind if kind not in (WindowKind.SCHOOL_DAYS,)]
WINDOW_HINT = "like '4w' (weeks), '20d' (school days), 'month', 'term' or 'quarter'"
POLICY_FILE_KEYS = ("policy", "name")

Report = Callable[[KeyPath, str], None]


def read_policy_tables(
    data: dict[str, Any],
    report: Report,
    *,
    country: Country | None,
    retention_days: int,
    origin: OriginKind,
    locator: LineLocator,
) -> list[PolicyOverride]:
    """The overrides in `data["policy"]`; every problem goes to `report` with its key path."""
    table = data.get("policy", {})
    if not isinstance(table, dict):
        report(("policy",), "must be a table such as [policy.se_step2]")
        return []
    rules = _rules(country)
    others = {rule_key(r.id): c for c, rs in DEFAULTS.items() for r in rs if c is not country}
    found = []
    for key, settings in table.items():
        path: KeyPath = ("policy", key)
        rule = rules.get(key)
        if rule is None:
            if key in others and country is not None:
                report(path, f"{key!r} is a rule for {others[key].value}, not {country.value}")
            else:
                report(path, f"unknown rule {key!r}{did_you_mean(key, list(rules))}")
            continue
        if not isinstance(settings, dict):
            report(path, f"must be a table: [policy.{key}]")
            continue
        override = _Rule(rule, path, report, retention_days).read(settings)
        if override is not None:
            line = locator.line_of(path)
            found.append(PolicyOverride(rule.id, origin.value, line, **override))
    return found


def read_policy_file(
    file: Path, *, country: Country | None, retention_days: int
) -> tuple[list[PolicyOverride], list[Problem]]:
    """A policy file's overrides, and its problems as they read in the file itself."""
    try:
        text = read_text(file)
    except InvalidInput as unreadable:
        return [], [Problem(p.message.replace(str(file), "it")) for p in unreadable.problems]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return [], [Problem(f"not valid TOML: {error}")]
    locator = LineLocator(text)
    problems: list[Problem] = []

    def report(path: KeyPath, message: str) -> None:
        where = ".".join(str(part) for part in path)
        problems.append(Problem(f"{where}: {message}", locator.line_of(path)))

    for key in data:
        if key not in POLICY_FILE_KEYS:
            report((key,), f"unknown key {key!r}{did_you_mean(key, list(POLICY_FILE_KEYS))}")
    overrides = read_policy_tables(
        data,
        report,
        country=country,
        retention_days=retention_days,
        origin=OriginKind.POLICY_FILE,
        locator=locator,
    )
    return overrides, problems


def _rules(country: Country | None) -> dict[str, Rule]:
    countries = [country] if country is not None else list(Country)
    return {rule_key(rule.id): rule for c in countries for rule in DEFAULTS[c]}


class _Rule:
    def __init__(self, rule: Rule, path: KeyPath, report: Report, retention_days: int) -> None:
        self.rule, self.path, self.report = rule, path, report
        self.retention_days = retention_days
        self.ok = True

    def problem(self, key: str, message: str) -> None:
        self.ok = False
        self.report((*self.path, key), message)

    def read(self, settings: dict[str, Any]) -> dict[str, Any] | None:
        for key in settings:
            if key not in RULE_KEYS:
                self.problem(key, f"unknown key {key!r}{did_you_mean(key, list(RULE_KEYS))}")
        event = self.rule.measure is Measure.EVENT
        for key in ("threshold", "window", "min_known_days"):
            if event and key in settings:
                self.problem(key, f"{self.rule.id} is reported by a person; it has no {key}")
        found = {
            "enabled": self._enabled(settings.get("enabled")),
            "threshold": None if event else self._threshold(settings.get("threshold")),
            "window": None if event else self._window(settings.get("window")),
            "min_known_days": self._count(settings.get("min_known_days")),
        }
        return found if self.ok else None

    def _enabled(self, value: object) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.problem("enabled", f"must be true or false, not {value!r}")
        return None

    def _threshold(self, value: object) -> float | None:
        if value is None:
            return None
        if self.rule.measure is Measure.SHARE:
            if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1:
                return float(value)
            self.problem(
                "threshold", f"must be a share between 0 and 1 (0.15 is 15 %), not {value!r}"
            )
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.problem("threshold", f"must be a whole number of at least 1, not {value!r}")
        return None

    def _window(self, value: object) -> str | None:
        if value is None:
            return None
        try:
            window = Window.parse(str(value))
        except ValueError:
            hint = did_you_mean(str(value).strip().lower(), WINDOW_WORDS)
            self.problem("window", f"must be {WINDOW_HINT}, not {value!r}{hint}")
            return None
        if window.longest_days() > self.retention_days:
            self.problem(
                "window",
                f"{value!r} reaches back further than the record is kept "
                f"(privacy.retention_days = {self.retention_days}); did you mean a shorter "
                "window, or to keep the record longer?",
            )
            return None
        return str(value).strip().lower()

    def _count(self, value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
        self.problem("min_known_days", f"must be a whole number of at least 1, not {value!r}")
        return None
