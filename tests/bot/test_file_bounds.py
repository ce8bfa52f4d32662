"""What the input checks refuse because the code could not use it, each on its line: nesting
too deep for the TOML reader, numbers beyond what the rules and the database can hold, and
control characters in names and ids (NUL ends on PostgreSQL as a misleading database error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.files import parse_roster_csv, parse_school_file
from tests.bot.file_samples import ROSTER, SCHOOL, changed, problems_of, write

BEYOND_INT64 = 2**63


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "retention_days = 400",
            "retention_days = 100000000",
            [
                "line 19: privacy.retention_days: must be a whole number from 1 to 3660, "
                "not 100000000"
            ],
            id="retention-days",
        ),
        pytest.param(
            "retention_days = 400",
            f"retention_days = {BEYOND_INT64}",
            [
                "line 19: privacy.retention_days: must be a whole number from 1 to 3660, "
                f"not {BEYOND_INT64}"
            ],
            id="integer-beyond-64-bits",
        ),
        pytest.param(
            "retention_days = 400",
            "retention_days = 400\n\n[reporting]\nmax_days_ahead = 100000000\n"
            "max_span_days = 367\nmax_note_length = 2001",
            [
                "line 22: reporting.max_days_ahead: must be a whole number from 1 to 366, "
                "not 100000000",
                "line 23: reporting.max_span_days: must be a whole number from 1 to 366, not 367",
                "line 24: reporting.max_note_length: must be a whole number from 1 to 2000, "
                "not 2001",
            ],
            id="reporting-counts",
        ),
        pytest.param(
            "retention_days = 400",
            "retention_days = 400\n\n[reporting]\nmax_days_ahead = 1e8",
            [
                "line 22: reporting.max_days_ahead: must be a whole number from 1 to 366, "
                "not 100000000.0"
            ],
            id="a-float-is-no-count",
        ),
        pytest.param(
            "retention_days = 400",
            f"retention_days = 400\n\n[leave]\nmax_days_ahead = {BEYOND_INT64}\n"
            "max_span_days = 1000\nmax_reason_length = 5000\nremind_after_days = 400\n\n"
            "[attendance]\ncorrection_days = 9999",
            [
                "line 22: leave.max_days_ahead: must be a whole number from 1 to 366, "
                f"not {BEYOND_INT64}",
                "line 23: leave.max_span_days: must be a whole number from 1 to 366, not 1000",
                "line 24: leave.max_reason_length: must be a whole number from 1 to 2000, "
                "not 5000",
                "line 25: leave.remind_after_days: must be a whole number from 1 to 366, not 400",
                "line 28: attendance.correction_days: must be a whole number from 1 to 366, "
                "not 9999",
            ],
            id="leave-and-attendance-counts",
        ),
        pytest.param(
            'name = "Testskolan"',
            'name = "Test\\u0000skolan"',
            [
                "line 2: name: contains a control character (U+0000), which no name or id may "
                "hold; remove it"
            ],
            id="nul-in-the-school-name",
        ),
        pytest.param(
            'name = "Johan"',
            'name = "Johan\\tBerg"',
            [
                "line 30: staff.name: contains a control character (U+0009), which no name or "
                "id may hold; remove it"
            ],
            id="tab-in-a-staff-name",
        ),
        pytest.param(
            'id = "S-2"',
            'id = "S-2\\u007f"',
            [
                "line 29: staff.id: contains a control character (U+007F), which no name or id "
                "may hold; remove it"
            ],
            id="del-in-a-staff-id",
        ),
        pytest.param(
            'classes = ["7A", "7B"]',
            'classes = ["7A", "7B\\u001b"]',
            [
                "line 5: classes: contains a control character (U+001B), which no name or id "
                "may hold; remove it",
            ],
            id="escape-in-a-class",
        ),
        pytest.param(
            'name = "HT"',
            'name = """H\nT"""',
            [
                "line 14: calendar.terms.name: contains a control character (U+000A), which no "
                "name or id may hold; remove it"
            ],
            id="line-break-in-a-term-name",
        ),
    ],
)
def test_values_the_code_cannot_use_are_reported_on_their_line(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = write(tmp_path, changed(SCHOOL, old, new))

    assert problems_of(parse_school_file, path) == expected


@pytest.mark.parametrize("opening", ["[", "{x = "])
def test_nesting_too_deep_is_reported_on_its_line_not_a_crash(
    tmp_path: Path, opening: str
) -> None:
    closing = "]" if opening == "[" else "}"
    deep = opening * 100_000 + closing * 100_000
    path = write(tmp_path, changed(SCHOOL, "retention_days = 400", f"retention_days = {deep}"))

    assert problems_of(parse_school_file, path) == [
        "line 19: nested more than 32 levels deep: no school file is"
    ]


def test_brackets_inside_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    text = changed(SCHOOL, 'name = "HT"', 'name = "' + "[" * 40 + '"  # ' + "{" * 40)
    text = changed(text, "days_off = [2026-11-02]", "days_off = [[[2026-11-02]]]")

    assert problems_of(parse_school_file, write(tmp_path, text)) == [
        "line 11: calendar.days_off: must be a date such as 2026-08-17, "
        "not [[datetime.date(2026, 11, 2)]]"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "Alva Nilsson,G-1",
            "Alva\x00Nilsson,G-1",
            ["line 2: control character inside the value of pupil_name"],
            id="nul-in-a-name",
        ),
        pytest.param(
            "7B,P-2,Saga",
            "7B,P-2\x7f,Saga",
            ["line 4: control character inside the value of pupil_id"],
            id="del-in-an-id",
        ),
        pytest.param(
            "Peter Nilsson,sv",
            "Peter\x1bNilsson,sv",
            ["line 3: control character inside the value of guardian_name"],
            id="escape-in-a-guardian-name",
        ),
        pytest.param(
            "Peter Nilsson,sv",
            '"Peter\tNilsson",sv',
            ["line 3: control character inside the value of guardian_name"],
            id="tab-in-a-quoted-name",
        ),
    ],
)
def test_control_characters_in_a_roster_are_reported_on_their_line(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = write(tmp_path, changed(ROSTER, old, new))

    assert problems_of(parse_roster_csv, path) == expected
