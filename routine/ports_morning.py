"""Ports for the morning of many schools at once: the school-day reads of `SchoolDayQueries`
and the repositories, for several schools in one statement each (`school_key IN (...)`).

A municipality's schools mostly share their roll-call and prompt times, so the clock runs a
job for all the schools due at one minute together (`scheduler.job_base.run_for_schools`); with
these reads its statements do not grow with the number of schools, beyond batching. Pairs
name a school's rows: (school key, pupil id), (school key, class name).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Pupil,
    School,
    StaffMember,
)
from routine.requests import AbsencePrompt

if TYPE_CHECKING:
    from routine.follow_up import FollowUp
    from routine.leave import LeaveRequest
    from routine.roll_call import RollCall

Pair = tuple[str, str]


class MorningQueries(Protocol):
    async def schools_with_staff(
        self, school_keys: Collection[str]
    ) -> list[tuple[School, list[StaffMember]]]:
        """The schools there are of these keys, by key, each with its staff by staff id."""

    async def class_names(self, school_keys: Collection[str]) -> set[Pair]:
        """The schools' class lists."""

    async def open_roll_calls(
        self, classes: Mapping[str, Collection[str]], day: date, now: datetime
    ) -> list[RollCall]:
        """A roll call for each of these classes (by school key) that is in its school's class
        list and has none that day; the ones there are kept. The roll calls it opened, by
        school key and class name. One school is a mapping of one (`routine.roll_call`)."""

    async def roll_calls(self, school_keys: Collection[str], day: date) -> list[RollCall]:
        """The schools' roll calls of the day, by school key and class name."""

    async def close_open_roll_calls(
        self, school_keys: Collection[str], day: date
    ) -> list[RollCall]:
        """The schools' roll calls of the day still open become not answered (a submit
        committing meanwhile keeps its own); those that did, as they are now, by school key
        and class name."""

    async def class_lists(self, classes: Collection[Pair]) -> list[Pupil]:
        """The active pupils of these classes, in no particular order (a morning's roll
        calls list 100,000 of them; each school's are sorted where they are shown)."""

    async def pupils(self, pupils: Collection[Pair]) -> list[Pupil]:
        """The pupils there are of these, by school and id."""

    async def guardians_of(self, pupils: Collection[Pair]) -> list[Guardian]:
        """The guardians linked to any of these pupils, each with all their links."""

    async def chat_accounts(self, person_kind: str, people: Collection[Pair]) -> list[ChatAccount]:
        """The chat accounts of these people (school key, person id)."""

    async def reports(self, school_keys: Collection[str], day: date) -> list[AbsenceReport]:
        """The active reports overlapping `day`, by id."""

    async def marks(self, school_keys: Collection[str], day: date) -> list[AttendanceMark]:
        """The day's marks, by id."""

    async def granted_leave(self, school_keys: Collection[str], day: date) -> list[LeaveRequest]:
        """Granted leave overlapping `day`, oldest first."""

    async def codes(self, school_keys: Collection[str]) -> list[AbsenceCode]:
        """The schools' absence codes."""

    async def prompts(self, school_keys: Collection[str], day: date) -> list[AbsencePrompt]:
        """The day's absence prompts, in the order asked."""

    async def follow_ups(self, school_keys: Collection[str], day: date) -> list[FollowUp]:
        """The day's follow-ups, in the order opened."""
