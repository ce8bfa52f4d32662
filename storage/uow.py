"""The unit of work over SQLAlchemy: one session, one transaction, every repository on it."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Generic, Self, TypeVar, overload

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

R = TypeVar("R")


class Repository(Generic[R]):
    """A unit of work's repository, made on first use with the open session and kept for the
    rest of it (in the instance's `__dict__`, which then answers without this descriptor)."""

    def __init__(self, make: type[R]) -> None:
        self._make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Repository[R]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> R: ...
    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is None:
            return self
        repository = self._make(instance._open_session())  # type: ignore[call-arg]
        instance.__dict__[self._name] = repository
        return repository

    @staticmethod
    def made_in(instance: Any) -> list[str]:
        made = instance.__dict__
        return [name for name in made if isinstance(type(instance).__dict__.get(name), Repository)]


class SqlAlchemyUnitOfWork:
    """`async with uow:` opens a session; leaving without `commit()` rolls back.

    Each repository is made on its first use in a unit of work: a chat event uses three of the
    thirty-two, and making them all cost a fiftieth of the event."""

    schools = Repository(SqlSchoolRepository)
    classes = Repository(SqlClassRepository)
    pupils = Repository(SqlPupilRepository)
    guardians = Repository(SqlGuardianRepository)
    staff = Repository(SqlStaffRepository)
    reports = Repository(SqlAbsenceReportRepository)
    marks = Repository(SqlAttendanceMarkRepository)
    codes = Repository(SqlAbsenceCodeRepository)
    accounts = Repository(SqlChatAccountRepository)
    invites = Repository(SqlInviteCodeRepository)
    conversations = Repository(SqlConversationRepository)
    outbox = Repository(SqlOutboxRepository)
    prompts = Repository(SqlPromptRepository)
    contact_requests = Repository(SqlContactRequestRepository)
    concerns = Repository(SqlConcernRepository)
    staff_concerns = Repository(SqlStaffConcernRepository)
    roll_calls = Repository(SqlRollCallRepository)
    follow_ups = Repository(SqlFollowUpRepository)
    guardian_contacts = Repository(SqlGuardianContactRepository)
    slack_events = Repository(SqlSlackEventRepository)
    corrections = Repository(SqlCorrectionRepository)
    leave_requests = Repository(SqlLeaveRequestRepository)
    school_day = Repository(SqlSchoolDayQueries)
    morning = Repository(SqlMorningQueries)
    # Operators only (`narvaro privacy`), so not a port of the routine.
    privacy = Repository(SqlPrivacyQueries)
    record_uses = Repository(SqlRecordUseRepository)
    rule_hits = Repository(SqlRuleHitRepository)
    thresholds = Repository(SqlThresholdQueries)
    cases = Repository(SqlCaseRepository)
    case_notices = Repository(SqlCaseNoticeRepository)
    case_tasks = Repository(SqlCaseTaskRepository)
    plans = Repository(SqlPlanRepository)

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open; make a new one per use case")
        self._session = self._session_factory()
        # Repositories made for an earlier session of this unit of work are not this one's.
        for name in Repository.made_in(self):
            del self.__dict__[name]
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
        if not session.in_transaction():
            # Committed (or never begun): no connection is held, nothing is left to roll back,
            # and closing only lets go of the session's objects, which needs no greenlet.
            session.sync_session.close()
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
        if session.new or session.dirty or session.deleted:
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
