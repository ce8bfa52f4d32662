"""In-memory fake of the case task repository (routine.case_tasks), beside the SQL one in
storage/case_tasks.py; tests/storage/contract/test_case_task_contract.py runs one contract on
both."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from routine.case_tasks import CaseTask


def _order(task: CaseTask) -> tuple:
    return (task.due, task.case_id, task.id or 0)


class FakeCaseTasks:
    def __init__(self, store) -> None:
        self.store = store

    async def get(self, task_id: int) -> CaseTask | None:
        return self.store.case_tasks.get(task_id)

    async def add_new(self, tasks: Sequence[CaseTask]) -> list[CaseTask]:
        stored = []
        for task in tasks:
            key = (task.case_id, task.kind, task.source_ref, task.due)
            if any(
                (t.case_id, t.kind, t.source_ref, t.due) == key
                for t in self.store.case_tasks.values()
            ):
                continue
            new = dataclasses.replace(task, version=1, id=next(self.store.ids))
            self.store.case_tasks[new.id] = new
            stored.append(new)
        return stored

    async def open_for_school(self, school_key: str, due_by: date) -> list[CaseTask]:
        found = [
            t
            for t in self.store.case_tasks.values()
            if t.school_key == school_key and t.is_open and t.due <= due_by
        ]
        return sorted(found, key=_order)

    async def open_of_owner(self, school_key: str, owner_id: str) -> list[CaseTask]:
        found = [
            t
            for t in self.store.case_tasks.values()
            if t.school_key == school_key and t.is_open and t.owner_id == owner_id
        ]
        return sorted(found, key=_order)

    async def of_cases(self, case_ids: Collection[int]) -> dict[int, list[CaseTask]]:
        found: dict[int, list[CaseTask]] = defaultdict(list)
        for task in sorted(self.store.case_tasks.values(), key=lambda t: (t.due, t.id)):
            if task.case_id in case_ids:
                found[task.case_id].append(task)
        return dict(found)

    async def update(self, task: CaseTask) -> CaseTask | None:
        current = self.store.case_tasks.get(task.id)
        if current is None or current.version != task.version:
            return None
        stored = dataclasses.replace(task, version=task.version + 1)
        self.store.case_tasks[task.id] = stored
        return stored
