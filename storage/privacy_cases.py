"""The children's cases in a guardian's export and erasure (`storage.privacy`).

Export: the cases of the guardian's children with their logs (viewed and refused included,
and the staff's notes on the conversation questions, which are events of the log), plan
versions, tasks, Danish notices, the staff's concerns about the children, and this guardian's
own confirmations of plans (another guardian's are theirs to ask for).

Erasure: only the guardian's confirmations of plans are deleted. The case, its log (notes
included), plans, tasks, notices and staff concerns are the school's record of its duty to act
on absence (`../shared/domain.md`; 004: the coordinator's documentation), kept until retention
deletes a closed case; the log keeps that a plan was confirmed (who, when, which version).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

from storage.orm_case_notices import CaseNoticeRow
from storage.orm_case_tasks import CaseTaskRow
from storage.orm_cases import CaseEventRow, CaseRow
from storage.orm_concerns import StaffConcernRow
from storage.orm_plans import PlanConfirmationRow, PlanRow

Plain = Callable[[DeclarativeBase], dict[str, Any]]


async def export_cases(
    session: AsyncSession,
    school_key: str,
    guardian_id: str,
    children: Collection[str],
    plain: Plain,
) -> dict[str, list[dict[str, Any]]]:
    """Seven queries, however many cases: every table keyed by the cases found first."""
    cases = list(
        await session.scalars(
            select(CaseRow)
            .where(CaseRow.school_key == school_key, CaseRow.pupil_id.in_(children))
            .order_by(CaseRow.id)
        )
    )
    ids = [c.id for c in cases]
    found: dict[str, list[dict[str, Any]]] = {CaseRow.__tablename__: [plain(c) for c in cases]}
    for row_type in (CaseEventRow, PlanRow, CaseTaskRow, CaseNoticeRow):
        rows = await session.scalars(
            select(row_type).where(row_type.case_id.in_(ids)).order_by(row_type.id)
        )
        found[row_type.__tablename__] = [plain(r) for r in rows]
    plan_ids = [p["id"] for p in found[PlanRow.__tablename__]]
    confirmations = await session.scalars(
        select(PlanConfirmationRow)
        .where(
            PlanConfirmationRow.plan_id.in_(plan_ids),
            PlanConfirmationRow.guardian_id == guardian_id,
        )
        .order_by(PlanConfirmationRow.plan_id)
    )
    found[PlanConfirmationRow.__tablename__] = [plain(r) for r in confirmations]
    concerns = await session.scalars(
        select(StaffConcernRow)
        .where(StaffConcernRow.school_key == school_key, StaffConcernRow.pupil_id.in_(children))
        .order_by(StaffConcernRow.id)
    )
    found[StaffConcernRow.__tablename__] = [plain(r) for r in concerns]
    return found


async def erase_confirmations(session: AsyncSession, school_key: str, guardian_id: str) -> int:
    """Delete the guardian's confirmations of the school's plans; how many."""
    plans = select(PlanRow.id).where(PlanRow.school_key == school_key)
    result = await session.execute(
        delete(PlanConfirmationRow)
        .where(
            PlanConfirmationRow.guardian_id == guardian_id,
            PlanConfirmationRow.plan_id.in_(plans),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
