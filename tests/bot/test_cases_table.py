"""The school file's `[cases]`: when a case's tasks are reminded and nudged; defaults, values,
typos with a suggestion, and bounds, each on its line; stored and read back with the school."""

from __future__ import annotations

from pathlib import Path

from bot.files import parse_school_file
from routine.model import CaseRules
from tests.bot.file_samples import SCHOOL, changed, problems_of, write


def test_without_a_cases_table_the_defaults_hold(tmp_path: Path) -> None:
    school = parse_school_file(write(tmp_path, SCHOOL)).school
    assert school.cases == CaseRules()
    assert (school.cases.remind_ahead_days, school.cases.overdue_after_days) == (2, 3)


def test_the_cases_table_sets_the_rhythm(tmp_path: Path) -> None:
    text = changed(
        SCHOOL,
        "retention_days = 400",
        "retention_days = 400\n\n[cases]\nremind_ahead_days = 1\noverdue_after_days = 5\n"
        "nothing_new_days = 7",
    )
    school = parse_school_file(write(tmp_path, text)).school
    assert school.cases == CaseRules(remind_ahead_days=1, overdue_after_days=5, nothing_new_days=7)


def test_a_typo_is_answered_with_the_key_it_meant(tmp_path: Path) -> None:
    text = changed(
        SCHOOL,
        "retention_days = 400",
        "retention_days = 400\n\n[cases]\noverdue_after_dais = 5\nnothing_new_days = 0",
    )
    assert problems_of(parse_school_file, write(tmp_path, text)) == [
        "line 22: cases.overdue_after_dais: unknown key 'overdue_after_dais'; did you mean "
        "'overdue_after_days'?",
        "line 23: cases.nothing_new_days: must be a whole number from 1 to 60, not 0",
    ]
