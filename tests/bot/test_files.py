"""Reading the school file and the roster: every problem, each on its line."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bot.files import parse_roster_csv, parse_school_file
from routine.model import (
    Country,
    DateSpan,
    Language,
    PrivacySettings,
    ReportingRules,
    Role,
    SchoolCalendar,
    SchoolTimes,
)
from routine.ports import UnitOfWorkFactory
from routine.roster import apply_school, import_roster
from routine.setup import ChangeSummary, InvalidInput, RosterRow, SchoolSpec
from tests.fakes import FakeUnitOfWorkFactory

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "bot" / "demo_data"
COUNTRIES = ("se", "no", "dk")

# Line numbers matter below: the tests name the line each problem must be reported on.
SCHOOL = """\
key = "se-test"
name = "Testskolan"
country = "SE"
timezone = "Europe/Stockholm"
classes = ["7A", "7B"]

[times]
roll_call = "08:15"

[calendar]
days_off = [2026-11-02]

[[calendar.terms]]
name = "HT"
start = 2026-08-18
end = 2026-12-18

[privacy]
retention_days = 400

[[staff]]
id = "S-1"
name = "Anna"
slack_user_id = "U0001"
roles = ["mentor"]
classes = ["7A"]

[[staff]]
id = "S-2"
name = "Johan"
slack_user_id = "U0002"
roles = ["principal"]
"""

ROSTER = """\
class,pupil_id,pupil_name,guardian_id,guardian_name,guardian_language,guardian_phone,guardian_email
7A,P-1,Alva Nilsson,G-1,Karin Nilsson,sv,070-1740605,karin@example.org
7A,P-1,Alva Nilsson,G-2,Peter Nilsson,sv,,
7B,P-2,Saga Nilsson,G-1,Karin Nilsson,sv,,
"""


@pytest.fixture(params=["fake", "sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """The demo data must apply cleanly on the fakes and on every real database."""
    return request.param


def write(tmp_path: Path, content: str | bytes, name: str = "input") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def problems_of(parse: Callable[[Path], object], path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as raised:
        parse(path)
    return [str(problem) for problem in raised.value.problems]


def changed(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def fenced_block(markdown: Path, language: str) -> str:
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", markdown.read_text(), re.M | re.S)
    assert len(blocks) == 1
    return blocks[0]


# --- The school file: what a good file gives -------------------------------------------------


def test_a_school_file_gives_the_school_its_classes_and_staff(tmp_path: Path) -> None:
    spec = parse_school_file(write(tmp_path, SCHOOL))

    assert (spec.school.key, spec.school.name, spec.school.country) == (
        "se-test",
        "Testskolan",
        Country.SE,
    )
    assert (spec.school.timezone, spec.school.language) == ("Europe/Stockholm", Language.SV)
    assert spec.school.times == SchoolTimes()
    assert spec.school.calendar == SchoolCalendar(
        terms=(DateSpan(date(2026, 8, 18), date(2026, 12, 18), "HT"),),
        days_off=(date(2026, 11, 2),),
    )
    assert spec.school.privacy == PrivacySettings()
    assert spec.classes == ("7A", "7B")
    assert [(s.staff_id, s.roles, s.classes, s.slack_user_id) for s in spec.staff] == [
        ("S-1", frozenset({Role.MENTOR}), ("7A",), "U0001"),
        ("S-2", frozenset({Role.PRINCIPAL}), (), "U0002"),
    ]


@pytest.mark.parametrize(
    ("country", "language"), [("NO", Language.NB), ("DK", Language.DA), ("se", Language.SV)]
)
def test_the_language_defaults_to_the_countrys(
    tmp_path: Path, country: str, language: Language
) -> None:
    spec = parse_school_file(write(tmp_path, changed(SCHOOL, '"SE"', f'"{country}"')))

    assert spec.school.language == language


def test_roles_may_be_written_in_the_countries_own_words(tmp_path: Path) -> None:
    text = changed(SCHOOL, '["principal"]', '["Rektor", "tovholder", "kom-i-skole-team"]')

    spec = parse_school_file(write(tmp_path, text))

    assert spec.staff[1].roles == {Role.PRINCIPAL, Role.COORDINATOR, Role.PUPIL_HEALTH}


def test_times_dates_as_strings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    text = changed(SCHOOL, "[2026-11-02]", '["2026-11-02"]')
    text = changed(text, 'roll_call = "08:15"', 'roll_call = "8:05"\nend_of_day = 15:30:00')

    spec = parse_school_file(write(tmp_path, "\ufeff" + text))

    assert spec.school.calendar.days_off == (date(2026, 11, 2),)
    assert (spec.school.times.roll_call, spec.school.times.end_of_day) == (
        time(8, 5),
        time(15, 30),
    )


# --- The school file: every problem on its line ----------------------------------------------


@pytest.mark.parametrize(
    ("times", "reminder"),
    [
        ('roll_call = "08:15"', time(8, 45)),
        ('roll_call = "08:50"', time(8, 55)),
        ('roll_call = "08:15"\nroll_call_reminder = "08:30"', time(8, 30)),
    ],
    ids=["default", "halfway-when-close", "given"],
)
def test_the_roll_call_reminder_comes_before_the_roll_call_is_due(
    tmp_path: Path, times: str, reminder: time
) -> None:
    spec = parse_school_file(write(tmp_path, changed(SCHOOL, 'roll_call = "08:15"', times)))
    assert spec.school.times.roll_call_reminder == reminder


def test_the_escalation_time_of_contact_requests_is_read_in_minutes(tmp_path: Path) -> None:
    text = changed(
        SCHOOL, 'roll_call = "08:15"', 'roll_call = "08:15"\nescalate_after_minutes = 45'
    )
    spec = parse_school_file(write(tmp_path, text))
    assert spec.school.times.escalate_after == timedelta(minutes=45)


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


# --- The roster: what a good file gives ------------------------------------------------------


def test_a_roster_gives_one_row_per_pupil_and_guardian(tmp_path: Path) -> None:
    rows = parse_roster_csv(write(tmp_path, ROSTER))

    assert rows == [
        RosterRow(
            2,
            "7A",
            "P-1",
            "Alva Nilsson",
            "G-1",
            "Karin Nilsson",
            Language.SV,
            "070-1740605",
            "karin@example.org",
        ),
        RosterRow(3, "7A", "P-1", "Alva Nilsson", "G-2", "Peter Nilsson", Language.SV),
        RosterRow(4, "7B", "P-2", "Saga Nilsson", "G-1", "Karin Nilsson", Language.SV),
    ]


def test_excel_style_files_read_the_same(tmp_path: Path) -> None:
    excel = "\ufeff" + ROSTER.replace(",", ";").replace("\n", "\r\n")

    assert parse_roster_csv(write(tmp_path, excel)) == parse_roster_csv(write(tmp_path, ROSTER))


def test_the_optional_columns_may_be_left_out_and_columns_reordered(tmp_path: Path) -> None:
    text = (
        "pupil_id,class,pupil_name,guardian_id,guardian_name,guardian_language\n"
        "P-1,7A,Alva Nilsson,G-1,Karin Nilsson,nn\n"
    )

    assert parse_roster_csv(write(tmp_path, text)) == [
        RosterRow(2, "7A", "P-1", "Alva Nilsson", "G-1", "Karin Nilsson", Language.NB)
    ]


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path: Path) -> None:
    text = changed(ROSTER, "\n7B,", "\n\n,,,,,,,\n7B,")

    rows = parse_roster_csv(write(tmp_path, text))

    assert [row.line for row in rows] == [2, 3, 6]


# --- The roster: every problem on its line ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            ",guardian_language,",
            ",guardian_langauge,",
            [
                "line 1: missing column 'guardian_language'",
                "line 1: unknown column 'guardian_langauge'; did you mean 'guardian_language'?",
            ],
            id="misspelt-column",
        ),
        pytest.param(
            "guardian_email\n",
            "guardian_email,notes\n",
            ["line 1: unknown column 'notes'"],
            id="unknown-column",
        ),
        pytest.param(
            "class,pupil_id",
            "class,class,pupil_id",
            ["line 1: column 'class' appears twice"],
            id="duplicate-column",
        ),
        pytest.param(
            "7A,P-1,Alva Nilsson,G-2",
            "7A,P-1,,G-2",
            ["line 3: empty value in pupil_name"],
            id="empty-value",
        ),
        pytest.param(
            "7B,P-2,Saga Nilsson,G-1,Karin Nilsson,sv",
            "7B,,Saga Nilsson,G-1,Karin Nilsson, ",
            ["line 4: empty value in pupil_id, guardian_language"],
            id="empty-values",
        ),
        pytest.param(
            "Peter Nilsson,sv",
            "Peter Nilsson,en",
            ["line 3: guardian_language 'en' is not one of sv, nb, da"],
            id="language",
        ),
        pytest.param(
            "7A,P-1,Alva Nilsson,G-2",
            "7A,P-1,Alva Nilson,G-2",
            ["line 3: pupil P-1 has name 'Alva Nilson' here but 'Alva Nilsson' on line 2"],
            id="pupil-name-differs",
        ),
        pytest.param(
            "7A,P-1,Alva Nilsson,G-2",
            "7B,P-1,Alva Nilsson,G-2",
            ["line 3: pupil P-1 has class '7B' here but '7A' on line 2"],
            id="pupil-class-differs",
        ),
        pytest.param(
            "7B,P-2,Saga Nilsson,G-1,Karin Nilsson,sv",
            "7B,P-2,Saga Nilsson,G-1,Karin Nilson,da",
            [
                "line 4: guardian G-1 has name 'Karin Nilson' here but 'Karin Nilsson' on line 2",
                "line 4: guardian G-1 has language 'da' here but 'sv' on line 2",
            ],
            id="guardian-differs",
        ),
        pytest.param(
            "7B,P-2,Saga Nilsson,G-1,Karin Nilsson,sv,,",
            "7A,P-1,Alva Nilsson,G-2,Peter Nilsson,sv,,",
            ["line 4: pupil P-1 with guardian G-2 is already listed on line 3"],
            id="same-pair-twice",
        ),
        pytest.param(
            "Peter Nilsson,sv,,",
            "Peter Nilsson,sv,",
            ["line 3: expected 8 values as in the header, found 7"],
            id="too-few-values",
        ),
        pytest.param(
            "Peter Nilsson,sv,,",
            "Peter Nilsson,sv,,,",
            ["line 3: expected 8 values as in the header, found 9"],
            id="too-many-values",
        ),
        pytest.param(
            "Peter Nilsson,sv,,",
            "Peter Nilsson,sv,12ab,peter",
            [
                "line 3: guardian_phone '12ab' is not a phone number",
                "line 3: guardian_email 'peter' is not an e-mail address",
            ],
            id="contact-details",
        ),
        pytest.param(
            "7A,P-1,Alva Nilsson,G-2",
            '7A,P-1,"Alva\nNilsson",G-2',
            ["line 3: line break inside the value of pupil_name"],
            id="line-break-in-a-value",
        ),
        pytest.param(
            "7A,P-1,Alva Nilsson,G-1",
            '7A,P-1,"Alva Nilsson, ""Alvis""",G-1',
            [
                "line 3: pupil P-1 has name 'Alva Nilsson' here"
                " but 'Alva Nilsson, \"Alvis\"' on line 2"
            ],
            id="quoted-values-are-read-whole",
        ),
    ],
)
def test_each_problem_in_a_roster_is_reported_on_its_line(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    path = write(tmp_path, changed(ROSTER, old, new))

    assert problems_of(parse_roster_csv, path) == expected


def test_a_quoted_value_over_two_lines_shifts_the_later_lines(tmp_path: Path) -> None:
    text = changed(ROSTER, "7A,P-1,Alva Nilsson,G-1", '7A,P-1,"Alva\nNilsson",G-1')
    text = changed(text, "Peter Nilsson,sv", "Peter Nilsson,en")

    assert problems_of(parse_roster_csv, write(tmp_path, text)) == [
        "line 2: line break inside the value of pupil_name",
        "line 4: guardian_language 'en' is not one of sv, nb, da",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("", ["line 1: the file is empty"], id="empty"),
        pytest.param("\n \n", ["line 1: the file is empty"], id="blank"),
        pytest.param(
            ROSTER.splitlines()[0] + "\n",
            ["line 1: the file has a header but no pupils"],
            id="header-only",
        ),
    ],
)
def test_a_roster_without_pupils_is_a_problem(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    assert problems_of(parse_roster_csv, write(tmp_path, content)) == expected


def test_a_roster_that_is_not_utf8_names_the_line_of_the_first_bad_byte(tmp_path: Path) -> None:
    path = write(tmp_path, changed(ROSTER, "Saga", "Såga").encode("latin-1"))

    assert problems_of(parse_roster_csv, path) == [
        "line 4: the file is not UTF-8 text (byte 0xe5 cannot be read);"
        " save it as UTF-8, in Excel as 'CSV UTF-8'"
    ]


# --- The docs' examples ----------------------------------------------------------------------


def test_the_example_in_the_school_file_docs_parses_cleanly(tmp_path: Path) -> None:
    example = fenced_block(ROOT / "docs" / "school-file.md", "toml")

    spec = parse_school_file(write(tmp_path, example))

    assert (spec.school.key, len(spec.classes), len(spec.staff)) == ("se-ekbacken", 3, 4)


def test_the_example_in_the_roster_docs_parses_cleanly(tmp_path: Path) -> None:
    example = fenced_block(ROOT / "docs" / "roster.md", "csv")

    rows = parse_roster_csv(write(tmp_path, example))

    assert len(rows) == 5


async def test_the_docs_examples_apply_together(tmp_path: Path) -> None:
    spec = parse_school_file(
        write(tmp_path, fenced_block(ROOT / "docs" / "school-file.md", "toml"))
    )
    rows = parse_roster_csv(write(tmp_path, fenced_block(ROOT / "docs" / "roster.md", "csv")))
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await apply_school(uow, spec)
    async with factory() as uow:
        summary = await import_roster(uow, spec.school.key, rows)

    assert (len(summary.created), summary.updated, summary.not_listed) == (8, [], [])


# --- The demo data ---------------------------------------------------------------------------


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_demo_school_files_describe_one_school_per_country(country: str) -> None:
    spec = parse_school_file(DEMO / f"{country}.toml")

    roles = sorted(role for member in spec.staff for role in member.roles)
    assert spec.school.country == Country(country.upper())
    assert (
        spec.school.timezone
        == {
            "se": "Europe/Stockholm",
            "no": "Europe/Oslo",
            "dk": "Europe/Copenhagen",
        }[country]
    )
    assert len(spec.classes) == 2
    assert roles == sorted(
        [Role.MENTOR, Role.MENTOR, Role.COORDINATOR, Role.PRINCIPAL, Role.PUPIL_HEALTH]
    )
    assert spec.school.calendar.terms[0].start >= date(2026, 8, 1)
    assert spec.school.calendar.terms[-1].end <= date(2027, 6, 30)


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_demo_rosters_have_siblings_and_two_guardian_pupils(country: str) -> None:
    rows = parse_roster_csv(DEMO / f"{country}.csv")

    guardians_per_pupil: dict[str, set[str]] = {}
    pupils_per_guardian: dict[str, set[str]] = {}
    for row in rows:
        guardians_per_pupil.setdefault(row.pupil_id, set()).add(row.guardian_id)
        pupils_per_guardian.setdefault(row.guardian_id, set()).add(row.pupil_id)
    assert len(guardians_per_pupil) == 16
    assert max(len(g) for g in guardians_per_pupil.values()) == 2
    assert max(len(p) for p in pupils_per_guardian.values()) == 2
    expected_language = {"se": Language.SV, "no": Language.NB, "dk": Language.DA}[country]
    assert {row.guardian_language for row in rows} == {expected_language}


@pytest.mark.parametrize("country", COUNTRIES)
async def test_the_demo_data_applies_cleanly_and_idempotently(
    country: str, uow_factory: UnitOfWorkFactory
) -> None:
    spec = parse_school_file(DEMO / f"{country}.toml")
    rows = parse_roster_csv(DEMO / f"{country}.csv")

    first = await apply_demo(uow_factory, spec, rows)
    again = await apply_demo(uow_factory, spec, rows)

    created_school, created_roster = first
    assert (len(created_school.created), len(created_roster.created)) == (14, 32)
    assert [s.not_listed for s in first] == [[], []]
    assert again == (ChangeSummary(unchanged=8), ChangeSummary(unchanged=32))


async def apply_demo(
    factory: UnitOfWorkFactory, spec: SchoolSpec, rows: list[RosterRow]
) -> tuple[ChangeSummary, ChangeSummary]:
    async with factory() as uow:
        school = await apply_school(uow, spec)
    async with factory() as uow:
        roster = await import_roster(uow, spec.school.key, rows)
    return school, roster


def test_a_school_s_reporting_rules_are_read(tmp_path: Path) -> None:
    text = SCHOOL.replace(
        "retention_days = 400",
        'retention_days = 400\n\n[reporting]\nmax_days_ahead = 14\nlatest_time = "16:30"',
    )
    spec = parse_school_file(write(tmp_path, text))
    assert spec.school.reporting == ReportingRules(max_days_ahead=14, latest_time=time(16, 30))
