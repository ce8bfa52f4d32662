"""Storage of a case's dated tasks (routine.case_tasks), as plain rows through Core statements.

New tasks go in one statement a batch with ON CONFLICT DO NOTHING on (case, kind, source, due);
an update is a compare-and-set on `version` that checks its row count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select, update

from routine.case_tasks import CaseTask, TaskKind, TaskStatus
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import as_utc
from storage.orm_case_tasks import CaseTaskRow
from storage.repositories import _Repository

TASKS = CaseTaskRow.__table__
UNIQUE = ["case_id", "kind", "source_ref", "due"]


def task_from_row(row: Any) -> CaseTask:
    return CaseTask(
        school_key=row.school_key,
        case_id=row.case_id,
        kind=TaskKind(row.kind),
        title=row.title,
        owner_id=row.owner_id,
        due=row.due,
        created_at=row.created_at,
        moved_by=row.moved_by,
        source_ref=row.source_ref,
        status=TaskStatus(row.status),
        done_by=row.done_by,
        done_at=row.done_at,
        outcome=row.outcome,
        version=row.version,
        id=row.id,
    )


def _values(task: CaseTask) -> dict[str, Any]:
    return {
        "school_key": task.school_key,
        "case_id": task.case_id,
        "kind": task.kind.value,
        "title": task.title,
        "owner_id": task.owner_id,
        "due": task.due,
        "created_at": as_utc(task.created_at),
        "moved_by": task.moved_by,
        "source_ref": task.source_ref,
        "status": task.status.value,
        "done_by": task.done_by,
        "done_at": None if task.done_at is None else as_utc(task.done_at),
        "outcome": task.outcome,
    }


class SqlCaseTaskRepository(_Repository):
    async def get(self, task_id: int) -> CaseTask | None:
        row = (await self.session.execute(select(TASKS).where(TASKS.c.id == task_id))).first()
        return None if row is None else task_from_row(row)

    async def add_new(self, tasks: Sequence[CaseTask]) -> list[CaseTask]:
        if not tasks:
            return []
        await before_bulk(self.session)
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](TASKS)
        stored: list[CaseTask] = []
        for batch in batches(list(tasks)):
            statement = (
                insert.values([_values(t) | {"version": 1} for t in batch])
                .on_conflict_do_nothing(index_elements=UNIQUE)
                .returning(TASKS)
            )
            stored.extend(task_from_row(row) for row in await self.session.execute(statement))
        return stored

    async def open_for_school(self, school_key: str, due_by: date) -> list[CaseTask]:
        rows = await self.session.execute(
            select(TASKS)
            .where(
                TASKS.c.school_key == school_key,
                TASKS.c.status == TaskStatus.OPEN.value,
                TASKS.c.due <= due_by,
            )
            .order_by(TASKS.c.due, TASKS.c.case_id, TASKS.c.id)
        )
        return [task_from_row(row) for row in rows]

    async def open_of_owner(self, school_key: str, owner_id: str) -> list[CaseTask]:
        rows = await self.session.execute(
            select(TASKS)
            .where(
                TASKS.c.school_key == school_key,
                TASKS.c.owner_id == owner_id,
                TASKS.c.status == TaskStatus.OPEN.value,
            )
            .order_by(TASKS.c.due, TASKS.c.case_id, TASKS.c.id)
        )
        return [task_from_row(row) for row in rows]

    async def of_cases(self, case_ids: Collection[int]) -> dict[int, list[CaseTask]]:
        found: dict[int, list[CaseTask]] = defaultdict(list)
        for batch in batches(sorted(case_ids)):
            rows = await self.session.execute(
                select(TASKS).where(TASKS.c.case_id.in_(batch)).order_by(TASKS.c.due, TASKS.c.id)
            )
            for row in rows:
                found[row.case_id].append(task_from_row(row))
        return dict(found)

    async def update(self, task: CaseTask) -> CaseTask | None:
        assert task.id is not None
        result = await self.session.execute(
            update(TASKS)
            .where(TASKS.c.id == task.id, TASKS.c.version == task.version)
            .values(**_values(task), version=task.version + 1)
        )
        if result.rowcount != 1:
            return None
        return await self.get(task.id)
