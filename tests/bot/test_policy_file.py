"""The rules as data in the school file's `[policy]` and a shared policy file: precedence,
where each setting comes from, and every problem on its line with "did you mean"."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.files import parse_school_file
from routine.policy import (
    Comparison,
    OriginKind,
    Window,
    WindowKind,
    describe_rule,
    rules_for,
)
from routine.setup import InvalidInput

# Line numbers matter: the tests name the line each problem must be reported on.
SCHOOL = """\
key = "no-test"
name = "Testskolen"
country = "NO"
timezone = "Europe/Oslo"
classes = ["8A"]
{top}
[privacy]
retention_days = 400
{policy}"""


def school_file(tmp_path: Path, policy: str = "", top: str = "", shared: str | None = None):
    if shared is not None:
        (tmp_path / "kommune.toml").write_text(shared, encoding="utf-8")
    path = tmp_path / "school.toml"
    path.write_text(SCHOOL.format(top=top, policy=policy), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        parse_school_file(path)
    return [str(problem) for problem in raised.value.problems]


def rules(path: Path):
    return {rule.id: rule for rule in rules_for(parse_school_file(path).school)}


def test_without_policy_every_rule_is_the_country_default(tmp_path: Path) -> None:
    found = rules(school_file(tmp_path))
    assert list(found)[:4] == [
        "no.invalid_repeated",
        "no.single_days",
        "no.valid_days_term",
        "no.late_month",
    ]
    assert all(rule.origin.kind is OriginKind.DEFAULT for rule in found.values())
    late = found["no.late_month"]
    assert (late.threshold, late.comparison, late.window) == (
        3,
        Comparison.OVER,
        Window(WindowKind.MONTH),
    )


def test_the_school_file_overrides_the_policy_file_which_overrides_the_default(
    tmp_path: Path,
) -> None:
    shared = "[policy.no_late_month]\nthreshold = 4\n\n[policy.no_oslo_share]\nenabled = true\n"
    policy = '\n[policy.no_oslo_share]\nthreshold = 0.12\nwindow = "8w"\n'
    found = rules(school_file(tmp_path, policy, top='policy_file = "kommune.toml"', shared=shared))
    assert found["no.late_month"].threshold == 4
    assert found["no.late_month"].origin.describe() == "policy file line 1"
    oslo = found["no.oslo_share"]
    assert (oslo.enabled, oslo.threshold, oslo.window) == (
        True,
        0.12,
        Window(WindowKind.SCHOOL_DAYS, 40),
    )
    assert oslo.origin.describe() == "school file line 10 over policy file line 4"
    line = describe_rule(oslo)
    assert line.startswith("no.oslo_share")
    assert "on " in line and "over 12 %" in line and "last 40 school days" in line
    assert "[003: 30–38, 136]" in line
    assert "country default" in describe_rule(found["no.single_days"])


def test_a_rule_switched_off(tmp_path: Path) -> None:
    found = rules(school_file(tmp_path, "\n[policy.no_single_days]\nenabled = false\n"))
    assert not found["no.single_days"].enabled
    assert "| off |" in describe_rule(found["no.single_days"])


def test_a_mistyped_rule_key_or_window_gets_did_you_mean(tmp_path: Path) -> None:
    policy = (
        "\n[policy.no_late_mnth]\nthreshold = 4\n"
        '\n[policy.no_single_days]\ntreshold = 4\nwindow = "mnth"\n'
    )
    assert problems(school_file(tmp_path, policy)) == [
        "line 10: policy.no_late_mnth: unknown rule 'no_late_mnth'; did you mean 'no_late_month'?",
        "line 14: policy.no_single_days.treshold: unknown key 'treshold'; "
        "did you mean 'threshold'?",
        "line 15: policy.no_single_days.window: must be like '4w' (weeks), '20d' (school "
        "days), 'month', 'term' or 'quarter', not 'mnth'; did you mean 'month'?",
    ]


def test_a_rule_of_another_country_and_bad_values_are_explained(tmp_path: Path) -> None:
    policy = (
        "\n[policy.se_step2]\nthreshold = 0.2\n"
        "\n[policy.no_oslo_share]\nthreshold = 10\n"
        '\n[policy.no_late_month]\nthreshold = 2.5\nenabled = "yes"\n'
        '\n[policy.no_pupil_concern]\nwindow = "4w"\n'
    )
    assert problems(school_file(tmp_path, policy)) == [
        "line 10: policy.se_step2: 'se_step2' is a rule for SE, not NO",
        "line 14: policy.no_oslo_share.threshold: must be a share between 0 and 1 "
        "(0.15 is 15 %), not 10",
        "line 17: policy.no_late_month.threshold: must be a whole number of at least 1, not 2.5",
        "line 18: policy.no_late_month.enabled: must be true or false, not 'yes'",
        "line 21: policy.no_pupil_concern.window: no.pupil_concern is reported by a person; "
        "it has no window",
    ]


def test_a_window_longer_than_the_record_is_kept(tmp_path: Path) -> None:
    policy = '\n[policy.no_oslo_share]\nwindow = "80w"\n'
    [problem] = problems(school_file(tmp_path, policy))
    assert problem.startswith("line 11: policy.no_oslo_share.window: '80w' reaches back")
    assert "privacy.retention_days = 400" in problem and "did you mean" in problem


def test_problems_in_the_policy_file_name_its_own_lines(tmp_path: Path) -> None:
    shared = 'name = "Kommunen"\n\n[policy.no_late_mont]\nthreshold = 4\n'
    path = school_file(tmp_path, top='policy_file = "kommune.toml"', shared=shared)
    assert problems(path) == [
        "line 6: policy_file: in kommune.toml, line 3: policy.no_late_mont: unknown rule "
        "'no_late_mont'; did you mean 'no_late_month'?"
    ]


def test_a_missing_policy_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    [problem] = problems(school_file(tmp_path, top='policy_file = "nowhere.toml"'))
    assert problem == (
        "line 6: policy_file: in nowhere.toml, cannot read it: No such file or directory"
    )
