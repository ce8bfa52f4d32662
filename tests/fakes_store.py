"""The fakes' 'database' (`FakeStore`), which outlives units of work, and the base of the fake
repositories that share it.
"""

from __future__ import annotations

import copy
import itertools
from datetime import date, datetime

from routine.case_tasks import CaseTask
from routine.cases import Case, CaseEvent
from routine.concerns import StaffConcern
from routine.follow_up import FollowUp, GuardianContact
from routine.leave import LeaveRequest
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
from routine.notices_dk import CaseNotice
from routine.outbox import OutboxMessage
from routine.plans import Confirmation, Plan
from routine.record import Correction, RecordUse
from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern
from routine.roll_call import RollCall
from routine.thresholds import RuleHit


class FakeStore:
    """The 'database': survives units of work; each unit of work works on a copy."""

    def __init__(self) -> None:
        self.schools: dict[str, School] = {}
        self.classes: dict[tuple[str, str], SchoolClass] = {}
        self.pupils: dict[tuple[str, str], Pupil] = {}
        self.guardians: dict[tuple[str, str], Guardian] = {}
        self.staff: dict[tuple[str, str], StaffMember] = {}
        self.reports: dict[int, AbsenceReport] = {}
        self.marks: dict[int, AttendanceMark] = {}
        self.codes: dict[tuple[str, str], AbsenceCode] = {}
        self.accounts: dict[tuple[str, str], ChatAccount] = {}
        self.invites: dict[int, InviteCode] = {}
        self.conversations: dict[str, Conversation] = {}
        self.conversation_touched: dict[str, datetime] = {}
        self.outbox: dict[int, OutboxMessage] = {}
        self.prompts: dict[int, AbsencePrompt] = {}
        self.contact_requests: dict[int, ContactRequest] = {}
        self.concerns: dict[int, GuardianConcern] = {}
        self.staff_concerns: dict[int, StaffConcern] = {}
        self.roll_calls: dict[int, RollCall] = {}
        self.follow_ups: dict[int, FollowUp] = {}
        self.guardian_contacts: dict[int, GuardianContact] = {}
        self.slack_events: dict[str, datetime] = {}
        self.corrections: dict[int, Correction] = {}
        self.leave_requests: dict[int, LeaveRequest] = {}
        self.record_uses: dict[int, RecordUse] = {}
        self.rule_hits: dict[tuple[str, str, str, date], RuleHit] = {}
        # As stored: a hit's own window end and numbers; those that held on their window's
        # last evaluation; each (school, rule, window start)'s evaluated day and school days.
        self.holding: set[tuple[str, str, str, date]] = set()
        self.rule_windows: dict[tuple[str, str, date], tuple[date, int | None]] = {}
        self.cases: dict[int, Case] = {}
        self.case_events: list[CaseEvent] = []
        self.case_notices: dict[int, CaseNotice] = {}
        self.case_tasks: dict[int, CaseTask] = {}
        self.plans: dict[int, Plan] = {}
        self.plan_confirmations: dict[tuple[int, str], Confirmation] = {}
        self.leases: dict[int, tuple[str, datetime]] = {}
        self.ids = itertools.count(1)

    def snapshot(self) -> dict:
        return {k: copy.deepcopy(v) for k, v in vars(self).items() if k != "ids"}

    def restore(self, snapshot: dict) -> None:
        vars(self).update(snapshot)


class _Repo:
    def __init__(self, store: FakeStore) -> None:
        self.store = store
