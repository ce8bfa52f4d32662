"""In-memory fakes of the attendance record's own repositories: corrections, record uses and
leave. The nightly scan's fakes (thresholds, rule hits) are in `tests.fakes_nightly`."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from routine.leave import LeaveRequest, LeaveStatus
from routine.record import Correction, RecordUse


def _picked(pupil_id: str, pupil_ids: Collection[str] | None) -> bool:
    return pupil_ids is None or pupil_id in pupil_ids


class FakeCorrections:
    def __init__(self, store) -> None:
        self.store = store

    async def add(self, correction: Correction) -> Correction:
        stored = dataclasses.replace(correction, id=next(self.store.ids))
        self.store.corrections[stored.id] = stored
        return stored

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[Correction]:
        return sorted(
            (
                c
                for c in self.store.corrections.values()
                if c.school_key == school_key
                and start <= c.day <= end
                and _picked(c.pupil_id, pupil_ids)
            ),
            key=lambda c: c.id or 0,
        )

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, c in self.store.corrections.items()
            if c.school_key == school_key and c.day < day
        ]
        for correction_id in old:
            del self.store.corrections[correction_id]
        return len(old)


class FakeRecordUses:
    def __init__(self, store) -> None:
        self.store = store

    async def add(
        self, school_key: str, pupil_id: str, day: date, used_by: str, at: datetime
    ) -> RecordUse:
        use = RecordUse(school_key, pupil_id, day, used_by, at, id=next(self.store.ids))
        self.store.record_uses[use.id] = use
        return use

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[RecordUse]:
        return sorted(
            (
                u
                for u in self.store.record_uses.values()
                if u.school_key == school_key
                and start <= u.day <= end
                and _picked(u.pupil_id, pupil_ids)
            ),
            key=lambda u: u.id or 0,
        )

    async def add_many(self, uses: Sequence[RecordUse]) -> None:
        for use in uses:
            await self.add(use.school_key, use.pupil_id, use.day, use.used_by, use.used_at)

    async def add_missing(self, uses: Sequence[RecordUse]) -> int:
        stored = {
            (u.school_key, u.pupil_id, u.day, u.used_by) for u in self.store.record_uses.values()
        }
        added = 0
        for use in uses:
            key = (use.school_key, use.pupil_id, use.day, use.used_by)
            if key not in stored:
                stored.add(key)
                added += 1
                await self.add(*key, use.used_at)
        return added

    async def add_missing_days(
        self, school_key: str, used: Sequence[tuple[str, str, Sequence[date]]], at: datetime
    ) -> int:
        return await self.add_missing(
            [RecordUse(school_key, p, d, by, at) for p, by, days in used for d in days]
        )

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, u in self.store.record_uses.items()
            if u.school_key == school_key and u.day < day
        ]
        for use_id in old:
            del self.store.record_uses[use_id]
        return len(old)


class FakeLeaveRequests:
    def __init__(self, store) -> None:
        self.store = store

    async def add(self, request: LeaveRequest) -> LeaveRequest:
        stored = dataclasses.replace(request, id=next(self.store.ids))
        self.store.leave_requests[stored.id] = stored
        return stored

    async def get(self, request_id: int) -> LeaveRequest | None:
        return self.store.leave_requests.get(request_id)

    async def decide(
        self,
        request_id: int,
        *,
        status: LeaveStatus,
        by: str,
        at: datetime,
        comment: str = "",
        expected: LeaveStatus = LeaveStatus.PENDING,
    ) -> bool:
        request = self.store.leave_requests.get(request_id)
        if request is None or request.status is not expected:
            return False
        self.store.leave_requests[request_id] = dataclasses.replace(
            request, status=status, decided_by=by, decided_at=at, comment=comment
        )
        return True

    async def mark_reminded(self, request_ids: Collection[int], at: datetime) -> None:
        for request_id in request_ids:
            request = self.store.leave_requests[request_id]
            self.store.leave_requests[request_id] = dataclasses.replace(request, reminded_at=at)

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        *,
        pupil_ids: Collection[str] | None = None,
        statuses: Collection[LeaveStatus] | None = None,
    ) -> list[LeaveRequest]:
        return sorted(
            (
                r
                for r in self.store.leave_requests.values()
                if r.school_key == school_key
                and r.first_day <= end
                and r.last_day >= start
                and _picked(r.pupil_id, pupil_ids)
                and (statuses is None or r.status in statuses)
            ),
            key=lambda r: r.id or 0,
        )

    async def list_pending(self, school_key: str) -> list[LeaveRequest]:
        return sorted(
            (
                r
                for r in self.store.leave_requests.values()
                if r.school_key == school_key and r.status is LeaveStatus.PENDING
            ),
            key=lambda r: r.id or 0,
        )

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, r in self.store.leave_requests.items()
            if r.school_key == school_key and r.last_day < day
        ]
        for request_id in old:
            del self.store.leave_requests[request_id]
        return len(old)
