"""In-memory fakes of the attendance record's own repositories: corrections, record uses and
leave."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from routine.leave import LeaveRequest, LeaveStatus
from routine.model import AttendanceMark, MarkKind
from routine.policy import Counted
from routine.record import Correction, RecordSource, RecordUse
from routine.roll_call import RollCallStatus
from routine.thresholds import (
    ILLNESS_CODE,
    HeldHit,
    HeldWindow,
    ListedDays,
    NightWrites,
    RuleHit,
    StoredHits,
    WindowScan,
)


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


class FakeRuleHits:
    """The port as SQL stores it: a hit's own row, whether it held on its window's last
    evaluation, and the windows' evaluated days (storage.rule_hits)."""

    def __init__(self, store) -> None:
        self.store = store

    async def held(
        self, school_key: str, windows: Collection[tuple[str, date]]
    ) -> dict[tuple[str, date], HeldWindow]:
        found: dict[tuple[str, date], HeldWindow] = {}
        for rule_id, start in set(windows):
            through, days = self.store.rule_windows.get((school_key, rule_id, start), (None, None))
            hits = {
                k[1]: HeldHit(k in self.store.holding, dict(h.numbers))
                for k, h in self.store.rule_hits.items()
                if k[0] == school_key and (k[2], k[3]) == (rule_id, start)
            }
            if through is not None or hits:
                found[(rule_id, start)] = HeldWindow(through, days, hits)
        return found

    async def store_night(
        self, school_key: str, day: date, night: NightWrites, found_at: datetime
    ) -> StoredHits:
        with_hits = {(h.rule_id, h.window_start) for h in [*night.new, *night.changed]}
        for (rule_id, start), (seen, school_days) in night.windows.items():
            key = (school_key, rule_id, start)
            if seen != day and (seen is not None or (rule_id, start) in with_hits):
                self.store.rule_windows[key] = (day, school_days)
        written = StoredHits()
        for hit in night.new:
            key = (hit.school_key, hit.pupil_id, hit.rule_id, hit.window_start)
            if key not in self.store.rule_hits:
                stored = dataclasses.replace(hit, found_at=found_at, id=next(self.store.ids))
                self.store.rule_hits[key] = dataclasses.replace(stored, days=())
                self.store.holding.add(key)
                written.new.append(stored)
        for hits, holding in ((night.changed, True), (night.stopped, False)):
            for hit in hits:
                key = (hit.school_key, hit.pupil_id, hit.rule_id, hit.window_start)
                was = self.store.rule_hits[key]
                stored = dataclasses.replace(hit, found_at=was.found_at, id=was.id)
                self.store.rule_hits[key] = dataclasses.replace(stored, days=())
                if holding:
                    self.store.holding.add(key)
                    written.updated.append(stored)
                else:
                    self.store.holding.discard(key)
        return written

    async def add_new(self, hits: Sequence[RuleHit], found_at: datetime) -> list[RuleHit]:
        new = []
        for hit in hits:
            key = (hit.school_key, hit.pupil_id, hit.rule_id, hit.window_start)
            if key not in self.store.rule_hits:
                stored = dataclasses.replace(hit, found_at=found_at, id=next(self.store.ids))
                self.store.rule_hits[key] = stored
                new.append(stored)
        return new

    def _as_read(self, key: tuple[str, str, str, date], hit: RuleHit) -> RuleHit:
        window = self.store.rule_windows.get((key[0], key[2], key[3]))
        if key not in self.store.holding or window is None:
            return dataclasses.replace(hit, days=())
        numbers = dict(hit.numbers)
        if window[1] is not None:
            numbers["school_days"] = window[1]
        return dataclasses.replace(hit, window_end=window[0], numbers=numbers, days=())

    async def list_between(self, school_key: str, start: date, end: date) -> list[RuleHit]:
        return sorted(
            (
                read
                for k, h in self.store.rule_hits.items()
                if k[0] == school_key and start <= (read := self._as_read(k, h)).window_end <= end
            ),
            key=lambda h: (h.window_end, h.pupil_id, h.rule_id),
        )

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            k
            for k, h in self.store.rule_hits.items()
            if k[0] == school_key and self._as_read(k, h).window_end < day
        ]
        for key in old:
            del self.store.rule_hits[key]
            self.store.holding.discard(key)
        for key, (through, _days) in list(self.store.rule_windows.items()):
            if key[0] == school_key and through < day:
                del self.store.rule_windows[key]
        return len(old)


TAKEN = {
    RollCallStatus.SUBMITTED: RecordSource.ROLL_CALL,
    RollCallStatus.IMPORTED: RecordSource.IMPORT,
}


def _counts(counted: Counted, mark: AttendanceMark) -> bool:
    absent = mark.kind is MarkKind.ABSENT
    return {
        Counted.ABSENCE: absent,
        Counted.SINGLE_DAYS: absent,
        Counted.INVALID: absent and mark.valid is False,
        Counted.VALID: absent and mark.valid is True,
        Counted.LATE: mark.kind is MarkKind.LATE,
        Counted.ILLNESS: absent and mark.code == ILLNESS_CODE,
    }.get(counted, False)


class FakeThresholds:
    """The aggregates as storage computes them: day-level marks of the kind counted."""

    def __init__(self, store) -> None:
        self.store = store

    def _taken(self, school_key: str) -> dict[tuple[str, date], RecordSource]:
        return {
            (r.class_name, r.day): TAKEN[r.status]
            for r in self.store.roll_calls.values()
            if r.school_key == school_key and r.status in TAKEN
        }

    async def active_classes(self, school_key: str) -> dict[str, str]:
        return {
            p.pupil_id: p.class_name
            for p in self.store.pupils.values()
            if p.school_key == school_key and p.active
        }

    async def count_days(
        self, school_key: str, start: date, end: date, counted: Counted
    ) -> dict[str, int]:
        counts: dict[str, int] = {}
        for mark in self.store.marks.values():
            if (
                mark.school_key == school_key
                and start <= mark.day <= end
                and mark.lesson is None
                and _counts(counted, mark)
            ):
                counts[mark.pupil_id] = counts.get(mark.pupil_id, 0) + 1
        return counts

    async def count_windows(
        self, school_key: str, end: date, wanted: Sequence[tuple[date, Counted]]
    ) -> list[dict[str, int]]:
        return [await self.count_days(school_key, s, end, c) for s, c in wanted]

    async def scan_windows(
        self,
        school_key: str,
        end: date,
        wanted: Sequence[tuple[date, Counted]],
        twice: bool = False,
        least: Sequence[int] | None = None,
    ) -> WindowScan:
        counts = await self.count_windows(school_key, end, wanted)
        reaching: set[str] | None = None
        if least is not None and all(n > 0 for n in least):
            reaching = {
                p
                for found, n in zip(counts, least, strict=True)
                for p, c in found.items()
                if c >= n
            }
            counts = [{p: c for p, c in found.items() if p in reaching} for found in counts]
        if not wanted or not twice:
            return WindowScan(counts)
        first = min(start for start, _ in wanted)
        per_day: dict[tuple[str, date], int] = {}
        for mark in self.store.marks.values():
            if mark.school_key == school_key and first <= mark.day <= end and mark.lesson is None:
                per_day[(mark.pupil_id, mark.day)] = per_day.get((mark.pupil_id, mark.day), 0) + 1
        doubled = {p for (p, _d), n in per_day.items() if n > 1}
        return WindowScan(counts, frozenset(doubled if reaching is None else doubled & reaching))

    async def list_days(
        self,
        school_key: str,
        start: date,
        end: date,
        kinds: Sequence[Counted],
        pupil_ids: Collection[str] | None = None,
    ) -> ListedDays:
        days: dict[Counted, dict[str, list[date]]] = {k: {} for k in kinds}
        per_day: dict[tuple[str, date], int] = {}
        for mark in self.store.marks.values():
            if mark.school_key != school_key or not start <= mark.day <= end:
                continue
            if mark.lesson is not None or (
                pupil_ids is not None and mark.pupil_id not in pupil_ids
            ):
                continue
            per_day[(mark.pupil_id, mark.day)] = per_day.get((mark.pupil_id, mark.day), 0) + 1
            for kind in kinds:
                if _counts(kind, mark):
                    days[kind].setdefault(mark.pupil_id, []).append(mark.day)
        doubled: dict[str, set[date]] = {}
        for (pupil_id, day), marks in per_day.items():
            if marks > 1:
                doubled.setdefault(pupil_id, set()).add(day)
        return ListedDays(
            {k: {p: tuple(sorted(d)) for p, d in found.items()} for k, found in days.items()},
            {p: frozenset(d) for p, d in doubled.items()},
        )

    async def marked_on(self, school_key: str, days: Collection[date]) -> set[str]:
        wanted = set(days)
        return {
            m.pupil_id
            for m in self.store.marks.values()
            if m.school_key == school_key and m.day in wanted and m.lesson is None
        }

    async def marks_of(
        self, school_key: str, start: date, end: date, pupil_ids: Collection[str]
    ) -> list[AttendanceMark]:
        wanted = set(pupil_ids)
        return sorted(
            (
                m
                for m in self.store.marks.values()
                if m.school_key == school_key and start <= m.day <= end and m.pupil_id in wanted
            ),
            key=lambda m: m.id or 0,
        )

    async def taken_per_class(self, school_key: str, days: Collection[date]) -> dict[str, int]:
        counted: dict[str, int] = {}
        wanted = set(days)
        for name, day in self._taken(school_key):
            if day in wanted:
                counted[name] = counted.get(name, 0) + 1
        return counted

    async def taken_days(
        self, school_key: str, start: date, end: date, class_names: Collection[str]
    ) -> dict[tuple[str, date], RecordSource]:
        return {
            key: source
            for key, source in self._taken(school_key).items()
            if key[0] in class_names and start <= key[1] <= end
        }
