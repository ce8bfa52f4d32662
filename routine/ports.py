"""What the routine needs from the outside world, as Protocols.

`storage/` implements them with SQLAlchemy; tests implement them with dicts. Every use case runs in
one unit of work: read, decide, write, commit. Leaving the block without `commit()` rolls back.

This module holds the unit of work and the clock; the repositories are in `ports_*` by area
(people, record, cases, requests, chat) and are re-exported here under the same names.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from routine.model import Conversation
from routine.ports_cases import (
    CaseNoticeRepository,
    CaseRepository,
    CaseTaskRepository,
    PlanRepository,
    RuleHitRepository,
    StaffConcernRepository,
    ThresholdQueries,
)
from routine.ports_chat import (
    ConversationMoved,
    ConversationRepository,
    LocaleAnswer,
    OutboxRepository,
    PlatformLocales,
    Sender,
    SlackEventRepository,
)
from routine.ports_morning import MorningQueries
from routine.ports_people import (
    ChatAccountRepository,
    ClassRepository,
    GuardianRepository,
    InviteCodeRepository,
    PupilRepository,
    SchoolRepository,
    StaffRepository,
)
from routine.ports_record import (
    AbsenceCodeRepository,
    AbsenceReportRepository,
    AttendanceMarkRepository,
    CorrectionRepository,
    FollowUpRepository,
    GuardianContactRepository,
    LeaveRequestRepository,
    RecordUseRepository,
    RollCallRepository,
    SchoolDayQueries,
)
from routine.ports_requests import ConcernRepository, ContactRequestRepository, PromptRepository

__all__ = [
    "AbsenceCodeRepository",
    "AbsenceReportRepository",
    "AttendanceMarkRepository",
    "CaseNoticeRepository",
    "CaseRepository",
    "CaseTaskRepository",
    "ChatAccountRepository",
    "ClassRepository",
    "Clock",
    "ConcernRepository",
    "ContactRequestRepository",
    "ConversationMoved",
    "ConversationRepository",
    "CorrectionRepository",
    "FollowUpRepository",
    "GuardianContactRepository",
    "GuardianRepository",
    "InviteCodeRepository",
    "LeaveRequestRepository",
    "LocaleAnswer",
    "MorningQueries",
    "OutboxRepository",
    "PlanRepository",
    "PlatformLocales",
    "PromptRepository",
    "PupilRepository",
    "RecordUseRepository",
    "RollCallRepository",
    "RuleHitRepository",
    "SchoolDayQueries",
    "SchoolRepository",
    "Sender",
    "SlackEventRepository",
    "StaffConcernRepository",
    "StaffRepository",
    "ThresholdQueries",
    "UnitOfWork",
    "UnitOfWorkFactory",
]


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
    outbox: OutboxRepository
    prompts: PromptRepository
    contact_requests: ContactRequestRepository
    concerns: ConcernRepository
    staff_concerns: StaffConcernRepository
    roll_calls: RollCallRepository
    follow_ups: FollowUpRepository
    guardian_contacts: GuardianContactRepository
    slack_events: SlackEventRepository
    corrections: CorrectionRepository
    leave_requests: LeaveRequestRepository
    school_day: SchoolDayQueries
    morning: MorningQueries
    record_uses: RecordUseRepository
    rule_hits: RuleHitRepository
    thresholds: ThresholdQueries
    cases: CaseRepository
    case_notices: CaseNoticeRepository
    case_tasks: CaseTaskRepository
    plans: PlanRepository

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
    async def save_and_commit(self, conversation: Conversation) -> None:
        """`conversations.save(conversation)` as the last write, then `commit()`. Storage may
        then send less: on PostgreSQL, a save with nothing written before it is one statement
        that commits itself."""


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """Time is a port: only the edges read the real clock."""

    def now(self) -> datetime:
        """An aware datetime."""
