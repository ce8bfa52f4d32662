"""Setting up a school from the operator's files: the school file and the roster.

Parsing files is the edge's job (`bot/files/`); these are the parsed values and the rules for
applying them. Applying is idempotent: the same input twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from routine.model import Language, School, StaffMember


@dataclass(frozen=True)
class SchoolSpec:
    """Everything a school file says."""

    school: School
    classes: tuple[str, ...]
    staff: tuple[StaffMember, ...]


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One pupil–guardian pair from the roster CSV; `line` is the file's line number."""

    line: int
    class_name: str
    pupil_id: str
    pupil_name: str
    guardian_id: str
    guardian_name: str
    guardian_language: Language
    guardian_phone: str = ""
    guardian_email: str = ""


@dataclass(frozen=True)
class Problem:
    """Something wrong in an input file, located for a person to fix."""

    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class InvalidInput(Exception):
    """Raised with every problem found, so the operator can fix them all in one go."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ChangeSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_listed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# Told what is being written, how many of it are written so far, and how many there are; an
# operator's long import shows it, so that a big file is seen to be working.
Progress = Callable[[str, int, int], None]


def no_progress(_what: str, _done: int, _total: int) -> None:
    pass
