"""A small school file and roster for the file readers' tests, and the helpers they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from routine.setup import InvalidInput

ROOT = Path(__file__).resolve().parents[2]

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
