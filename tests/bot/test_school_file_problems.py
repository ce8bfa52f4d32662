"""Reading the school file: every problem, each on its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.files import parse_school_file
from tests.bot.file_samples import SCHOOL, changed, problems_of, write


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            'name = "Testskolan"',
            'name = "Testskolan',
            ["line 2: not valid TOML: Illegal character '\\n'"],
            id="toml-syntax",
        ),
        pytest.param(
            "timezone =",
            "timezon =",
            [
                "line 1: missing required key 'timezone'",
                "line 4: timezon: unknown key 'timezon'; did you mean 'timezone'?",
            ],
            id="top-level-typo",
        ),
        pytest.param(
            'roles = ["mentor"]',
            'rols = ["mentor"]',
            [
                "line 21: staff: missing required key 'roles'",
                "line 25: staff.rols: unknown key 'rols'; did you mean 'roles'?",
            ],
            id="staff-typo",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "08:15"\nroll_cal = "08:20"',
            ["line 9: times.roll_cal: unknown key 'roll_cal'; did you mean 'roll_call'?"],
            id="times-typo",
        ),
        pytest.param(
            'name = "Testskolan"',
            "name = 5",
            ["line 2: name: must be a string, not integer 5"],
            id="wrong-type",
        ),
        pytest.param(
            '"SE"',
            '"FI"',
            ["line 3: country: unknown country 'FI'; use one of SE, NO, DK"],
            id="country",
        ),
        pytest.param(
            '"Europe/Stockholm"',
            '"Europe/Stokholm"',
            ["line 4: timezone: unknown timezone 'Europe/Stokholm'; e.g. 'Europe/Stockholm'"],
            id="timezone",
        ),
        pytest.param(
            'timezone = "Europe/Stockholm"',
            'timezone = "Europe/Stockholm"\nlanguage = "fi"',
            ["line 5: language: unknown language 'fi'; use one of sv, nb, da"],
            id="language",
        ),
        pytest.param(
            'roles = ["mentor"]',
            'roles = ["mentor", "mentr"]',
            [
                "line 25: staff.roles: unknown role 'mentr'; use mentor, coordinator, principal,"
                " pupil_health or a word from docs/school-file.md"
            ],
            id="role",
        ),
        pytest.param(
            'slack_user_id = "U0002"',
            'slack_user_id = "U0002"\nlanguage = "english"',
            ["line 32: staff.language: unknown language 'english'; use one of sv, nb, da"],
            id="staff-language",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "8.15"',
            ["line 8: times.roll_call: must be a time of day such as \"08:15\", not '8.15'"],
            id="time-format",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "24:00"',
            ["line 8: times.roll_call: must be a time of day such as \"08:15\", not '24:00'"],
            id="time-range",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "09:30"',
            [
                "line 8: times.roll_call: unreported_prompt (09:00) must be later than"
                " roll_call (09:30)"
            ],
            id="time-order",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "08:15"\nroll_call_reminder = "09:10"',
            [
                "line 9: times.roll_call_reminder: unreported_prompt (09:00) must be later than"
                " roll_call_reminder (09:10)"
            ],
            id="reminder-after-due",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "08:15"\nescalate_after_minutes = 0',
            [
                "line 9: times.escalate_after_minutes: must be a number of minutes from 1 to 1440,"
                " not 0"
            ],
            id="escalation-range",
        ),
        pytest.param(
            'roll_call = "08:15"',
            'roll_call = "08:15"\nescalate_after_minutes = "2h"',
            [
                "line 9: times.escalate_after_minutes: must be a number of minutes from 1 to 1440,"
                " not '2h'"
            ],
            id="escalation-type",
        ),
        pytest.param(
            "days_off = [2026-11-02]",
            'days_off = ["2026-02-30"]',
            ["line 11: calendar.days_off: must be a date such as 2026-08-17, not '2026-02-30'"],
            id="date",
        ),
        pytest.param(
            "days_off = [2026-11-02]",
            'days_off = [\n    2026-11-02,\n    "2026-11-31",  # no such day\n]',
            ["line 13: calendar.days_off: must be a date such as 2026-08-17, not '2026-11-31'"],
            id="date-in-multi-line-array",
        ),
        pytest.param(
            "end = 2026-12-18",
            "end = 2026-08-01",
            ["line 16: calendar.terms.end: 2026-08-01 is before start 2026-08-18"],
            id="term-ends-before-it-starts",
        ),
        pytest.param(
            "end = 2026-12-18\n",
            'end = 2026-12-18\n\n[[calendar.terms]]\nname = "VT"\nstart = 2026-12-01\n'
            "end = 2027-06-10\n",
            [
                "line 20: calendar.terms.start: terms overlap: 2026-12-01 is before 2026-12-18,"
                " the end of HT"
            ],
            id="overlapping-terms",
        ),
        pytest.param(
            "end = 2026-12-18\n",
            'end = 2026-12-18\n\n[[calendar.terms]]\nname = "VT"\nstart = 2027-01-11\n',
            ["line 18: calendar.terms: missing required key 'end'"],
            id="term-without-end",
        ),
        pytest.param(
            "[privacy]",
            '[privacy]\nmentor_sees_note = "no"',
            ["line 19: privacy.mentor_sees_note: must be true or false, not string 'no'"],
            id="bool",
        ),
        pytest.param(
            "retention_days = 400",
            "retention_days = true",
            ["line 19: privacy.retention_days: must be a whole number from 1 to 3660, not True"],
            id="retention",
        ),
        pytest.param(
            "retention_days = 400",
            'retention_days = 400\n\n[reporting]\nmax_span_days = 0\nearliest = "07:00"',
            [
                "line 22: reporting.max_span_days: must be a whole number from 1 to 366, not 0",
                "line 23: reporting.earliest: unknown key 'earliest'; did you mean "
                "'earliest_time'?",
            ],
            id="reporting-values",
        ),
        pytest.param(
            "retention_days = 400",
            'retention_days = 400\n\n[reporting]\nearliest_time = "18:00"\nlatest_time = "7"',
            [
                "line 23: reporting.latest_time: must be a time of day such as \"08:15\", not '7'",
                "line 23: reporting.latest_time: must be later than earliest_time",
            ],
            id="reporting-times",
        ),
        pytest.param(
            'classes = ["7A"]',
            'classes = ["7C"]',
            ["line 26: staff.classes: class '7C' is not in the school's classes: 7A, 7B"],
            id="staff-class-not-in-classes",
        ),
        pytest.param(
            'classes = ["7A", "7B"]',
            'classes = ["7A", "7B", "7a"]',
            ["line 5: classes: class '7a' is listed twice"],
            id="duplicate-class",
        ),
        pytest.param(
            'classes = ["7A", "7B"]',
            'classes = [\n    "7A",\n    "7B",\n    "7B",\n]',
            ["line 8: classes: class '7B' is listed twice"],
            id="duplicate-class-in-multi-line-array",
        ),
        pytest.param(
            'id = "S-2"',
            'id = "S-1"',
            ["line 29: staff.id: staff id 'S-1' is already used on line 22"],
            id="duplicate-staff-id",
        ),
        pytest.param(
            '"U0002"',
            '"U0001"',
            ["line 31: staff.slack_user_id: Slack user 'U0001' is already used on line 24"],
            id="duplicate-slack-user",
        ),
        pytest.param(
            '"U0002"',
            '"u0002"',
            [
                "line 31: staff.slack_user_id: 'u0002' is not a Slack user id;"
                " they look like U012AB3CD"
            ],
            id="slack-user-format",
        ),
        pytest.param(
            'name = "Johan"\n',
            "",
            ["line 28: staff: missing required key 'name'"],
            id="missing-staff-key",
        ),
        pytest.param(
            'country = "SE"\n',
            "",
            ["line 1: missing required key 'country'"],
            id="missing-top-level-key",
        ),
        pytest.param(
            'roles = ["principal"]',
            'roles = ["mentor"]',
            ["line 32: staff.roles: a mentor needs the classes they mentor in 'classes'"],
            id="mentor-without-class",
        ),
        pytest.param(
            "retention_days = 400",
            'retention_days = 400\nclasses = ["7A"]',
            [
                "line 20: privacy.classes: unknown key 'classes'; 'classes' belongs at the top"
                " of the file, before the first [table]"
            ],
            id="top-level-key-after-a-table",
        ),
        pytest.param(
            'key = "se-test"',
            'key = "SE test"',
            ["line 1: key: 'SE test' must be lowercase letters, digits, '-' or '_' (at most 64)"],
            id="school-key",
        ),
        pytest.param(
            "[[calendar.terms]]",
            "[calendar.terms]",
            ["line 13: calendar.terms: must be tables written [[calendar.terms]], not a table"],
            id="table-instead-of-array-of-tables",
        ),
    ],
)
def test_each_problem_in_a_school_file_is_reported_on_its_line(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = write(tmp_path, changed(SCHOOL, old, new))

    assert problems_of(parse_school_file, path) == expected


def test_all_problems_of_a_school_file_are_reported_together_in_line_order(
    tmp_path: Path,
) -> None:
    text = changed(SCHOOL, '"SE"', '"FI"')
    text = changed(text, 'roles = ["mentor"]', 'roles = ["mentr"]')
    text = changed(text, 'id = "S-2"', 'id = "S-1"')
    text = changed(text, "end = 2026-12-18", "end = 2026-08-01")

    assert problems_of(parse_school_file, write(tmp_path, text)) == [
        "line 3: country: unknown country 'FI'; use one of SE, NO, DK",
        "line 16: calendar.terms.end: 2026-08-01 is before start 2026-08-18",
        "line 25: staff.roles: unknown role 'mentr'; use mentor, coordinator, principal,"
        " pupil_health or a word from docs/school-file.md",
        "line 29: staff.id: staff id 'S-1' is already used on line 22",
    ]


def test_sub_tables_of_a_staff_member_are_located_in_that_member(tmp_path: Path) -> None:
    text = SCHOOL + '\n[staff.extra]\nnote = "x"\n'

    assert problems_of(parse_school_file, write(tmp_path, text)) == [
        "line 34: staff.extra: unknown key 'extra'"
    ]


def test_multi_line_strings_do_not_confuse_the_line_locator(tmp_path: Path) -> None:
    text = changed(
        SCHOOL,
        'name = "Testskolan"',
        'name = """Testskolan\nroll_call = "not a key"\n[times]"""',
    )
    text = changed(text, 'roll_call = "08:15"', 'roll_call = "8.15"')

    assert problems_of(parse_school_file, write(tmp_path, text)) == [
        # A name over three lines is no name; the lines after it are still counted right.
        "line 2: name: contains a control character (U+000A), which no name or id may hold;"
        " remove it",
        "line 10: times.roll_call: must be a time of day such as \"08:15\", not '8.15'",
    ]


def test_toml_errors_at_the_end_of_the_file_name_its_last_line(tmp_path: Path) -> None:
    path = write(tmp_path, SCHOOL + 'extra = ["open"')

    assert problems_of(parse_school_file, path) == ["line 33: not valid TOML: Unclosed array"]


def test_a_school_file_that_is_not_utf8_names_the_line_of_the_first_bad_byte(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, changed(SCHOOL, "Anna", "Åsa").encode("latin-1"))

    assert problems_of(parse_school_file, path) == [
        "line 23: the file is not UTF-8 text (byte 0xc5 cannot be read);"
        " save it as UTF-8, in Excel as 'CSV UTF-8'"
    ]


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"

    assert problems_of(parse_school_file, path) == [
        f"cannot read {path}: No such file or directory"
    ]
