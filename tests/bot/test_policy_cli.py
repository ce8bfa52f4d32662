"""`narvaro policy show`: the school's rules as stored with it, one line each."""

from __future__ import annotations

from pathlib import Path

from bot.operator import demo_file
from tests.bot.test_cli import assert_clean_failure, run, school  # noqa: F401 (fixtures)


def test_the_demo_school_shows_the_swedish_defaults(run, school: str) -> None:  # noqa: F811
    shown = run("policy", "show", "--school", school)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert [line.split(" | ")[0].strip() for line in lines] == ["se.step2", "se.step3_review"]
    assert lines[0].split(" | ")[1:] == [
        "on ",
        "absence over 10 % of known school days",
        "last 20 school days",
        "at least 10 known days",
        "country default",
        "[000: 396–402; 001: 1701–1705]",
    ]


def test_a_policy_file_and_the_school_file_are_stored_with_their_lines(
    run,  # noqa: F811
    tmp_path: Path,
) -> None:
    (tmp_path / "kommune.toml").write_text("[policy.no_late_month]\nthreshold = 4\n")
    text = demo_file("no.toml").read_text(encoding="utf-8")
    text = text.replace('country = "NO"', 'country = "NO"\npolicy_file = "kommune.toml"')
    text += "\n[policy.no_oslo_share]\nenabled = true\n"
    lines_before = text.count("\n") - 1
    (tmp_path / "no.toml").write_text(text, encoding="utf-8")
    assert run("db", "upgrade").returncode == 0
    applied = run("school", "apply", str(tmp_path / "no.toml"))
    assert applied.returncode == 0, applied.stderr
    shown = run("policy", "show", "--school", "no-furulund").stdout.splitlines()
    by_id = {line.split(" | ")[0].strip(): line for line in shown}
    assert "late over 4 occurrences" in by_id["no.late_month"]
    assert "policy file line 1" in by_id["no.late_month"]
    assert by_id["no.oslo_share"].split(" | ")[1] == "on "
    assert f"school file line {lines_before}" in by_id["no.oslo_share"]
    assert "country default" in by_id["no.single_days"]


def test_an_unknown_school_is_a_clear_failure(run) -> None:  # noqa: F811
    assert run("db", "upgrade").returncode == 0
    assert_clean_failure(run("policy", "show", "--school", "nowhere"), "nowhere")
