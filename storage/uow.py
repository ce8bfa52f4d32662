"""The unit of work over SQLAlchemy: one session, one transaction, every repository on it."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from routine.model import Conversation
from storage.accounts import SqlChatAccountRepository, SqlInviteCodeRepository
from storage.attendance import (
    SqlAbsenceCodeRepository,
    SqlAbsenceReportRepository,
    SqlAttendanceMarkRepository,
)
from storage.case_notices import SqlCaseNoticeRepository
from storage.case_tasks import SqlCaseTaskRepository
from storage.cases import SqlCaseRepository
from storage.concerns import SqlStaffConcernRepository
from storage.conversations import SqlConversationRepository
from storage.morning import SqlMorningQueries
from storage.outbox import SqlOutboxRepository
from storage.people import (
    SqlClassRepository,
    SqlGuardianRepository,
    SqlPupilRepository,
    SqlSchoolRepository,
    SqlStaffRepository,
)
from storage.plans import SqlPlanRepository
from storage.privacy import SqlPrivacyQueries
from storage.record import (
    SqlCorrectionRepository,
    SqlLeaveRequestRepository,
    SqlRecordUseRepository,
)
from storage.requests import (
    SqlConcernRepository,
    SqlContactRequestRepository,
    SqlPromptRepository,
)
from storage.rule_hits import SqlRuleHitRepository
from storage.school_day import SqlSchoolDayQueries
from storage.staff_day import (
    SqlFollowUpRepository,
    SqlGuardianContactRepository,
    SqlRollCallRepository,
    SqlSlackEventRepository,
)
from storage.thresholds import SqlThresholdQueries


class SqlAlchemyUnitOfWork:
    """`async with uow:` opens a session; leaving without `commit()` rolls back."""

    schools: SqlSchoolRepository
    classes: SqlClassRepository
    pupils: SqlPupilRepository
    guardians: SqlGuardianRepository
    staff: SqlStaffRepository
    reports: SqlAbsenceReportRepository
    marks: SqlAttendanceMarkRepository
    codes: SqlAbsenceCodeRepository
    accounts: SqlChatAccountRepository
    invites: SqlInviteCodeRepository
    conversations: SqlConversationRepository
    outbox: SqlOutboxRepository
    prompts: SqlPromptRepository
    contact_requests: SqlContactRequestRepository
    concerns: SqlConcernRepository
    staff_concerns: SqlStaffConcernRepository
    roll_calls: SqlRollCallRepository
    follow_ups: SqlFollowUpRepository
    guardian_contacts: SqlGuardianContactRepository
    slack_events: SqlSlackEventRepository
    corrections: SqlCorrectionRepository
    leave_requests: SqlLeaveRequestRepository
    school_day: SqlSchoolDayQueries
    morning: SqlMorningQueries
    # Operators only (`narvaro privacy`), so not a port of the routine.
    privacy: SqlPrivacyQueries
    record_uses: SqlRecordUseRepository
    rule_hits: SqlRuleHitRepository
    thresholds: SqlThresholdQueries
    cases: SqlCaseRepository
    case_notices: SqlCaseNoticeRepository
    case_tasks: SqlCaseTaskRepository
    plans: SqlPlanRepository

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; make a new one per use case")
        self._session = session = self._session_factory()
        self.schools = SqlSchoolRepository(session)
        self.classes = SqlClassRepository(session)
        self.pupils = SqlPupilRepository(session)
        self.guardians = SqlGuardianRepository(session)
        self.staff = SqlStaffRepository(session)
        self.reports = SqlAbsenceReportRepository(session)
        self.marks = SqlAttendanceMarkRepository(session)
        self.codes = SqlAbsenceCodeRepository(session)
        self.accounts = SqlChatAccountRepository(session)
        self.invites = SqlInviteCodeRepository(session)
        self.conversations = SqlConversationRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.prompts = SqlPromptRepository(session)
        self.contact_requests = SqlContactRequestRepository(session)
        self.concerns = SqlConcernRepository(session)
        self.staff_concerns = SqlStaffConcernRepository(session)
        self.roll_calls = SqlRollCallRepository(session)
        self.follow_ups = SqlFollowUpRepository(session)
        self.guardian_contacts = SqlGuardianContactRepository(session)
        self.slack_events = SqlSlackEventRepository(session)
        self.corrections = SqlCorrectionRepository(session)
        self.leave_requests = SqlLeaveRequestRepository(session)
        self.school_day = SqlSchoolDayQueries(session)
        self.morning = SqlMorningQueries(session)
        self.privacy = SqlPrivacyQueries(session)
        self.record_uses = SqlRecordUseRepository(session)
        self.rule_hits = SqlRuleHitRepository(session)
        self.thresholds = SqlThresholdQueries(session)
        self.cases = SqlCaseRepository(session)
        self.case_notices = SqlCaseNoticeRepository(session)
        self.case_tasks = SqlCaseTaskRepository(session)
        self.plans = SqlPlanRepository(session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self._session, None
        if session is None:
            return
        try:
            # Whatever was not committed is dropped, on success as on error.
            await session.rollback()
        finally:
            await session.close()

    async def commit(self) -> None:
        await self._open_session().commit()

    async def rollback(self) -> None:
        await self._open_session().rollback()

    async def save_and_commit(self, conversation: Conversation) -> None:
        session = self._open_session()
        # Whatever waits to be flushed is written first, so that the save is the last write
        # (autoflush would do it too; here it does not hang on a setting): on PostgreSQL a
        # save with nothing written before it commits itself.
        await session.flush()
        await self.conversations.save(conversation, last_write=True)
        await session.commit()

    def _open_session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `async with`")
        return self._session


class SqlAlchemyUnitOfWorkFactory:
    """What the services are given: call it for a fresh unit of work per use case."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._session_factory)
