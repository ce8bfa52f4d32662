"""Ports for the routine after step 1: the rules' aggregates and hits, cases, their tasks,
notices and plans, and staff concerns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from routine.model import AttendanceMark

if TYPE_CHECKING:
    # The use cases' modules import these ports; their nouns are only named here.
    from routine.case_tasks import CaseTask
    from routine.cases import Case, CaseEvent
    from routine.concerns import StaffConcern
    from routine.hit_windows import HeldWindow, ListedDays, NightWrites, StoredHits, WindowScan
    from routine.notices_dk import CaseNotice, NoticeStatus
    from routine.plans import Confirmation, Plan
    from routine.policy import Counted
    from routine.record import RecordSource
    from routine.thresholds import RuleHit


class ThresholdQueries(Protocol):
    """The nightly rules' aggregates (routine.evaluation): one GROUP BY per window and kind."""

    async def active_classes(self, school_key: str) -> dict[str, str]:
        """Each active pupil's class, by pupil id."""

    async def count_days(
        self, school_key: str, start: date, end: date, counted: Counted
    ) -> dict[str, int]:
        """Per pupil with any, the day-level marks of that kind from `start` to `end`."""

    async def count_windows(
        self, school_key: str, end: date, wanted: Sequence[tuple[date, Counted]]
    ) -> list[dict[str, int]]:
        """`count_days(school_key, start, end, counted)` for each (start, counted) wanted, in
        order, with one read of the marks."""

    async def scan_windows(
        self,
        school_key: str,
        end: date,
        wanted: Sequence[tuple[date, Counted]],
        twice: bool = False,
        least: Sequence[int] | None = None,
    ) -> WindowScan:
        """`count_windows`, and with `twice` in the same read the pupils with a day of two or
        more day-level marks from the earliest start; with `least` (a count for each window
        and kind wanted), only the pupils with some count at least its least."""

    async def list_days(
        self,
        school_key: str,
        start: date,
        end: date,
        kinds: Sequence[Counted],
        pupil_ids: Collection[str] | None = None,
    ) -> ListedDays:
        """These pupils' (None: every pupil's) days from `start` to `end` with a day-level
        mark of each kind (any day, school day or not), and their days of two or more
        day-level marks, in one or a few reads."""

    async def marked_on(self, school_key: str, days: Collection[date]) -> set[str]:
        """The pupils with a day-level mark on one of these days."""

    async def taken_per_class(self, school_key: str, days: Collection[date]) -> dict[str, int]:
        """How many of these days each class's roll call was submitted or imported."""

    async def marks_of(
        self, school_key: str, start: date, end: date, pupil_ids: Collection[str]
    ) -> list[AttendanceMark]:
        """These pupils' marks from `start` to `end`, oldest first, in few queries."""

    async def taken_days(
        self, school_key: str, start: date, end: date, class_names: Collection[str]
    ) -> dict[tuple[str, date], RecordSource]:
        """(class, day) → roll call or import, for these classes: the record's `taken`."""


class RuleHitRepository(Protocol):
    """What the rules found (routine.thresholds): one hit per school, pupil, rule and window
    start. A hit that held on its window's last evaluation ends there, with the window's
    school days: one that goes on holding as it was is not written again, and evaluating a
    day again writes nothing."""

    async def held(
        self, school_key: str, windows: Collection[tuple[str, date]]
    ) -> dict[tuple[str, date], HeldWindow]:
        """The school's stored windows (rule id, start) of these, with their hits, in one or
        a few reads; a window never stored is left out."""

    async def store_night(
        self, school_key: str, day: date, night: NightWrites, found_at: datetime
    ) -> StoredHits:
        """Write a night's evaluation (`routine.hit_windows.night_writes`) in a few statements:
        each window evaluated through `day` (a compare-and-set on the day read: a window
        another run moved meanwhile writes none of its hits), the new hits (with `found_at`),
        the changed and the stopped ones; return the new and the changed as written, with
        ids (a changed hit keeps its first `found_at`)."""

    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        """Store the hits of window starts not stored, as they are (not holding: their own
        window end and numbers); return those stored, with ids."""

    async def list_between(self, school_key: str, start: date, end: date) -> list[RuleHit]:
        """Hits whose window ends from `start` to `end`, by window end, pupil and rule."""

    async def delete_before(self, school_key: str, day: date) -> int: ...


class CaseRepository(Protocol):
    """Cases (routine.cases) and their logs. A pupil has at most one open case."""

    async def get(self, case_id: int) -> Case | None: ...

    async def open_cases(
        self, school_key: str, pupil_ids: Collection[str] | None = None
    ) -> list[Case]:
        """The school's open cases (of these pupils), in one query."""

    async def last_closed(self, school_key: str, pupil_ids: Collection[str]) -> dict[str, Case]:
        """Each of these pupils' most recently closed case, by pupil id."""

    async def of_pupil(self, school_key: str, pupil_id: str) -> list[Case]:
        """The pupil's cases, newest first."""

    async def add_new(self, cases: Sequence[Case]) -> list[Case]:
        """Store these new cases; a pupil who has an open case meanwhile (another process)
        gets none. The stored ones, with their ids."""

    async def update(self, case: Case) -> Case | None:
        """Store the case if nobody changed it since it was read (its `version`); the stored
        case with the next version, or None if it moved."""

    async def add_events(self, events: Sequence[CaseEvent]) -> None: ...

    async def events_of(self, case_ids: Collection[int]) -> dict[int, list[CaseEvent]]:
        """The logs of these cases, oldest first, in one query."""

    async def delete_closed_before(self, school_key: str, before: datetime) -> int:
        """Cases closed before that instant, with their logs and tasks."""


class CaseTaskRepository(Protocol):
    """Dated tasks of cases (routine.case_tasks)."""

    async def get(self, task_id: int) -> CaseTask | None: ...

    async def add_new(self, tasks: Sequence[CaseTask]) -> list[CaseTask]:
        """Store these tasks; one already stored with the same case, kind, source and due
        date (by this or another process) is not stored again. The stored ones, with ids."""

    async def open_for_school(self, school_key: str, due_by: date) -> list[CaseTask]:
        """The school's open tasks due on or before `due_by`, by due date, in one query."""

    async def open_of_owner(self, school_key: str, owner_id: str) -> list[CaseTask]:
        """One person's open tasks at the school, by due date."""

    async def of_cases(self, case_ids: Collection[int]) -> dict[int, list[CaseTask]]:
        """The tasks of these cases, by due date, in one query (a few thousand ids a query)."""

    async def update(self, task: CaseTask) -> CaseTask | None:
        """Store the task if nobody changed it since it was read (its `version`); the stored
        task with the next version, or None if it moved."""


class CaseNoticeRepository(Protocol):
    """What the Danish absence rules ask of the head (routine.notices_dk), once per case, kind
    and quarter."""

    async def get(self, notice_id: int) -> CaseNotice | None: ...

    async def add_new(self, notices: Sequence[CaseNotice]) -> list[CaseNotice]:
        """Store the notices not kept yet for their case, kind and quarter (by another night
        or process); the stored ones, pending, with their ids."""

    async def decide(
        self, notice_id: int, status: NoticeStatus, staff_id: str, at: datetime
    ) -> CaseNotice | None:
        """Compare-and-set: decide the notice only if it is still pending, in one statement;
        the decided notice, or None if it was not pending (or is not there)."""

    async def of_cases(self, case_ids: Collection[int]) -> list[CaseNotice]:
        """The notices of these cases, oldest first."""


class PlanRepository(Protocol):
    """The versions of each case's plan (routine.plans), and who confirmed which."""

    async def get(self, plan_id: int) -> Plan | None: ...

    async def latest_of(self, case_ids: Collection[int]) -> dict[int, Plan]:
        """Each of these cases' newest plan version, by case id, in one query."""

    async def versions(self, case_id: int) -> list[Plan]:
        """Every version of the case's plan, oldest first."""

    async def add_version(self, plan: Plan) -> Plan | None:
        """Store `plan` as its case's version `plan.version`; None if that version exists
        already (someone saved meanwhile)."""

    async def record_pupil_agreement(self, plan_id: int, by: str, at: datetime) -> bool:
        """The pupil agreed to this version, as recorded by staff `by`; False if it was
        recorded already (the first record stays) or there is no such plan."""

    async def confirm(self, plan_id: int, guardian_id: str, at: datetime) -> bool:
        """The guardian confirmed this version; False if they had already."""

    async def confirmations(self, plan_ids: Collection[int]) -> dict[int, list[Confirmation]]:
        """Who confirmed each of these versions, by plan id, oldest first."""


class StaffConcernRepository(Protocol):
    """A member of staff's "I am worried about this pupil" (routine.concerns)."""

    async def add(self, concern: StaffConcern) -> StaffConcern: ...
    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[StaffConcern]:
        """Oldest first."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...
