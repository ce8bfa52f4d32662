"""Leave (*ledighet*, *permisjon*, *ekstraordinær frihed*): a request the principal decides.

Leave is not a report (domain guide §2). A guardian asks for days off for their child with a
short reason; the principal, or the staff role the school file names (`[leave] decided_by`),
grants or refuses it. Granted leave is valid absence with the school's `leave` code (000:
783–788; 004: 2446–2460); a refused request changes nothing in the record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from routine.calendar import is_school_day
from routine.model import Guardian, LeaveRules, Pupil, School, StaffMember
from routine.ports import UnitOfWork
from routine.reporting import guardian_children

LEAVE_CODE = "leave"


class LeaveStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LeaveRequest:
    school_key: str
    pupil_id: str
    guardian_id: str
    first_day: date
    last_day: date
    reason: str
    requested_at: datetime
    status: LeaveStatus = LeaveStatus.PENDING
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    # When the decider was last reminded of a request nobody has decided.
    reminded_at: datetime | None = None
    id: int | None = None

    def grants(self, day: date) -> bool:
        return self.status is LeaveStatus.GRANTED and self.first_day <= day <= self.last_day


class LeaveError(enum.StrEnum):
    """Why a leave request cannot be made or decided. The dialogs translate each one."""

    IN_THE_PAST = "in_the_past"
    TOO_FAR_AHEAD = "too_far_ahead"
    ENDS_BEFORE_START = "ends_before_start"
    TOO_LONG = "too_long"
    NO_SCHOOL_DAYS = "no_school_days"
    REASON_MISSING = "reason_missing"
    REASON_TOO_LONG = "reason_too_long"
    NOT_YOUR_CHILD = "not_your_child"
    NOT_A_DECIDER = "not_a_decider"
    NOT_PENDING = "not_pending"


class LeaveRejected(Exception):
    def __init__(self, errors: list[LeaveError]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def check_first_day(day: date, today: date, rules: LeaveRules) -> LeaveError | None:
    """From today: a guardian may ask on the morning itself (the principal may still say no)."""
    if day < today:
        return LeaveError.IN_THE_PAST
    if day > today + timedelta(days=rules.max_days_ahead):
        return LeaveError.TOO_FAR_AHEAD
    return None


def check_last_day(first: date, last: date, rules: LeaveRules) -> LeaveError | None:
    if last < first:
        return LeaveError.ENDS_BEFORE_START
    if (last - first).days + 1 > rules.max_span_days:
        return LeaveError.TOO_LONG
    return None


def check_reason(reason: str, rules: LeaveRules) -> LeaveError | None:
    if not reason.strip():
        return LeaveError.REASON_MISSING
    if len(reason.strip()) > rules.max_reason_length:
        return LeaveError.REASON_TOO_LONG
    return None


def check_request(
    request: LeaveRequest, guardian: Guardian, children: list[Pupil], school: School, today: date
) -> list[LeaveError]:
    """Every rule at once: the dialog checks step by step, but the stored request must hold.
    `children` are the pupils the guardian's ids point at (inactive ones count as not theirs)."""
    rules = school.leave
    errors = [
        check_first_day(request.first_day, today, rules),
        check_last_day(request.first_day, request.last_day, rules),
        check_reason(request.reason, rules),
    ]
    own = {p.pupil_id for p in guardian_children(guardian, children)}
    if request.pupil_id not in own or request.school_key != guardian.school_key:
        errors.append(LeaveError.NOT_YOUR_CHILD)
    if request.first_day <= request.last_day and not school_days_between(
        school, request.first_day, request.last_day
    ):
        errors.append(LeaveError.NO_SCHOOL_DAYS)
    return [error for error in errors if error is not None]


async def request_leave(
    uow: UnitOfWork,
    *,
    school: School,
    guardian_id: str,
    pupil_id: str,
    first_day: date,
    last_day: date,
    reason: str,
    today: date,
    now: datetime,
) -> LeaveRequest:
    """Store a guardian's request. The caller queues the deciders' messages and commits."""
    guardian = await uow.guardians.get(school.key, guardian_id)
    if guardian is None:
        raise LeaveRejected([LeaveError.NOT_YOUR_CHILD])
    pupil = await uow.pupils.get(school.key, pupil_id)
    request = LeaveRequest(
        school_key=school.key,
        pupil_id=pupil_id,
        guardian_id=guardian_id,
        first_day=first_day,
        last_day=last_day,
        reason=reason.strip(),
        requested_at=now,
    )
    errors = check_request(request, guardian, [pupil] if pupil else [], school, today)
    if errors:
        raise LeaveRejected(errors)
    return await uow.leave_requests.add(request)


def is_decider(staff: StaffMember, school: School) -> bool:
    return staff.school_key == school.key and staff.has_role(school.leave.decided_by)


def deciders(school: School, staff: Iterable[StaffMember]) -> list[StaffMember]:
    return [s for s in staff if is_decider(s, school)]


@dataclass(frozen=True)
class Decision:
    """The request as it stands after a press; `won` is whether this press decided it."""

    request: LeaveRequest
    won: bool


async def decide(
    uow: UnitOfWork,
    *,
    school: School,
    staff: StaffMember,
    request_id: int,
    grant: bool,
    comment: str,
    now: datetime,
) -> Decision:
    """Grant or refuse, once: the repository's compare-and-set lets only the first decision
    through; a later one, by anyone, changes nothing and gets the request as decided."""
    request = await uow.leave_requests.get(request_id)
    if request is None or request.school_key != school.key or not is_decider(staff, school):
        raise LeaveRejected([LeaveError.NOT_A_DECIDER])
    status = LeaveStatus.GRANTED if grant else LeaveStatus.REFUSED
    won = await uow.leave_requests.decide(
        request_id, status=status, by=staff.staff_id, at=now, comment=comment.strip()
    )
    current = await uow.leave_requests.get(request_id)
    assert current is not None
    return Decision(current, won)


async def withdraw(
    uow: UnitOfWork, *, guardian: Guardian, request_id: int, now: datetime
) -> LeaveRequest:
    """The guardian takes back their own request while nobody has decided it."""
    request = await uow.leave_requests.get(request_id)
    if request is None or request.guardian_id != guardian.guardian_id:
        raise LeaveRejected([LeaveError.NOT_YOUR_CHILD])
    if request.school_key != guardian.school_key:
        raise LeaveRejected([LeaveError.NOT_YOUR_CHILD])
    withdrawn = await uow.leave_requests.decide(
        request_id, status=LeaveStatus.WITHDRAWN, by=guardian.guardian_id, at=now
    )
    if not withdrawn:
        raise LeaveRejected([LeaveError.NOT_PENDING])
    current = await uow.leave_requests.get(request_id)
    assert current is not None
    return current


def school_days_between(school: School, start: date, end: date) -> list[date]:
    # routine.record has the same helper but imports this module, so it is not imported here.
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if is_school_day(school, day)]


def granted_for(requests: Iterable[LeaveRequest], pupil_id: str, day: date) -> bool:
    return any(r.pupil_id == pupil_id and r.grants(day) for r in requests)


def due_for_reminder(
    requests: Iterable[LeaveRequest], school: School, today: date
) -> list[LeaveRequest]:
    """Pending requests that have waited `remind_after_days` school days or more (counted after
    the day they were asked), and were not reminded today already."""
    zone = ZoneInfo(school.timezone)
    due = []
    for request in requests:
        if request.status is not LeaveStatus.PENDING:
            continue
        asked_on = request.requested_at.astimezone(zone).date()
        waited = len(school_days_between(school, asked_on + timedelta(days=1), today))
        reminded_today = (
            request.reminded_at is not None
            and request.reminded_at.astimezone(zone).date() == today
        )
        if waited >= school.leave.remind_after_days and not reminded_today:
            due.append(request)
    return due
