"""Deterministic data for the benchmarks and the tests that time imports: the same input for
the same size, on every machine, without a random generator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from bot.operator import demo_file

SCHOOL_KEY = "se-bjorkangen"
LANGUAGES = ("sv", "nb", "da")
HEADER = (
    "class,pupil_id,pupil_name,guardian_id,guardian_name,guardian_language,"
    "guardian_phone,guardian_email"
)
# About 25 pupils a class, as in a Nordic school.
PUPILS_PER_CLASS = 25


def class_names(pupils: int) -> list[str]:
    """The demo school's classes, and as many more as `pupils` need."""
    extra = max(0, -(-pupils // PUPILS_PER_CLASS) - 2)
    return ["7A", "7B", *(f"K{number:05}" for number in range(extra))]


def school_file(path: Path, pupils: int, *, mentors: bool = False) -> Path:
    """The Swedish demo school file, with enough classes for `pupils`; with `mentors`, a
    mentor with a Slack id for each class beyond the demo's."""
    text = demo_file("se.toml").read_text(encoding="utf-8")
    names = class_names(pupils)
    listed = ", ".join(f'"{name}"' for name in names)
    text = re.sub(r"(?m)^classes = .*$", f"classes = [{listed}]", text, count=1)
    if mentors:
        text += "".join(
            f'\n[[staff]]\nid = "M{number:05}"\nname = "Mentor {number}"\n'
            f'slack_user_id = "UM{number:07}"\nroles = ["mentor"]\nclasses = ["{name}"]\n'
            for number, name in enumerate(names[2:])
        )
    path.write_text(text, encoding="utf-8")
    return path


def roster_lines(lines: int) -> Iterator[str]:
    """`lines` roster lines: each pupil with two guardians of their own (so lines/2 pupils,
    `lines` guardians and links)."""
    classes = class_names(lines // 2 + 1)
    for line in range(lines):
        pupil = line // 2
        yield (
            f"{classes[pupil // PUPILS_PER_CLASS]},P{pupil:07},Elev {pupil},G{line:07},"
            f"Vårdnadshavare {line},{LANGUAGES[line % 3]},070-{line:07},g{line}@example.org"
        )


def roster_file(path: Path, lines: int) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write(HEADER + "\n")
        for text in roster_lines(lines):
            file.write(text + "\n")
    return path


def roster_rows(lines: int) -> dict[str, list[dict[str, object]]]:
    """The rows the roster's lines become, by table: what the floor inserts."""
    pupils: dict[str, dict[str, object]] = {}
    guardians, links = [], []
    for text in roster_lines(lines):
        class_name, pupil_id, pupil_name, guardian_id, name, language, phone, email = text.split(
            ","
        )
        pupils.setdefault(
            pupil_id,
            {
                "school_key": SCHOOL_KEY,
                "pupil_id": pupil_id,
                "name": pupil_name,
                "class_name": class_name,
                "active": True,
            },
        )
        guardians.append(
            {
                "school_key": SCHOOL_KEY,
                "guardian_id": guardian_id,
                "name": name,
                "language": language,
                "phone": phone,
                "email": email,
            }
        )
        links.append({"school_key": SCHOOL_KEY, "guardian_id": guardian_id, "pupil_id": pupil_id})
    return {"pupils": list(pupils.values()), "guardians": guardians, "guardian_pupils": links}


# The register benchmark: one pupil in this many lines, so 100,000 lines are 10,000 pupils
# with ten absences each over the autumn term.
REGISTER_LINES_PER_PUPIL = 10
REGISTER_HEADER = "date,pupil_id,kind,code"
# Unexplained, valid and invalid absences, in turn.
REGISTER_CODES = ("", "illness", "invalid")


def register_pupils(lines: int) -> int:
    return max(PUPILS_PER_CLASS, -(-lines // REGISTER_LINES_PER_PUPIL))


def register_lines(lines: int, days: list[date]) -> Iterator[str]:
    """`lines` register lines (whole-day absences) of `register_pupils(lines)` pupils over
    `days`: each pupil's absences fall on different days, spread over the period."""
    pupils = register_pupils(lines)
    per_pupil = -(-lines // pupils)
    stride = len(days) // per_pupil
    if stride < 1:
        raise ValueError(f"{len(days)} school days hold fewer than {per_pupil} absences")
    for line in range(lines):
        pupil, nth = line % pupils, line // pupils
        day = days[(nth * len(days)) // per_pupil + pupil % stride]
        yield f"{day.isoformat()},P{pupil:07},absent,{REGISTER_CODES[line % 3]}"


def register_file(path: Path, lines: int, days: list[date]) -> Path:
    with path.open("w", encoding="utf-8") as file:
        file.write(REGISTER_HEADER + "\n")
        for text in register_lines(lines, days):
            file.write(text + "\n")
    return path
