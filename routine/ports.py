"""What the routine needs from the outside world, as Protocols.

`storage/` implements them with SQLAlchemy; tests implement them with dicts. Every use case runs in
one unit of work: read, decide, write, commit. Leaving the block without `commit()` rolls back.
"""

from __future__ import annotations

from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Conversation,
    Guardian,
    InviteCode,
    Pupil,
    School,
    SchoolClass,
    StaffMember,
)


class SchoolRepository(Protocol):
    async def get(self, key: str) -> School | None: ...
    async def list(self) -> list[School]: ...
    async def save(self, school: School) -> None: ...


class ClassRepository(Protocol):
    async def list_for(self, school_key: str) -> list[SchoolClass]: ...
    async def save(self, school_class: SchoolClass) -> None: ...


class PupilRepository(Protocol):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None: ...
    async def list_for_school(self, school_key: str) -> list[Pupil]: ...
    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]: ...
    async def save(self, pupil: Pupil) -> None: ...


class GuardianRepository(Protocol):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None: ...
    async def list_for_school(self, school_key: str) -> list[Guardian]: ...
    async def save(self, guardian: Guardian) -> None:
        """Insert or update, including the set of linked pupils (`pupil_ids`)."""


class StaffRepository(Protocol):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None: ...
    async def list_for_school(self, school_key: str) -> list[StaffMember]: ...
    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None: ...
    async def save(self, staff: StaffMember) -> None: ...


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


class AttendanceMarkRepository(Protocol):
    async def add(self, mark: AttendanceMark) -> AttendanceMark: ...
    async def list_for_day(self, school_key: str, day: date) -> list[AttendanceMark]: ...


class AbsenceCodeRepository(Protocol):
    async def list_for(self, school_key: str) -> list[AbsenceCode]: ...
    async def save(self, code: AbsenceCode) -> None: ...


class ChatAccountRepository(Protocol):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None: ...
    async def save(self, account: ChatAccount) -> None: ...
    async def delete(self, platform: str, account_id: str) -> None: ...


class InviteCodeRepository(Protocol):
    async def add(self, invite: InviteCode) -> InviteCode: ...
    async def find_by_hash(self, code_hash: str) -> InviteCode | None: ...
    async def mark_used(self, invite_id: int, used_at: datetime) -> None: ...
    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        """Expire every unused code of this guardian; returns how many."""


class ConversationRepository(Protocol):
    async def get(self, key: str) -> Conversation | None: ...
    async def save(self, conversation: Conversation) -> None: ...
    async def delete(self, key: str) -> None: ...


class UnitOfWork(Protocol):
    schools: SchoolRepository
    classes: ClassRepository
    pupils: PupilRepository
    guardians: GuardianRepository
    staff: StaffRepository
    reports: AbsenceReportRepository
    marks: AttendanceMarkRepository
    codes: AbsenceCodeRepository
    accounts: ChatAccountRepository
    invites: InviteCodeRepository
    conversations: ConversationRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """Time is a port: only the edges read the real clock."""

    def now(self) -> datetime:
        """An aware datetime."""
