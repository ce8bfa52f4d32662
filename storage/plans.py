"""Storage of case plans (routine.plans): versions as rows, confirmations as rows, through Core
statements; claims check their row counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from routine.plans import Confirmation, Plan, PlanRow, Responsible
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import as_utc
from storage.orm_plans import PlanConfirmationRow
from storage.orm_plans import PlanRow as PlanVersionRow
from storage.repositories import _Repository

PLANS = PlanVersionRow.__table__
CONFIRMATIONS = PlanConfirmationRow.__table__


def _row_to_json(row: PlanRow) -> dict[str, Any]:
    return {
        "sub_goal": row.sub_goal,
        "measure": row.measure,
        "responsible": row.responsible.value,
        "staff_id": row.staff_id,
        "deadline": None if row.deadline is None else row.deadline.isoformat(),
    }


def _row_from_json(value: dict[str, Any]) -> PlanRow:
    deadline = value.get("deadline")
    return PlanRow(
        value["sub_goal"],
        value["measure"],
        Responsible(value["responsible"]),
        value.get("staff_id", ""),
        None if deadline is None else date.fromisoformat(deadline),
    )


def plan_from_row(row: Any) -> Plan:
    return Plan(
        school_key=row.school_key,
        case_id=row.case_id,
        version=row.version,
        situation=row.situation,
        main_goal=row.main_goal,
        rows=tuple(_row_from_json(r) for r in row.rows),
        period_start=row.period_start,
        period_end=row.period_end,
        review=row.review,
        written_by=row.written_by,
        written_at=row.written_at,
        pupil_agreed_by=row.pupil_agreed_by,
        pupil_agreed_at=row.pupil_agreed_at,
        id=row.id,
    )


class SqlPlanRepository(_Repository):
    async def get(self, plan_id: int) -> Plan | None:
        row = (await self.session.execute(select(PLANS).where(PLANS.c.id == plan_id))).first()
        return None if row is None else plan_from_row(row)

    async def latest_of(self, case_ids: Collection[int]) -> dict[int, Plan]:
        found: dict[int, Plan] = {}
        for batch in batches(sorted(case_ids)):
            newest = (
                select(PLANS.c.case_id, func.max(PLANS.c.version).label("version"))
                .where(PLANS.c.case_id.in_(batch))
                .group_by(PLANS.c.case_id)
                .subquery()
            )
            rows = await self.session.execute(
                select(PLANS).join(
                    newest,
                    (PLANS.c.case_id == newest.c.case_id) & (PLANS.c.version == newest.c.version),
                )
            )
            found.update((row.case_id, plan_from_row(row)) for row in rows)
        return found

    async def versions(self, case_id: int) -> list[Plan]:
        rows = await self.session.execute(
            select(PLANS).where(PLANS.c.case_id == case_id).order_by(PLANS.c.version)
        )
        return [plan_from_row(row) for row in rows]

    async def add_version(self, plan: Plan) -> Plan | None:
        await before_bulk(self.session)
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](PLANS)
        values = {
            "school_key": plan.school_key,
            "case_id": plan.case_id,
            "version": plan.version,
            "situation": plan.situation,
            "main_goal": plan.main_goal,
            "rows": [_row_to_json(r) for r in plan.rows],
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "review": plan.review,
            "written_by": plan.written_by,
            "written_at": as_utc(plan.written_at),
            "pupil_agreed_by": plan.pupil_agreed_by,
            "pupil_agreed_at": None
            if plan.pupil_agreed_at is None
            else as_utc(plan.pupil_agreed_at),
        }
        statement = (
            insert.values(values)
            .on_conflict_do_nothing(index_elements=["case_id", "version"])
            .returning(PLANS)
        )
        row = (await self.session.execute(statement)).first()
        return None if row is None else plan_from_row(row)

    async def record_pupil_agreement(self, plan_id: int, by: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(PLANS)
            .where(PLANS.c.id == plan_id, PLANS.c.pupil_agreed_at.is_(None))
            .values(pupil_agreed_by=by, pupil_agreed_at=as_utc(at))
        )
        return result.rowcount == 1

    async def confirm(self, plan_id: int, guardian_id: str, at: datetime) -> bool:
        if await self.get(plan_id) is None:
            return False
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](CONFIRMATIONS)
        result = await self.session.execute(
            insert.values(
                plan_id=plan_id, guardian_id=guardian_id, at=as_utc(at)
            ).on_conflict_do_nothing(index_elements=["plan_id", "guardian_id"])
        )
        return result.rowcount == 1

    async def confirmations(self, plan_ids: Collection[int]) -> dict[int, list[Confirmation]]:
        found: dict[int, list[Confirmation]] = defaultdict(list)
        for batch in batches(sorted(plan_ids)):
            rows = await self.session.execute(
                select(CONFIRMATIONS)
                .where(CONFIRMATIONS.c.plan_id.in_(batch))
                .order_by(CONFIRMATIONS.c.at, CONFIRMATIONS.c.guardian_id)
            )
            for row in rows:
                found[row.plan_id].append(Confirmation(row.plan_id, row.guardian_id, row.at))
        return dict(found)
