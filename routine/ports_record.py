"""Ports for the school day and the attendance record: reports, marks, the school's absence codes,
roll calls, follow-ups and their contacts, corrections, uses of the record, leave requests and the
day's set-based reads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from routine.model import AbsenceCode, AbsenceReport, AttendanceMark, ChatAccount, Guardian, Pupil
from routine.requests import AbsencePrompt

if TYPE_CHECKING:
    # The use cases' modules import these ports; their nouns are only named here.
    from routine.follow_up import FollowUp, GuardianContact
    from routine.leave import LeaveRequest, LeaveStatus
    from routine.record import Correction, RecordUse
    from routine.roll_call import RollCall


class AbsenceReportRepository(Protocol):
    async def add(self, report: AbsenceReport) -> AbsenceReport:
        """Store a new report and return it with its id."""

    async def get(self, report_id: int) -> AbsenceReport | None: ...
    async def update(self, report: AbsenceReport) -> None: ...
    async def list_covering(
        self, school_key: str, pupil_ids: list[str], day: date
    ) -> list[AbsenceReport]:
        """Active reports for these pupils that cover the day."""

    async def list_current_for_pupils(
        self, school_key: str, pupil_ids: list[str], from_day: date
    ) -> list[AbsenceReport]:
        """Active reports for these pupils whose last day is on or after `from_day`."""

    async def list_overlapping(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AbsenceReport]:
        """Active reports (of these pupils, or of all) with a day in `start`..`end`."""

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        """Delete the school's reports (any status) whose last day is before `day`; how many."""


class AttendanceMarkRepository(Protocol):
    async def add(self, mark: AttendanceMark) -> AttendanceMark: ...
    async def list_for_day(self, school_key: str, day: date) -> list[AttendanceMark]:
        """The school's marks on that day, in the order they were added."""

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AttendanceMark]:
        """The marks (of these pupils, or of all) on days `start`..`end`, in the order added."""

    async def add_many(self, marks: Sequence[AttendanceMark]) -> int:
        """Insert many marks with bulk statements (an import); how many."""

    async def update(self, mark: AttendanceMark) -> None:
        """Store a changed mark (by id): explained, valid, code."""

    async def delete_many(self, mark_ids: Collection[int]) -> int:
        """Delete these marks with bulk statements (an import replacing its own); how many."""

    async def delete_before(self, school_key: str, day: date) -> int:
        """Delete the school's marks from before `day`; how many."""

    async def delete(self, mark_id: int) -> None:
        """Delete one mark (a roll call changed its mind)."""


class AbsenceCodeRepository(Protocol):
    async def list_for(self, school_key: str) -> list[AbsenceCode]: ...
    async def save(self, code: AbsenceCode) -> None: ...


class RollCallRepository(Protocol):
    async def add(self, roll_call: RollCall) -> RollCall:
        """Store a new roll call and return it with its id; if the class already has one that
        day (opened meanwhile, perhaps by another process), return that one instead."""

    async def get(self, roll_call_id: int) -> RollCall | None: ...
    async def find(self, school_key: str, class_name: str, day: date) -> RollCall | None: ...
    async def list_for_day(self, school_key: str, day: date) -> list[RollCall]:
        """The school's roll calls of the day, by class name."""

    async def list_between(self, school_key: str, start: date, end: date) -> list[RollCall]:
        """The school's roll calls on days `start`..`end`, by day and class name."""

    async def update(self, roll_call: RollCall) -> None: ...
    async def mark_not_answered(self, roll_call_id: int) -> bool:
        """Only if it is still open, in one statement (a submit may be committing meanwhile);
        whether it was."""

    async def delete_before(self, school_key: str, day: date) -> int: ...

    async def add_imported(
        self, school_key: str, class_days: Sequence[tuple[str, date]], at: datetime
    ) -> int:
        """Record each (class name, day) as imported from the school's register, with bulk
        INSERT ... ON CONFLICT DO NOTHING; how many were added (a class that has a roll call
        that day keeps it)."""

    async def mark_imported(self, roll_call_ids: Collection[int]) -> int:
        """Turn these roll calls into imported, each only if still open or not answered;
        how many were."""


class FollowUpRepository(Protocol):
    async def add(self, follow_up: FollowUp) -> FollowUp:
        """As `RollCallRepository.add`: one per pupil and day, the first one kept."""

    async def get(self, follow_up_id: int) -> FollowUp | None: ...
    async def find(self, school_key: str, pupil_id: str, day: date) -> FollowUp | None: ...
    async def list_for_day(self, school_key: str, day: date) -> list[FollowUp]:
        """The school's follow-ups of the day, in the order they were opened."""

    async def of_pupils(
        self, school_key: str, pupil_ids: Collection[str], since: date
    ) -> list[FollowUp]:
        """These pupils' follow-ups from `since` on, by day, in few queries."""

    async def delete_before(self, school_key: str, day: date) -> int:
        """Delete follow-ups (with their contacts) from before `day`; how many."""


class GuardianContactRepository(Protocol):
    async def add(self, contact: GuardianContact) -> GuardianContact: ...
    async def list_for(self, follow_up_ids: list[int]) -> list[GuardianContact]:
        """The contacts recorded for these follow-ups, oldest first."""

    async def judgements_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> dict[tuple[str, date], bool]:
        """(pupil id, day) → whether staff judged the absence valid: the latest contact of
        the day's follow-up that said either."""


class CorrectionRepository(Protocol):
    async def add(self, correction: Correction) -> Correction: ...
    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[Correction]:
        """Corrections of days `start`..`end` (of these pupils, or of all), oldest first."""

    async def delete_before(self, school_key: str, day: date) -> int: ...


class RecordUseRepository(Protocol):
    """What rules and notices used of the record, so a correction of a used day is flagged."""

    async def add(
        self, school_key: str, pupil_id: str, day: date, used_by: str, at: datetime
    ) -> RecordUse: ...
    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[RecordUse]:
        """Uses of days `start`..`end` (of these pupils, or of all), oldest first."""

    async def delete_before(self, school_key: str, day: date) -> int: ...
    async def add_many(self, uses: Sequence[RecordUse]) -> None:
        """Store many uses in a few statements (the day's rule hits)."""

    async def add_missing(self, uses: Sequence[RecordUse]) -> int:
        """Store those of the uses not stored yet (school, pupil, day, used by), in a few
        statements; return how many were stored."""

    async def add_missing_days(
        self, school_key: str, used: Sequence[tuple[str, str, Sequence[date]]], at: datetime
    ) -> int:
        """`add_missing` of the school's uses given as (pupil id, used by, days), all at
        `at`: the nightly rules' hits with their days, hundreds of thousands of days."""


class LeaveRequestRepository(Protocol):
    async def add(self, request: LeaveRequest) -> LeaveRequest: ...
    async def get(self, request_id: int) -> LeaveRequest | None: ...
    async def decide(
        self,
        request_id: int,
        *,
        status: LeaveStatus,
        by: str,
        at: datetime,
        comment: str = "",
        expected: LeaveStatus = ...,
    ) -> bool:
        """Compare-and-set: change the status only if it is still `expected` (pending by
        default), in one statement; whether it was."""

    async def mark_reminded(self, request_ids: Collection[int], at: datetime) -> None: ...
    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        *,
        pupil_ids: Collection[str] | None = None,
        statuses: Collection[LeaveStatus] | None = None,
    ) -> list[LeaveRequest]:
        """Requests whose days overlap `start`..`end`, oldest first."""

    async def list_pending(self, school_key: str) -> list[LeaveRequest]: ...
    async def delete_ended_before(self, school_key: str, day: date) -> int: ...


class SchoolDayQueries(Protocol):
    """Set-based reads and bulk writes for the school day's jobs: one statement per kind of
    row (and per few thousand ids), never one per pupil. The day's roll calls are opened and
    closed through `MorningQueries`, for one school as for many."""

    async def pupils(self, school_key: str, pupil_ids: Collection[str]) -> list[Pupil]: ...
    async def class_lists(self, school_key: str, class_names: Collection[str]) -> list[Pupil]:
        """The active pupils of these classes."""

    async def guardians_of(self, school_key: str, pupil_ids: Collection[str]) -> list[Guardian]:
        """The guardians linked to any of these pupils, each with all their links."""

    async def chat_accounts(
        self, school_key: str, person_kind: str, person_ids: Collection[str]
    ) -> list[ChatAccount]: ...
    async def prompts(self, school_key: str, day: date) -> list[AbsencePrompt]:
        """Every absence prompt of the school's day, in the order asked."""

    async def add_prompts(self, prompts: Sequence[AbsencePrompt]) -> None:
        """Store each prompt not asked before (one per pupil, guardian and day)."""

    async def update_marks(self, marks: Sequence[AttendanceMark]) -> None:
        """Store what was learnt about these marks (explained, valid, code), by id, in bulk."""

    async def open_follow_ups(self, follow_ups: Sequence[FollowUp]) -> None:
        """One follow-up per pupil and day: the first one opened is kept."""
