"""The roster file read twice, not held: the checked reading and the writing one give the same
rows, and a file changed in between is refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.files.roster_csv import check_roster_csv
from routine.setup import InvalidInput
from tests.bot.file_samples import ROSTER, changed, write

SEMICOLONS = ROSTER.replace(",", ";").replace("sv;;", "  SV;;")


@pytest.mark.parametrize("text", [ROSTER, SEMICOLONS, "\ufeff" + ROSTER + "\n\n"])
def test_the_writing_reading_gives_the_rows_the_checked_one_did(tmp_path: Path, text: str) -> None:
    roster, tally = check_roster_csv(write(tmp_path, text), ["7A", "7B"])
    written = list(roster)
    roster.checked = False  # every row read with its checks again

    assert written == list(roster)
    assert (len(written), tally.rows, tally.pupils, tally.guardians) == (3, 3, 2, 2)


def test_a_file_changed_between_the_readings_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, ROSTER)
    roster, _tally = check_roster_csv(path, ["7A", "7B"])
    path.write_text(changed(ROSTER, "Alva Nilsson,G-1", "Alma Nilsson,G-1"), encoding="utf-8")
    os.utime(path, ns=(0, 0))  # whatever the clock's resolution

    with pytest.raises(InvalidInput) as raised:
        list(roster)

    assert [str(p) for p in raised.value.problems] == [
        "the file changed while it was imported; import it again"
    ]
