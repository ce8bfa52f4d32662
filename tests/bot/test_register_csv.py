"""Reading the attendance register CSV: every problem of the file itself, each on its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.files.register_csv import PROGRESS_EVERY, parse_register_csv
from routine.model import MarkKind
from routine.register_import import RegisterRow
from routine.setup import InvalidInput, Problem
from tests.bot.file_samples import problems_of, write

HEADER = "date,pupil_id,kind,code,lesson,minutes\n"


def test_rows_are_read_with_their_lines_and_optional_values(tmp_path: Path) -> None:
    text = (
        HEADER
        + "2026-11-16,P-1,absent,illness,,\n"
        + "\n"
        + "2026-11-17, P-2 ,LATE,,,15\n"
        + "2026-11-18,P-1,left_early,appointment,Ma,\n"
    )

    assert parse_register_csv(write(tmp_path, text)) == [
        RegisterRow(2, date(2026, 11, 16), "P-1", MarkKind.ABSENT, "illness"),
        RegisterRow(4, date(2026, 11, 17), "P-2", MarkKind.LATE, minutes=15),
        RegisterRow(5, date(2026, 11, 18), "P-1", MarkKind.LEFT_EARLY, "appointment", "Ma"),
    ]


def test_the_optional_columns_may_be_left_out_and_excel_semicolons_are_read(
    tmp_path: Path,
) -> None:
    text = "\ufeffdate;pupil_id;kind;code\r\n2026-11-16;P-1;absent;\r\n"

    assert parse_register_csv(write(tmp_path, text)) == [
        RegisterRow(2, date(2026, 11, 16), "P-1", MarkKind.ABSENT)
    ]


def test_every_problem_in_the_rows_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        HEADER
        + "2026-11-16,P-1,absnt,illness,,\n"  # 2
        + "16.11.2026,P-1,absent,,,\n"  # 3
        + "2026-02-30,P-1,absent,,,\n"  # 4
        + "2026-11-17,P-1,late,,,0\n"  # 5
        + "2026-11-17,P-2,late,,,601\n"  # 6
        + "2026-11-17,P-3,late,,,1.5\n"  # 7
        + "2026-11-17,,,,,\n"  # 8
        + "2026-11-17,P-1,absent,,\n"  # 9
        + "2026-11-18,P-1,absent,,,,x\n"  # 10
        + "2026-11-19,P-1,absent,,Ma,\n"  # 11
        + "2026-11-19,P-1,absent,,Ma,\n"  # 12
        + "2026-11-20,P-1,absent,,,\n"  # 13
        + "2026-11-20,P-1,late,,,5\n"  # 14
        + '2026-11-20,"P-\n2",absent,,,\n'  # 15
    )

    assert problems_of(parse_register_csv, write(tmp_path, text)) == [
        "line 2: kind 'absnt' is not one of absent, late, left_early; did you mean 'absent'?",
        "line 3: date '16.11.2026' is not a date as YYYY-MM-DD",
        "line 4: date '2026-02-30' is not a date as YYYY-MM-DD",
        "line 5: minutes '0' is not a whole number from 1 to 600",
        "line 6: minutes '601' is not a whole number from 1 to 600",
        "line 7: minutes '1.5' is not a whole number from 1 to 600",
        "line 8: empty value in pupil_id, kind",
        "line 9: expected 6 values as in the header, found 5",
        "line 10: expected 6 values as in the header, found 7",
        "line 12: pupil P-1 on 2026-11-19 (absent, lesson Ma) is already on line 11",
        "line 14: pupil P-1 is absent all of 2026-11-20 on line 13, so cannot be late",
        "line 15: line break inside the value of pupil_id",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            "date,pupil,kind,code",
            [
                "line 1: missing column 'pupil_id'",
                "line 1: unknown column 'pupil'; did you mean 'pupil_id'?",
            ],
        ),
        ("date,pupil_id,kind", ["line 1: missing column 'code'"]),
        ("date,pupil_id,kind,code,note", ["line 1: unknown column 'note'"]),
        ("date,pupil_id,kind,code,code", ["line 1: column 'code' appears twice"]),
    ],
)
def test_missing_and_extra_columns_are_refused(
    tmp_path: Path, header: str, expected: list[str]
) -> None:
    path = write(tmp_path, header + "\n2026-11-16,P-1,absent,\n")

    assert problems_of(parse_register_csv, path) == expected


def test_a_file_in_another_encoding_is_refused_at_the_line_it_breaks(tmp_path: Path) -> None:
    path = write(tmp_path, (HEADER + "2026-11-16,Åsa,absent,,,\n").encode("latin-1"))

    assert problems_of(parse_register_csv, path) == [
        "line 2: the file is not UTF-8 text (byte 0xc5 cannot be read); save it as UTF-8, in"
        " Excel as 'CSV UTF-8'"
    ]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert problems_of(parse_register_csv, write(tmp_path, "")) == ["line 1: the file is empty"]


def test_the_schools_check_is_reported_with_the_files_problems(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2026-11-16,P-1,absnt,,,\n2026-11-16,P-9,absent,,,\n")

    def check(rows):
        return [Problem(f"pupil {r.pupil_id!r} is unknown", r.line) for r in rows]

    with pytest.raises(InvalidInput) as raised:
        parse_register_csv(path, check)

    assert [str(p) for p in raised.value.problems] == [
        "line 2: kind 'absnt' is not one of absent, late, left_early; did you mean 'absent'?",
        "line 3: pupil 'P-9' is unknown",
    ]


@pytest.mark.parametrize(("rows", "expected"), [(PROGRESS_EVERY, []), (25_000, [10_000, 20_000])])
def test_progress_is_shown_on_long_files_only(
    tmp_path: Path, rows: int, expected: list[int]
) -> None:
    text = HEADER + "".join(f"2026-11-16,P-{n},absent,,,\n" for n in range(rows))
    seen: list[tuple[int, int]] = []

    parse_register_csv(
        write(tmp_path, text), progress=lambda done, total: seen.append((done, total))
    )

    assert seen == [(done, rows) for done in expected]


REPEATS = (
    HEADER
    + "2026-11-19,P-1,absent,,Ma,\n"  # 2
    + "2026-11-19,P-2,absent,,,\n"  # 3
    + "2026-11-19,P-1,absent,,Ma,\n"  # 4
    + "2026-11-20,P-1,late,,,5\n"  # 5
    + "2026-11-20,P-1,absent,,,\n"  # 6
    + "2026-11-20,P-2,left_early,,,5\n"  # 7
)
REPEATED = [
    "line 4: pupil P-1 on 2026-11-19 (absent, lesson Ma) is already on line 2",
    "line 5: pupil P-1 is absent all of 2026-11-20 on line 6, so cannot be late",
]


@pytest.mark.parametrize("colliding", [False, True])
def test_repeats_are_found_however_the_keys_numbers_collide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, colliding: bool
) -> None:
    # The first look keeps numbers, not keys; with every key on one number, all rows are
    # suspects and the exact checks must still find just these.
    if colliding:
        monkeypatch.setattr("bot.files.register_csv._number", lambda _value: 7)

    assert problems_of(parse_register_csv, write(tmp_path, REPEATS)) == REPEATED
    clean = [
        line for n, line in enumerate(REPEATS.splitlines(keepends=True), 1) if n in (1, 2, 3, 7)
    ]
    assert len(parse_register_csv(write(tmp_path, "".join(clean)))) == 3
