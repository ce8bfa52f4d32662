"""What the routine needs from the outside world, as Protocols.

`storage/` implements them with SQLAlchemy; tests implement them with dicts. Every use case runs in
one unit of work: read, decide, write, commit. Leaving the block without `commit()` rolls back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Conversation,
    Guardian,
    InviteCode,
    Language,
    Pupil,
    School,
    SchoolClass,
    StaffMember,
)
from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage
from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern

if TYPE_CHECKING:
    # The use cases' modules import these ports; their nouns are only named here.
    from routine.case_tasks import CaseTask
    from routine.cases import Case, CaseEvent
    from routine.concerns import StaffConcern
    from routine.follow_up import FollowUp, GuardianContact
    from routine.leave import LeaveRequest, LeaveStatus
    from routine.notices_dk import CaseNotice, NoticeStatus
    from routine.plans import Confirmation, Plan
    from routine.policy import Counted
    from routine.record import Correction, RecordSource, RecordUse
    from routine.roll_call import RollCall
    from routine.thresholds import RuleHit, StoredHits


class SchoolRepository(Protocol):
    async def get(self, key: str) -> School | None: ...
    async def get_with_staff(self, key: str) -> School | None:
        """`get`, for a job that reads the school's staff next: both are read at once, and
        `StaffRepository.list_for_school` in the same unit of work costs nothing more."""

    async def list(self) -> list[School]: ...
    async def save(self, school: School) -> None: ...


class ClassRepository(Protocol):
    async def list_for(self, school_key: str) -> list[SchoolClass]: ...
    async def save(self, school_class: SchoolClass) -> None: ...
    async def save_many(self, classes: Sequence[SchoolClass]) -> None:
        """Like `save` for each, in a few bulk statements."""


class PupilRepository(Protocol):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None: ...
    async def list_for_school(self, school_key: str) -> list[Pupil]: ...
    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]: ...
    async def save(self, pupil: Pupil) -> None: ...
    async def save_many(self, pupils: Sequence[Pupil]) -> None:
        """Like `save` for each, in a few bulk statements."""


class GuardianRepository(Protocol):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None: ...
    async def list_for_school(self, school_key: str) -> list[Guardian]: ...
    async def save(self, guardian: Guardian) -> None:
        """Insert or update, including the set of linked pupils (`pupil_ids`)."""

    async def save_many(self, guardians: Sequence[Guardian]) -> None:
        """Like `save` for each, in a few bulk statements."""

    async def add_many(self, guardians: Sequence[Guardian]) -> None:
        """Insert guardians not stored yet, with their links, without reading what is there."""


class StaffRepository(Protocol):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None: ...
    async def list_for_school(self, school_key: str) -> list[StaffMember]: ...
    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None: ...
    async def list_by_slack_users(self, slack_user_ids: Collection[str]) -> list[StaffMember]:
        """Every staff member, at any school, with one of these Slack user ids."""

    async def save(self, staff: StaffMember) -> None: ...
    async def delete(self, school_key: str, staff_id: str) -> None:
        """Remove the member of staff (their roles and classes with them)."""

    async def save_many(self, staff: Sequence[StaffMember]) -> None:
        """Like `save` for each, in a few bulk statements."""

    async def remember_platform_languages(
        self, school_key: str, answers: Mapping[str, Language | None], asked_at: datetime
    ) -> int:
        """Compare-and-set, set-based: each member's platform language as their platform
        answered (staff id to language; None: a locale we do not write) and that it was asked,
        only where neither is known yet (an event may have told it meanwhile). How many were
        set."""


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


class ChatAccountRepository(Protocol):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None: ...
    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        """Every chat account linked to this person, by platform and account id."""

    async def save(self, account: ChatAccount) -> None: ...
    async def delete(self, platform: str, account_id: str) -> None: ...


class InviteCodeRepository(Protocol):
    async def add(self, invite: InviteCode) -> InviteCode: ...
    async def find_by_hash(self, code_hash: str) -> InviteCode | None: ...
    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        """Compare-and-set: only if still unused, in one statement; whether it was."""

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        """Expire every unused code of this guardian; returns how many."""


class ConversationMoved(Exception):
    """Someone else saved the conversation since it was read: this event's work is void."""


class ConversationRepository(Protocol):
    async def get(self, key: str) -> Conversation | None: ...
    async def open(
        self, key: str, platform: str, account_id: str
    ) -> tuple[Conversation | None, ChatAccount | None]:
        """What an incoming event starts with: its conversation and the chat account writing
        in it, as `get` and `accounts.get` would give them. Storage may read them in one round
        trip, with the account's school and person, for the lookups that follow."""

    async def save(self, conversation: Conversation) -> None:
        """Compare-and-set on `version`: stored as version + 1 only if the stored one is still
        `conversation.version` (0: not stored yet); otherwise `ConversationMoved`."""

    async def delete(self, key: str) -> None: ...
    async def clear_idle_before(self, moment: datetime) -> int:
        """Forget where conversations not touched since `moment` stood, with whatever was
        typed into them and never sent (a note may hold a health detail); how many."""


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> bool:
        """Store a pending message; False (and nothing stored) if its key is already there.

        With a slot, also False if the newest version in the slot that is pending or sent says
        exactly the same (text and buttons): re-running a job edits nothing. Once stored, the
        earlier versions still pending and not leased are superseded: only the newest is sent."""

    async def add_many(self, messages: Sequence[OutboxMessage]) -> list[bool]:
        """`add` for many messages at once, with a few statements per batch; whether each was
        stored. Of several versions of one slot among `messages`, only the last counts."""

    async def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease: timedelta,
        worker: str,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        """Up to `limit` pending messages that are due and not leased, oldest first, leased to
        `worker` until `now + lease`. Concurrent workers never get the same message; a crashed
        worker's lease runs out, and its messages are claimed again. Only messages for
        `platforms`, if given: a worker that cannot send Slack messages leaves them alone."""

    async def record(self, message: OutboxMessage) -> None:
        """Store a delivery outcome (status, attempts, next attempt, error, sent_at, ref) and
        release the lease. A version to be tried again is superseded instead if a newer one in
        its slot is pending or sent: it was leased when that one was added."""

    async def slot_ref(self, platform: str, recipient: str, slot: str) -> str:
        """The `ref` of the newest sent version in the slot, which the next one edits; "" if
        none was sent."""

    async def requeue_failed(
        self,
        *,
        now: datetime,
        ids: Collection[int] = (),
        kind: str | None = None,
        since: datetime | None = None,
        school_key: str | None = None,
    ) -> int:
        """Put failed messages back to pending, to be tried afresh: no attempts, due at once,
        and the retry time limit counted again from `now` (which becomes their `created_at`).
        Only those that match every filter given: one of `ids`, of `kind`, created at or after
        `since`, of the school. A version in a slot that has a newer version pending or sent
        stays failed: sending it would undo what is on screen. How many were requeued."""

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]: ...

    async def counts(self) -> dict[tuple[DeliveryStatus, str], int]:
        """How many messages there are by status and platform, counted by the database."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        """Delete the school's messages (any status) created before `moment`; how many."""


class PromptRepository(Protocol):
    async def add(self, prompt: AbsencePrompt) -> AbsencePrompt: ...
    async def find(
        self, school_key: str, pupil_id: str, guardian_id: str, day: date
    ) -> AbsencePrompt | None:
        """The prompt already asked of this guardian about this pupil and day, if any."""

    async def by_token(self, token: str) -> AbsencePrompt | None: ...
    async def update(self, prompt: AbsencePrompt) -> None: ...
    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


class ContactRequestRepository(Protocol):
    async def add(self, request: ContactRequest) -> ContactRequest: ...
    async def get(self, request_id: int) -> ContactRequest | None: ...
    async def update(self, request: ContactRequest) -> None: ...
    async def take(self, request_id: int, staff_id: str, at: datetime) -> bool:
        """Compare-and-set: taken by this staff member only if still open; whether it was."""

    async def list_open(self, school_key: str, pupil_ids: list[str]) -> list[ContactRequest]:
        """Requests about these pupils that are not done, oldest first."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


class ConcernRepository(Protocol):
    async def add(self, concern: GuardianConcern) -> GuardianConcern: ...
    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[GuardianConcern]: ...
    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


class StaffConcernRepository(Protocol):
    """A member of staff's "I am worried about this pupil" (routine.concerns)."""

    async def add(self, concern: StaffConcern) -> StaffConcern: ...
    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[StaffConcern]:
        """Oldest first."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


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


class RuleHitRepository(Protocol):
    """What the rules found (routine.thresholds): one hit per school, pupil, rule and window
    start, updated in place while it holds, so evaluating a day again writes nothing."""

    async def add_or_update(self, hits: Sequence[RuleHit], found_at: datetime) -> StoredHits:
        """Store the hits of new window starts (with `found_at`), and update the stored ones
        whose window end or numbers changed, in a few statements; return what was written,
        with ids (an updated hit keeps its first `found_at`)."""

    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        """`add_or_update`, returning the new hits only."""

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

    async def taken_per_class(self, school_key: str, days: Collection[date]) -> dict[str, int]:
        """How many of these days each class's roll call was submitted or imported."""

    async def marks_of(
        self, school_key: str, start: date, end: date, pupil_ids: Collection[str]
    ) -> list[AttendanceMark]:
        """These pupils' marks from `start` to `end`, oldest first, in few queries."""

    async def counted_days(
        self,
        school_key: str,
        start: date,
        end: date,
        counted: Counted,
        pupil_ids: Collection[str],
    ) -> tuple[dict[str, list[date]], set[str]]:
        """These pupils' days from `start` to `end` with a day-level mark of the kind counted
        (any day, school day or not), and the pupils with another day-level mark on such a
        day; in few queries."""

    async def taken_days(
        self, school_key: str, start: date, end: date, class_names: Collection[str]
    ) -> dict[tuple[str, date], RecordSource]:
        """(class, day) → roll call or import, for these classes: the record's `taken`."""


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


class SlackEventRepository(Protocol):
    async def first_time(self, event_id: str, now: datetime) -> bool:
        """Record the event id; False if it was recorded before (by any process)."""

    async def delete_seen_before(self, moment: datetime) -> int: ...


class SchoolDayQueries(Protocol):
    """Set-based reads and bulk writes for the school day's jobs: one statement per kind of
    row (and per few thousand ids), never one per pupil."""

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

    async def open_roll_calls(
        self, school_key: str, class_names: Collection[str], day: date, now: datetime
    ) -> list[RollCall]:
        """A roll call for each of these classes that is in the school's class list and has
        none that day; the ones there are kept. The roll calls it opened, by class name."""

    async def close_open_roll_calls(self, school_key: str, day: date) -> list[RollCall]:
        """The day's roll calls still open become not answered, in one statement; those that
        did, as they are now, by class name."""

    async def update_marks(self, marks: Sequence[AttendanceMark]) -> None:
        """Store what was learnt about these marks (explained, valid, code), by id, in bulk."""

    async def open_follow_ups(self, follow_ups: Sequence[FollowUp]) -> None:
        """One follow-up per pupil and day: the first one opened is kept."""


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


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


class Clock(Protocol):
    """Time is a port: only the edges read the real clock."""

    def now(self) -> datetime:
        """An aware datetime."""


class Sender(Protocol):
    """Delivers one outbox message on one platform (Telegram, Slack, ...)."""

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        """Never raises for delivery problems: they come back as a DeliveryResult."""


@dataclass(frozen=True)
class LocaleAnswer:
    """What a chat platform said when asked for one person's locale."""

    # e.g. "nb-NO"; None when it has none for them (or they are gone).
    locale: str | None = None
    # Why it could not be asked (an error's name, nothing personal): ask on a later run.
    failed: str = ""
    # Rate limited: ask nobody more on this run.
    wait: timedelta | None = None

    @property
    def answered(self) -> bool:
        return not self.failed and self.wait is None


class PlatformLocales(Protocol):
    """Asks a chat platform (Slack's `users.info`) for the locale of one of its accounts."""

    async def locale_of(self, account_id: str) -> LocaleAnswer:
        """Never raises for the platform's failures: they come back in the answer."""
