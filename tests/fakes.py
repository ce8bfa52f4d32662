"""In-memory fakes of the routine's ports, as in cosmicpython: dicts behind the same Protocols.

`tests/storage/contract/test_repository_contract.py` runs the same contract against these fakes
and the SQLAlchemy repositories, so the fakes cannot drift from the real thing.

This module holds the fake unit of work; the store is in `tests.fakes_store` and the fake
repositories in `tests/fakes_*.py` by area. It re-exports them under the same names.
"""

from __future__ import annotations

import copy
from typing import Self

from routine.model import Conversation
from tests.fakes_case_notices import FakeCaseNotices
from tests.fakes_case_tasks import FakeCaseTasks
from tests.fakes_cases import FakeCases
from tests.fakes_chat import LIVE_OUTBOX, FakeConversations, FakeOutbox, FakeSlackEvents
from tests.fakes_concerns import FakeStaffConcerns
from tests.fakes_day import FakeSchoolDay
from tests.fakes_morning import FakeMorning
from tests.fakes_nightly import FakeRuleHits, FakeThresholds
from tests.fakes_people import (
    FakeAccounts,
    FakeClasses,
    FakeGuardians,
    FakeInvites,
    FakePupils,
    FakeSchools,
    FakeStaff,
)
from tests.fakes_plans import FakePlans
from tests.fakes_record import FakeCorrections, FakeLeaveRequests, FakeRecordUses
from tests.fakes_reports import FakeCodes, FakeMarks, FakeReports
from tests.fakes_requests import FakeConcerns, FakeContactRequests, FakePrompts
from tests.fakes_roll_call import FakeFollowUps, FakeGuardianContacts, FakeRollCalls
from tests.fakes_store import FakeStore

__all__ = [
    "LIVE_OUTBOX",
    "FakeAccounts",
    "FakeClasses",
    "FakeCodes",
    "FakeConcerns",
    "FakeContactRequests",
    "FakeConversations",
    "FakeFollowUps",
    "FakeGuardianContacts",
    "FakeGuardians",
    "FakeInvites",
    "FakeMarks",
    "FakeMorning",
    "FakeOutbox",
    "FakePrompts",
    "FakePupils",
    "FakeReports",
    "FakeRollCalls",
    "FakeSchools",
    "FakeSlackEvents",
    "FakeStaff",
    "FakeStore",
    "FakeUnitOfWork",
    "FakeUnitOfWorkFactory",
]


class FakeUnitOfWork:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.committed = False
        self.schools = FakeSchools(store)
        self.classes = FakeClasses(store)
        self.pupils = FakePupils(store)
        self.guardians = FakeGuardians(store)
        self.staff = FakeStaff(store)
        self.reports = FakeReports(store)
        self.marks = FakeMarks(store)
        self.codes = FakeCodes(store)
        self.accounts = FakeAccounts(store)
        self.invites = FakeInvites(store)
        self.conversations = FakeConversations(store)
        self.outbox = FakeOutbox(store)
        self.prompts = FakePrompts(store)
        self.contact_requests = FakeContactRequests(store)
        self.concerns = FakeConcerns(store)
        self.staff_concerns = FakeStaffConcerns(store)
        self.roll_calls = FakeRollCalls(store)
        self.follow_ups = FakeFollowUps(store)
        self.guardian_contacts = FakeGuardianContacts(store)
        self.slack_events = FakeSlackEvents(store)
        self.corrections = FakeCorrections(store)
        self.leave_requests = FakeLeaveRequests(store)
        self.school_day = FakeSchoolDay(store)
        self.morning = FakeMorning(self)
        self.record_uses = FakeRecordUses(store)
        self.rule_hits = FakeRuleHits(store)
        self.thresholds = FakeThresholds(store)
        self.cases = FakeCases(store)
        self.case_notices = FakeCaseNotices(store)
        self.case_tasks = FakeCaseTasks(store)
        self.plans = FakePlans(store)

    async def __aenter__(self) -> Self:
        self._snapshot = self.store.snapshot()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.rollback()

    async def commit(self) -> None:
        self._snapshot = self.store.snapshot()
        self.committed = True

    async def rollback(self) -> None:
        self.store.restore(copy.deepcopy(self._snapshot))

    async def save_and_commit(self, conversation: Conversation) -> None:
        await self.conversations.save(conversation)
        await self.commit()


class FakeUnitOfWorkFactory:
    def __init__(self) -> None:
        self.store = FakeStore()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store)
