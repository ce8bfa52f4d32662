"""In-memory fake of the case repository (routine.cases), beside the SQL one in storage/cases.py;
tests/storage/test_cases.py runs the same contract against both."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from routine.cases import Case, CaseEvent, CaseStatus
from tests.fakes_plans import FakePlans


class FakeCases:
    def __init__(self, store) -> None:
        self.store = store

    async def get(self, case_id: int) -> Case | None:
        return self.store.cases.get(case_id)

    async def open_cases(
        self, school_key: str, pupil_ids: Collection[str] | None = None
    ) -> list[Case]:
        return [
            c
            for c in self.store.cases.values()
            if c.school_key == school_key
            and c.is_open
            and (pupil_ids is None or c.pupil_id in pupil_ids)
        ]

    async def last_closed(self, school_key: str, pupil_ids: Collection[str]) -> dict[str, Case]:
        found: dict[str, Case] = {}
        closed = [
            c
            for c in self.store.cases.values()
            if c.school_key == school_key
            and c.status is CaseStatus.CLOSED
            and c.pupil_id in pupil_ids
        ]
        for case in sorted(closed, key=lambda c: (c.closed_at, c.id)):
            found[case.pupil_id] = case
        return found

    async def of_pupil(self, school_key: str, pupil_id: str) -> list[Case]:
        mine = [
            c
            for c in self.store.cases.values()
            if c.school_key == school_key and c.pupil_id == pupil_id
        ]
        return sorted(mine, key=lambda c: (c.opened_at, c.id), reverse=True)

    async def add_new(self, cases: Sequence[Case]) -> list[Case]:
        stored = []
        for case in cases:
            if await self.open_cases(case.school_key, {case.pupil_id}):
                continue
            new = dataclasses.replace(case, version=1, id=next(self.store.ids))
            self.store.cases[new.id] = new
            stored.append(new)
        return stored

    async def update(self, case: Case) -> Case | None:
        current = self.store.cases.get(case.id)
        if current is None or current.version != case.version:
            return None
        stored = dataclasses.replace(case, version=case.version + 1)
        self.store.cases[case.id] = stored
        return stored

    async def add_events(self, events: Sequence[CaseEvent]) -> None:
        for event in events:
            stored = dataclasses.replace(event, id=next(self.store.ids))
            self.store.case_events.append(stored)

    async def events_of(self, case_ids: Collection[int]) -> dict[int, list[CaseEvent]]:
        found: dict[int, list[CaseEvent]] = defaultdict(list)
        for event in self.store.case_events:
            if event.case_id in case_ids:
                found[event.case_id].append(event)
        return dict(found)

    async def delete_closed_before(self, school_key: str, before: datetime) -> int:
        old = {
            i
            for i, c in self.store.cases.items()
            if c.school_key == school_key and c.closed_at is not None and c.closed_at < before
        }
        for case_id in old:
            del self.store.cases[case_id]
        self.store.case_events[:] = [e for e in self.store.case_events if e.case_id not in old]
        for notice_id in [i for i, n in self.store.case_notices.items() if n.case_id in old]:
            del self.store.case_notices[notice_id]
        for task_id in [i for i, t in self.store.case_tasks.items() if t.case_id in old]:
            del self.store.case_tasks[task_id]
        FakePlans(self.store).forget_cases(old)
        return len(old)
