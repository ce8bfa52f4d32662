"""Storage of cases and their logs (routine.cases), as plain rows through Core statements.

New cases are inserted in one statement a batch with ON CONFLICT DO NOTHING on (school,
open_pupil), so a pupil gets one open case even when two processes decide at once; an update is
a compare-and-set on `version` that checks its row count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from routine.cases import Case, CaseEvent, CaseStatus, EventKind
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk, insert_rows
from storage.orm import as_utc
from storage.orm_case_notices import CaseNoticeRow
from storage.orm_case_tasks import CaseTaskRow
from storage.orm_cases import CaseEventRow, CaseRow
from storage.orm_plans import PlanConfirmationRow, PlanRow
from storage.repositories import _Repository

CASES = CaseRow.__table__
EVENTS = CaseEventRow.__table__
NOTICES = CaseNoticeRow.__table__
TASKS = CaseTaskRow.__table__
PLANS = PlanRow.__table__
CONFIRMATIONS = PlanConfirmationRow.__table__


def case_from_row(row: Any) -> Case:
    return Case(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        stage=row.stage,
        opened_at=row.opened_at,
        opened_by=row.opened_by,
        owner_id=row.owner_id,
        coordinator_id=row.coordinator_id,
        members=tuple(row.members),
        status=CaseStatus(row.status),
        health_informed_at=row.health_informed_at,
        closed_at=row.closed_at,
        version=row.version,
        id=row.id,
    )


def _values(case: Case) -> dict[str, Any]:
    return {
        "school_key": case.school_key,
        "pupil_id": case.pupil_id,
        "open_pupil": case.pupil_id if case.is_open else None,
        "stage": case.stage,
        "status": case.status.value,
        "opened_at": as_utc(case.opened_at),
        "opened_by": case.opened_by,
        "owner_id": case.owner_id,
        "coordinator_id": case.coordinator_id,
        "members": list(case.members),
        "health_informed_at": _utc(case.health_informed_at),
        "closed_at": _utc(case.closed_at),
    }


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


class SqlCaseRepository(_Repository):
    async def get(self, case_id: int) -> Case | None:
        row = (await self.session.execute(select(CASES).where(CASES.c.id == case_id))).first()
        return None if row is None else case_from_row(row)

    async def open_cases(
        self, school_key: str, pupil_ids: Collection[str] | None = None
    ) -> list[Case]:
        query = select(CASES).where(
            CASES.c.school_key == school_key, CASES.c.status == CaseStatus.OPEN.value
        )
        if pupil_ids is not None:
            found: list[Case] = []
            for batch in batches(sorted(pupil_ids)):
                rows = await self.session.execute(query.where(CASES.c.pupil_id.in_(batch)))
                found.extend(case_from_row(row) for row in rows)
            return found
        return [case_from_row(row) for row in await self.session.execute(query)]

    async def last_closed(self, school_key: str, pupil_ids: Collection[str]) -> dict[str, Case]:
        found: dict[str, Case] = {}
        for batch in batches(sorted(pupil_ids)):
            rows = await self.session.execute(
                select(CASES)
                .where(
                    CASES.c.school_key == school_key,
                    CASES.c.status == CaseStatus.CLOSED.value,
                    CASES.c.pupil_id.in_(batch),
                )
                .order_by(CASES.c.closed_at, CASES.c.id)
            )
            for row in rows:
                found[row.pupil_id] = case_from_row(row)
        return found

    async def of_pupil(self, school_key: str, pupil_id: str) -> list[Case]:
        rows = await self.session.execute(
            select(CASES)
            .where(CASES.c.school_key == school_key, CASES.c.pupil_id == pupil_id)
            .order_by(CASES.c.opened_at.desc(), CASES.c.id.desc())
        )
        return [case_from_row(row) for row in rows]

    async def add_new(self, cases: Sequence[Case]) -> list[Case]:
        if not cases:
            return []
        await before_bulk(self.session)
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](CASES)
        stored: list[Case] = []
        for batch in batches(list(cases)):
            statement = (
                insert.values([_values(c) | {"version": 1} for c in batch])
                .on_conflict_do_nothing(index_elements=["school_key", "open_pupil"])
                .returning(CASES)
            )
            stored.extend(case_from_row(row) for row in await self.session.execute(statement))
        return stored

    async def update(self, case: Case) -> Case | None:
        assert case.id is not None
        result = await self.session.execute(
            update(CASES)
            .where(CASES.c.id == case.id, CASES.c.version == case.version)
            .values(**_values(case), version=case.version + 1)
        )
        if result.rowcount != 1:
            return None
        return await self.get(case.id)

    async def add_events(self, events: Sequence[CaseEvent]) -> None:
        await before_bulk(self.session)
        await insert_rows(
            self.session,
            EVENTS,
            [
                {
                    "case_id": e.case_id,
                    "at": as_utc(e.at),
                    "kind": e.kind.value,
                    "actor": e.actor,
                    "detail": dict(e.detail),
                }
                for e in events
            ],
        )

    async def events_of(self, case_ids: Collection[int]) -> dict[int, list[CaseEvent]]:
        found: dict[int, list[CaseEvent]] = defaultdict(list)
        for batch in batches(sorted(case_ids)):
            rows = await self.session.execute(
                select(EVENTS).where(EVENTS.c.case_id.in_(batch)).order_by(EVENTS.c.id)
            )
            for row in rows:
                found[row.case_id].append(
                    CaseEvent(
                        row.case_id, row.at, EventKind(row.kind), row.actor, row.detail, row.id
                    )
                )
        return dict(found)

    async def delete_closed_before(self, school_key: str, before: datetime) -> int:
        cutoff = as_utc(before)
        closed = select(CASES.c.id).where(
            CASES.c.school_key == school_key,
            CASES.c.status == CaseStatus.CLOSED.value,
            CASES.c.closed_at < cutoff,
        )
        # Not every SQLite connection enforces foreign keys: the log and the tasks go first.
        # Not every SQLite connection enforces foreign keys: what hangs on a case goes first,
        # explicitly.
        confirmations = select(PLANS.c.id).where(PLANS.c.case_id.in_(closed))
        await self.session.execute(
            delete(CONFIRMATIONS).where(CONFIRMATIONS.c.plan_id.in_(confirmations))
        )
        await self.session.execute(delete(PLANS).where(PLANS.c.case_id.in_(closed)))
        await self.session.execute(delete(EVENTS).where(EVENTS.c.case_id.in_(closed)))
        await self.session.execute(delete(NOTICES).where(NOTICES.c.case_id.in_(closed)))
        await self.session.execute(delete(TASKS).where(TASKS.c.case_id.in_(closed)))
        result = await self.session.execute(delete(CASES).where(CASES.c.id.in_(closed)))
        return result.rowcount
