"""In-memory fakes of the nightly scan's repositories: the threshold aggregates over the marks
and the rule hits with their windows, as storage computes and stores them."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from routine.hit_windows import (
    HeldHit,
    HeldWindow,
    ListedDays,
    NightWrites,
    StoredHits,
    WindowScan,
)
from routine.model import AttendanceMark, MarkKind
from routine.policy import Counted
from routine.record import RecordSource
from routine.roll_call import RollCallStatus
from routine.thresholds import ILLNESS_CODE, RuleHit


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
