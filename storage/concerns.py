"""Storage of staff concerns (routine.concerns)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from routine.concerns import StaffConcern, StaffConcernKind
from storage.orm import as_utc
from storage.orm_concerns import StaffConcernRow
from storage.repositories import _Repository, delete_where


def _from_row(row: StaffConcernRow) -> StaffConcern:
    return StaffConcern(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        staff_id=row.staff_id,
        kind=StaffConcernKind(row.kind),
        note=row.note,
        created_at=row.created_at,
        id=row.id,
    )


class SqlStaffConcernRepository(_Repository):
    async def add(self, concern: StaffConcern) -> StaffConcern:
        row = StaffConcernRow(
            school_key=concern.school_key,
            pupil_id=concern.pupil_id,
            staff_id=concern.staff_id,
            kind=concern.kind.value,
            note=concern.note,
            created_at=as_utc(concern.created_at),
        )
        self.session.add(row)
        await self.session.flush()
        return _from_row(row)

    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[StaffConcern]:
        rows = await self.session.scalars(
            select(StaffConcernRow)
            .where(StaffConcernRow.school_key == school_key, StaffConcernRow.pupil_id == pupil_id)
            .order_by(StaffConcernRow.created_at, StaffConcernRow.id)
        )
        return [_from_row(row) for row in rows]

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            StaffConcernRow,
            StaffConcernRow.school_key == school_key,
            StaffConcernRow.created_at < moment,
        )
