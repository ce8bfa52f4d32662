"""Reading the roster: what a good file gives, and every problem, each on its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.files import parse_roster_csv
from routine.model import Language
from routine.setup import RosterRow
from tests.bot.file_samples import ROSTER, changed, problems_of, write

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
