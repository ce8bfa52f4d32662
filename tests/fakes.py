"""In-memory fakes of the routine's ports, as in cosmicpython: dicts behind the same Protocols.

`tests/storage/test_repository_contract.py` runs the same contract against these fakes and the
SQLAlchemy repositories, so the fakes cannot drift from the real thing.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import json
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Self

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
    Language,
    Pupil,
    ReportStatus,
    School,
    SchoolClass,
    StaffMember,
)
from routine.notices_dk import CaseNotice
from routine.outbox import DeliveryStatus, OutboxMessage
from routine.plans import Confirmation, Plan
from routine.ports import ConversationMoved
from routine.record import Correction, RecordUse
from routine.register_import import IMPORTED_BY, NOT_TAKEN
from routine.requests import (
    AbsencePrompt,
    ContactRequest,
    GuardianConcern,
    RequestStatus,
)
from routine.roll_call import RollCall, RollCallStatus
from routine.thresholds import RuleHit
from tests.fakes_case_notices import FakeCaseNotices
from tests.fakes_case_tasks import FakeCaseTasks
from tests.fakes_cases import FakeCases
from tests.fakes_concerns import FakeStaffConcerns
from tests.fakes_day import FakeSchoolDay
from tests.fakes_plans import FakePlans
from tests.fakes_record import (
    FakeCorrections,
    FakeLeaveRequests,
    FakeRecordUses,
    FakeRuleHits,
    FakeThresholds,
)

# The outbox's versions that are, or are to be, on screen.
LIVE_OUTBOX = (DeliveryStatus.PENDING, DeliveryStatus.SENT)


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


class FakeSchools(_Repo):
    async def get(self, key: str) -> School | None:
        return self.store.schools.get(key)

    async def get_with_staff(self, key: str) -> School | None:
        return self.store.schools.get(key)

    async def list(self) -> list[School]:
        return sorted(self.store.schools.values(), key=lambda s: s.key)

    async def save(self, school: School) -> None:
        self.store.schools[school.key] = school


class FakeClasses(_Repo):
    async def list_for(self, school_key: str) -> list[SchoolClass]:
        found = [c for (k, _), c in self.store.classes.items() if k == school_key]
        return sorted(found, key=lambda c: c.name)

    async def save(self, school_class: SchoolClass) -> None:
        self.store.classes[(school_class.school_key, school_class.name)] = school_class

    async def save_many(self, classes: Sequence[SchoolClass]) -> None:
        for school_class in classes:
            await self.save(school_class)


class FakePupils(_Repo):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None:
        return self.store.pupils.get((school_key, pupil_id))

    async def list_for_school(self, school_key: str) -> list[Pupil]:
        found = [p for (k, _), p in self.store.pupils.items() if k == school_key]
        return sorted(found, key=lambda p: (p.class_name, p.name, p.pupil_id))

    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]:
        pupils = await self.list_for_school(school_key)
        return [p for p in pupils if p.class_name in class_names]

    async def save(self, pupil: Pupil) -> None:
        self.store.pupils[(pupil.school_key, pupil.pupil_id)] = pupil

    async def save_many(self, pupils: Sequence[Pupil]) -> None:
        for pupil in pupils:
            await self.save(pupil)


class FakeGuardians(_Repo):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None:
        return self.store.guardians.get((school_key, guardian_id))

    async def list_for_school(self, school_key: str) -> list[Guardian]:
        found = [g for (k, _), g in self.store.guardians.items() if k == school_key]
        return sorted(found, key=lambda g: g.guardian_id)

    async def save(self, guardian: Guardian) -> None:
        guardian = dataclasses.replace(guardian, pupil_ids=tuple(sorted(guardian.pupil_ids)))
        self.store.guardians[(guardian.school_key, guardian.guardian_id)] = guardian

    async def save_many(self, guardians: Sequence[Guardian]) -> None:
        for guardian in guardians:
            await self.save(guardian)

    async def add_many(self, guardians: Sequence[Guardian]) -> None:
        for guardian in guardians:
            if (guardian.school_key, guardian.guardian_id) in self.store.guardians:
                raise KeyError(f"guardian {guardian.guardian_id} is already stored")
            await self.save(guardian)


class FakeStaff(_Repo):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None:
        return self.store.staff.get((school_key, staff_id))

    async def list_for_school(self, school_key: str) -> list[StaffMember]:
        found = [s for (k, _), s in self.store.staff.items() if k == school_key]
        return sorted(found, key=lambda s: s.staff_id)

    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None:
        return next(
            (s for s in self.store.staff.values() if s.slack_user_id == slack_user_id), None
        )

    async def list_by_slack_users(self, slack_user_ids: Collection[str]) -> list[StaffMember]:
        wanted = set(slack_user_ids)
        found = [s for s in self.store.staff.values() if s.slack_user_id in wanted]
        return sorted(found, key=lambda s: (s.school_key, s.staff_id))

    async def save(self, staff: StaffMember) -> None:
        self.store.staff[(staff.school_key, staff.staff_id)] = staff

    async def save_many(self, staff: Sequence[StaffMember]) -> None:
        for member in staff:
            await self.save(member)

    async def delete(self, school_key: str, staff_id: str) -> None:
        self.store.staff.pop((school_key, staff_id), None)

    async def remember_platform_languages(
        self, school_key: str, answers: Mapping[str, Language | None], asked_at: datetime
    ) -> int:
        done = 0
        for staff_id, language in answers.items():
            member = self.store.staff.get((school_key, staff_id))
            if member is None or member.platform_language or member.platform_locale_asked:
                continue
            self.store.staff[(school_key, staff_id)] = dataclasses.replace(
                member, platform_language=language, platform_locale_asked=asked_at
            )
            done += 1
        return done


class FakeReports(_Repo):
    async def add(self, report: AbsenceReport) -> AbsenceReport:
        stored = dataclasses.replace(report, id=next(self.store.ids))
        self.store.reports[stored.id] = stored
        return stored

    async def get(self, report_id: int) -> AbsenceReport | None:
        return self.store.reports.get(report_id)

    async def update(self, report: AbsenceReport) -> None:
        if report.id not in self.store.reports:
            raise KeyError(f"no absence report with id {report.id}")
        self.store.reports[report.id] = report

    async def list_covering(
        self, school_key: str, pupil_ids: list[str], day: date
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key and r.pupil_id in pupil_ids and r.covers(day)
            ),
            key=lambda r: r.id or 0,
        )

    async def list_overlapping(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key
                and r.status is ReportStatus.ACTIVE
                and r.first_day <= end
                and r.last_day >= start
                and (pupil_ids is None or r.pupil_id in pupil_ids)
            ),
            key=lambda r: r.id or 0,
        )

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, r in self.store.reports.items()
            if r.school_key == school_key and r.last_day < day
        ]
        for report_id in old:
            del self.store.reports[report_id]
        return len(old)

    async def list_current_for_pupils(
        self, school_key: str, pupil_ids: list[str], from_day: date
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key
                and r.pupil_id in pupil_ids
                and r.status is ReportStatus.ACTIVE
                and r.last_day >= from_day
            ),
            key=lambda r: (r.first_day, r.id or 0),
        )


class FakeMarks(_Repo):
    async def update(self, mark: AttendanceMark) -> None:
        if mark.id not in self.store.marks:
            raise KeyError(f"no attendance mark with id {mark.id}")
        self.store.marks[mark.id] = mark

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i for i, m in self.store.marks.items() if m.school_key == school_key and m.day < day
        ]
        for mark_id in old:
            del self.store.marks[mark_id]
        return len(old)

    async def delete(self, mark_id: int) -> None:
        self.store.marks.pop(mark_id, None)

    async def add(self, mark: AttendanceMark) -> AttendanceMark:
        stored = dataclasses.replace(mark, id=next(self.store.ids))
        self.store.marks[stored.id] = stored
        return stored

    async def list_for_day(self, school_key: str, day: date) -> list[AttendanceMark]:
        return [
            m for m in self.store.marks.values() if m.school_key == school_key and m.day == day
        ]

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AttendanceMark]:
        return [
            m
            for m in self.store.marks.values()
            if m.school_key == school_key
            and start <= m.day <= end
            and (pupil_ids is None or m.pupil_id in pupil_ids)
        ]

    async def add_many(self, marks: Sequence[AttendanceMark]) -> int:
        for mark in marks:
            await self.add(mark)
        return len(marks)

    async def delete_many(self, mark_ids: Collection[int]) -> int:
        found = [i for i in set(mark_ids) if i in self.store.marks]
        for mark_id in found:
            del self.store.marks[mark_id]
        return len(found)


class FakeCodes(_Repo):
    async def list_for(self, school_key: str) -> list[AbsenceCode]:
        found = [c for (k, _), c in self.store.codes.items() if k == school_key]
        return sorted(found, key=lambda c: c.code)

    async def save(self, code: AbsenceCode) -> None:
        self.store.codes[(code.school_key, code.code)] = code


class FakeAccounts(_Repo):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None:
        return self.store.accounts.get((platform, account_id))

    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        person = (school_key, person_kind, person_id)
        return sorted(
            (
                a
                for a in self.store.accounts.values()
                if (a.school_key, a.person_kind, a.person_id) == person
            ),
            key=lambda a: (a.platform, a.account_id),
        )

    async def save(self, account: ChatAccount) -> None:
        self.store.accounts[(account.platform, account.account_id)] = account

    async def delete(self, platform: str, account_id: str) -> None:
        self.store.accounts.pop((platform, account_id), None)


class FakeInvites(_Repo):
    async def add(self, invite: InviteCode) -> InviteCode:
        stored = dataclasses.replace(invite, id=next(self.store.ids))
        self.store.invites[stored.id] = stored
        return stored

    async def find_by_hash(self, code_hash: str) -> InviteCode | None:
        return next((i for i in self.store.invites.values() if i.code_hash == code_hash), None)

    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        invite = self.store.invites.get(invite_id)
        if invite is None or invite.used_at is not None:
            return False
        self.store.invites[invite_id] = dataclasses.replace(invite, used_at=used_at)
        return True

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        revoked = 0
        for invite_id, invite in list(self.store.invites.items()):
            mine = (invite.school_key, invite.guardian_id) == (school_key, guardian_id)
            if mine and invite.usable(now):
                self.store.invites[invite_id] = dataclasses.replace(invite, expires_at=now)
                revoked += 1
        return revoked


class FakeConversations(_Repo):
    async def get(self, key: str) -> Conversation | None:
        found = self.store.conversations.get(key)
        return copy.deepcopy(found)

    async def open(
        self, key: str, platform: str, account_id: str
    ) -> tuple[Conversation | None, ChatAccount | None]:
        return await self.get(key), self.store.accounts.get((platform, account_id))

    async def save(self, conversation: Conversation) -> None:
        stored = self.store.conversations.get(conversation.key)
        if (stored.version if stored else 0) != conversation.version:
            raise ConversationMoved(conversation.key)
        # Stored as JSON, as the database does: tuples come back as lists, dates are refused.
        data = json.loads(json.dumps(conversation.data))
        conversation.version += 1
        self.store.conversations[conversation.key] = dataclasses.replace(conversation, data=data)
        self.store.conversation_touched[conversation.key] = datetime.now(UTC)

    async def delete(self, key: str) -> None:
        self.store.conversations.pop(key, None)

    async def clear_idle_before(self, moment: datetime) -> int:
        cleared = 0
        for key, conversation in list(self.store.conversations.items()):
            idle = self.store.conversation_touched.get(key, moment) < moment
            if idle and (conversation.flow is not None or conversation.data):
                self.store.conversations[key] = Conversation(key, version=conversation.version + 1)
                self.store.conversation_touched[key] = datetime.now(UTC)
                cleared += 1
        return cleared


class FakeOutbox(_Repo):
    async def add(self, message: OutboxMessage) -> bool:
        if any(m.key == message.key for m in self.store.outbox.values()):
            return False
        versions = self._versions(message.platform, message.recipient, message.slot)
        live = [m for m in versions if m.status in LIVE_OUTBOX]
        if live and (live[-1].text, live[-1].buttons) == (message.text, message.buttons):
            return False
        for earlier in versions:
            if earlier.status is DeliveryStatus.PENDING and not self._leased(earlier, message):
                superseded = dataclasses.replace(earlier, status=DeliveryStatus.SUPERSEDED)
                self.store.outbox[earlier.id] = superseded
        stored = dataclasses.replace(message, id=next(self.store.ids))
        self.store.outbox[stored.id] = stored
        return True

    async def add_many(self, messages: Sequence[OutboxMessage]) -> list[bool]:
        last = {(m.platform, m.recipient, m.slot): i for i, m in enumerate(messages) if m.slot}
        return [
            (not m.slot or last[(m.platform, m.recipient, m.slot)] == i) and await self.add(m)
            for i, m in enumerate(messages)
        ]

    def _versions(self, platform: str, recipient: str, slot: str) -> list[OutboxMessage]:
        """The messages in one recipient's slot, oldest first; none without a slot."""
        return [
            m
            for m in sorted(self.store.outbox.values(), key=lambda m: m.id or 0)
            if slot and (m.platform, m.recipient, m.slot) == (platform, recipient, slot)
        ]

    def _leased(self, message: OutboxMessage, newer: OutboxMessage) -> bool:
        """Whether `message` was leased when `newer` was made (always, if it has no date)."""
        if message.id not in self.store.leases:
            return False
        return newer.created_at is None or self.store.leases[message.id][1] > newer.created_at

    async def slot_ref(self, platform: str, recipient: str, slot: str) -> str:
        sent = [
            m for m in self._versions(platform, recipient, slot) if m.status is DeliveryStatus.SENT
        ]
        return sent[-1].ref if sent else ""

    async def claim(
        self,
        *,
        now: datetime,
        limit: int,
        lease: timedelta,
        worker: str,
        platforms: Collection[str] | None = None,
    ) -> list[OutboxMessage]:
        claimed = []
        for message in sorted(self.store.outbox.values(), key=lambda m: m.id or 0):
            due = message.next_attempt_at is None or message.next_attempt_at <= now
            leased = message.id in self.store.leases and self.store.leases[message.id][1] > now
            wanted = platforms is None or message.platform in platforms
            if (
                message.status is DeliveryStatus.PENDING
                and due
                and not leased
                and wanted
                and not self._behind_an_older_message(message)
            ):
                self.store.leases[message.id] = (worker, now + lease)
                claimed.append(message)
            if len(claimed) == limit:
                break
        return claimed

    def _behind_an_older_message(self, message: OutboxMessage) -> bool:
        """As `storage.outbox`: a message waits while an older one to its recipient is pending
        (claimed earlier in this same claim included)."""
        return any(
            (m.id or 0) < (message.id or 0)
            and m.status is DeliveryStatus.PENDING
            and (m.platform, m.recipient) == (message.platform, message.recipient)
            for m in self.store.outbox.values()
        )

    async def record(self, message: OutboxMessage) -> None:
        if message.id not in self.store.outbox:
            raise KeyError(f"no outbox message with id {message.id}")
        newer = [
            m
            for m in self._versions(message.platform, message.recipient, message.slot)
            if (m.id or 0) > (message.id or 0) and m.status in LIVE_OUTBOX
        ]
        if message.status is DeliveryStatus.PENDING and newer:
            message = dataclasses.replace(message, status=DeliveryStatus.SUPERSEDED)
        # Only the stored columns: what the dispatcher adds for sending is not kept.
        self.store.outbox[message.id] = dataclasses.replace(message, replaces="")
        self.store.leases.pop(message.id, None)

    async def requeue_failed(
        self,
        *,
        now: datetime,
        ids: Collection[int] = (),
        kind: str | None = None,
        since: datetime | None = None,
        school_key: str | None = None,
    ) -> int:
        chosen = [
            m
            for m in self.store.outbox.values()
            if m.status is DeliveryStatus.FAILED
            and (not ids or m.id in ids)
            and (kind is None or m.kind == kind)
            and (since is None or (m.created_at is not None and m.created_at >= since))
            and (school_key is None or m.school_key == school_key)
            and not any(
                (v.id or 0) > (m.id or 0) and v.status in LIVE_OUTBOX
                for v in self._versions(m.platform, m.recipient, m.slot)
            )
        ]
        for m in chosen:
            self.store.outbox[m.id] = dataclasses.replace(
                m,
                status=DeliveryStatus.PENDING,
                attempts=0,
                next_attempt_at=None,
                last_error="",
                created_at=now,
            )
            self.store.leases.pop(m.id, None)
        return len(chosen)

    async def list(
        self, *, status: DeliveryStatus | None = None, school_key: str | None = None
    ) -> list[OutboxMessage]:
        return [
            m
            for m in sorted(self.store.outbox.values(), key=lambda m: m.id or 0)
            if (status is None or m.status is status)
            and (school_key is None or m.school_key == school_key)
        ]

    async def counts(self) -> dict[tuple[DeliveryStatus, str], int]:
        return dict(Counter((m.status, m.platform) for m in self.store.outbox.values()))

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        old = [
            i
            for i, m in self.store.outbox.items()
            if m.school_key == school_key and m.created_at is not None and m.created_at < moment
        ]
        for message_id in old:
            del self.store.outbox[message_id]
            self.store.leases.pop(message_id, None)
        return len(old)


def _delete_created_before(table: dict, school_key: str, moment: datetime) -> int:
    old = [i for i, r in table.items() if r.school_key == school_key and r.created_at < moment]
    for item_id in old:
        del table[item_id]
    return len(old)


class FakePrompts(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.prompts, school_key, moment)

    async def add(self, prompt: AbsencePrompt) -> AbsencePrompt:
        stored = dataclasses.replace(prompt, id=next(self.store.ids))
        self.store.prompts[stored.id] = stored
        return stored

    async def find(
        self, school_key: str, pupil_id: str, guardian_id: str, day: date
    ) -> AbsencePrompt | None:
        wanted = (school_key, pupil_id, guardian_id, day)
        return next(
            (
                p
                for p in self.store.prompts.values()
                if (p.school_key, p.pupil_id, p.guardian_id, p.day) == wanted
            ),
            None,
        )

    async def by_token(self, token: str) -> AbsencePrompt | None:
        return next((p for p in self.store.prompts.values() if p.token == token), None)

    async def update(self, prompt: AbsencePrompt) -> None:
        if prompt.id not in self.store.prompts:
            raise KeyError(f"no prompt with id {prompt.id}")
        self.store.prompts[prompt.id] = prompt


class FakeContactRequests(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.contact_requests, school_key, moment)

    async def add(self, request: ContactRequest) -> ContactRequest:
        stored = dataclasses.replace(request, id=next(self.store.ids))
        self.store.contact_requests[stored.id] = stored
        return stored

    async def get(self, request_id: int) -> ContactRequest | None:
        return self.store.contact_requests.get(request_id)

    async def take(self, request_id: int, staff_id: str, at: datetime) -> bool:
        request = self.store.contact_requests.get(request_id)
        if request is None or request.status is not RequestStatus.OPEN:
            return False
        self.store.contact_requests[request_id] = dataclasses.replace(
            request, status=RequestStatus.TAKEN, taken_by=staff_id, taken_at=at
        )
        return True

    async def update(self, request: ContactRequest) -> None:
        if request.id not in self.store.contact_requests:
            raise KeyError(f"no contact request with id {request.id}")
        self.store.contact_requests[request.id] = request

    async def list_open(self, school_key: str, pupil_ids: list[str]) -> list[ContactRequest]:
        return sorted(
            (
                r
                for r in self.store.contact_requests.values()
                if r.school_key == school_key
                and r.pupil_id in pupil_ids
                and r.status is not RequestStatus.DONE
            ),
            key=lambda r: (r.created_at, r.id or 0),
        )


class FakeConcerns(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.concerns, school_key, moment)

    async def add(self, concern: GuardianConcern) -> GuardianConcern:
        stored = dataclasses.replace(concern, id=next(self.store.ids))
        self.store.concerns[stored.id] = stored
        return stored

    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[GuardianConcern]:
        return sorted(
            (
                c
                for c in self.store.concerns.values()
                if (c.school_key, c.pupil_id) == (school_key, pupil_id)
            ),
            key=lambda c: (c.created_at, c.id or 0),
        )


class FakeRollCalls(_Repo):
    async def add(self, roll_call: RollCall) -> RollCall:
        existing = await self.find(roll_call.school_key, roll_call.class_name, roll_call.day)
        if existing is not None:
            return existing
        stored = dataclasses.replace(roll_call, id=next(self.store.ids))
        self.store.roll_calls[stored.id] = stored
        return stored

    async def get(self, roll_call_id: int) -> RollCall | None:
        return self.store.roll_calls.get(roll_call_id)

    async def find(self, school_key: str, class_name: str, day: date) -> RollCall | None:
        return next(
            (
                r
                for r in self.store.roll_calls.values()
                if (r.school_key, r.class_name, r.day) == (school_key, class_name, day)
            ),
            None,
        )

    async def list_for_day(self, school_key: str, day: date) -> list[RollCall]:
        return sorted(
            (
                r
                for r in self.store.roll_calls.values()
                if (r.school_key, r.day) == (school_key, day)
            ),
            key=lambda r: r.class_name,
        )

    async def list_between(self, school_key: str, start: date, end: date) -> list[RollCall]:
        return sorted(
            (
                r
                for r in self.store.roll_calls.values()
                if r.school_key == school_key and start <= r.day <= end
            ),
            key=lambda r: (r.day, r.class_name),
        )

    async def update(self, roll_call: RollCall) -> None:
        if roll_call.id not in self.store.roll_calls:
            raise KeyError(f"no roll call with id {roll_call.id}")
        self.store.roll_calls[roll_call.id] = roll_call

    async def mark_not_answered(self, roll_call_id: int) -> bool:
        roll_call = self.store.roll_calls.get(roll_call_id)
        if roll_call is None or roll_call.status is not RollCallStatus.OPEN:
            return False
        self.store.roll_calls[roll_call_id] = dataclasses.replace(
            roll_call, status=RollCallStatus.NOT_ANSWERED
        )
        return True

    async def add_imported(
        self, school_key: str, class_days: Sequence[tuple[str, date]], at: datetime
    ) -> int:
        added = 0
        for class_name, day in class_days:
            if await self.find(school_key, class_name, day) is None:
                await self.add(
                    RollCall(
                        school_key,
                        class_name,
                        day,
                        RollCallStatus.IMPORTED,
                        opened_at=at,
                        submitted_by=IMPORTED_BY,
                        submitted_at=at,
                    )
                )
                added += 1
        return added

    async def mark_imported(self, roll_call_ids: Collection[int]) -> int:
        turned = 0
        for roll_call_id in set(roll_call_ids):
            roll_call = self.store.roll_calls.get(roll_call_id)
            if roll_call is not None and roll_call.status in NOT_TAKEN:
                self.store.roll_calls[roll_call_id] = dataclasses.replace(
                    roll_call, status=RollCallStatus.IMPORTED
                )
                turned += 1
        return turned

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, r in self.store.roll_calls.items()
            if r.school_key == school_key and r.day < day
        ]
        for roll_call_id in old:
            del self.store.roll_calls[roll_call_id]
        return len(old)


class FakeFollowUps(_Repo):
    async def add(self, follow_up: FollowUp) -> FollowUp:
        existing = await self.find(follow_up.school_key, follow_up.pupil_id, follow_up.day)
        if existing is not None:
            return existing
        stored = dataclasses.replace(follow_up, id=next(self.store.ids))
        self.store.follow_ups[stored.id] = stored
        return stored

    async def get(self, follow_up_id: int) -> FollowUp | None:
        return self.store.follow_ups.get(follow_up_id)

    async def find(self, school_key: str, pupil_id: str, day: date) -> FollowUp | None:
        return next(
            (
                f
                for f in self.store.follow_ups.values()
                if (f.school_key, f.pupil_id, f.day) == (school_key, pupil_id, day)
            ),
            None,
        )

    async def of_pupils(
        self, school_key: str, pupil_ids: Collection[str], since: date
    ) -> list[FollowUp]:
        return sorted(
            (
                f
                for f in self.store.follow_ups.values()
                if f.school_key == school_key and f.pupil_id in pupil_ids and f.day >= since
            ),
            key=lambda f: (f.day, f.id or 0),
        )

    async def list_for_day(self, school_key: str, day: date) -> list[FollowUp]:
        return sorted(
            (
                f
                for f in self.store.follow_ups.values()
                if (f.school_key, f.day) == (school_key, day)
            ),
            key=lambda f: f.id or 0,
        )

    async def delete_before(self, school_key: str, day: date) -> int:
        old = {
            i
            for i, f in self.store.follow_ups.items()
            if f.school_key == school_key and f.day < day
        }
        for contact_id, contact in list(self.store.guardian_contacts.items()):
            if contact.follow_up_id in old:
                del self.store.guardian_contacts[contact_id]
        for follow_up_id in old:
            del self.store.follow_ups[follow_up_id]
        return len(old)


class FakeGuardianContacts(_Repo):
    async def add(self, contact: GuardianContact) -> GuardianContact:
        if contact.follow_up_id not in self.store.follow_ups:
            raise KeyError(f"no follow-up with id {contact.follow_up_id}")
        stored = dataclasses.replace(contact, id=next(self.store.ids))
        self.store.guardian_contacts[stored.id] = stored
        return stored

    async def list_for(self, follow_up_ids: list[int]) -> list[GuardianContact]:
        return sorted(
            (c for c in self.store.guardian_contacts.values() if c.follow_up_id in follow_up_ids),
            key=lambda c: c.id or 0,
        )

    async def judgements_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> dict[tuple[str, date], bool]:
        found: dict[tuple[str, date], bool] = {}
        contacts = sorted(
            self.store.guardian_contacts.values(), key=lambda c: (c.recorded_at, c.id or 0)
        )
        for contact in contacts:
            follow_up = self.store.follow_ups[contact.follow_up_id]
            if (
                contact.valid is not None
                and follow_up.school_key == school_key
                and start <= follow_up.day <= end
                and (pupil_ids is None or follow_up.pupil_id in pupil_ids)
            ):
                found[(follow_up.pupil_id, follow_up.day)] = contact.valid
        return found


class FakeSlackEvents(_Repo):
    async def first_time(self, event_id: str, now: datetime) -> bool:
        if event_id in self.store.slack_events:
            return False
        self.store.slack_events[event_id] = now
        return True

    async def delete_seen_before(self, moment: datetime) -> int:
        old = [i for i, seen in self.store.slack_events.items() if seen < moment]
        for event_id in old:
            del self.store.slack_events[event_id]
        return len(old)


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


class FakeUnitOfWorkFactory:
    def __init__(self) -> None:
        self.store = FakeStore()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store)
