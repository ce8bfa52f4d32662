"""Storage of what the Danish absence rules ask of the head (routine.notices_dk).

New notices are inserted in one statement a batch with ON CONFLICT DO NOTHING on (school,
pupil, kind, quarter), so a notice is kept once however often the rule holds, and whichever
case the pupil has; a decision is a compare-and-set on status = pending that checks its row
count, so it is taken once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from routine.notices_dk import CaseNotice, NoticeKind, NoticeStatus
from storage.bulk import INSERTS_BY_DIALECT, batches, before_bulk
from storage.orm import as_utc
from storage.orm_case_notices import CaseNoticeRow
from storage.repositories import _Repository

NOTICES = CaseNoticeRow.__table__


def notice_from_row(row: Any) -> CaseNotice:
    return CaseNotice(
        case_id=row.case_id,
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        kind=NoticeKind(row.kind),
        quarter=row.quarter,
        created_at=row.created_at,
        numbers=dict(row.numbers),
        status=NoticeStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        id=row.id,
    )


def _values(notice: CaseNotice) -> dict[str, Any]:
    return {
        "case_id": notice.case_id,
        "school_key": notice.school_key,
        "pupil_id": notice.pupil_id,
        "kind": notice.kind.value,
        "quarter": notice.quarter,
        "created_at": as_utc(notice.created_at),
        "numbers": dict(notice.numbers),
        "status": NoticeStatus.PENDING.value,
        "decided_by": "",
        "decided_at": None,
    }


class SqlCaseNoticeRepository(_Repository):
    async def get(self, notice_id: int) -> CaseNotice | None:
        query = select(NOTICES).where(NOTICES.c.id == notice_id)
        row = (await self.session.execute(query)).first()
        return None if row is None else notice_from_row(row)

    async def add_new(self, notices: Sequence[CaseNotice]) -> list[CaseNotice]:
        if not notices:
            return []
        await before_bulk(self.session)
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name](NOTICES)
        stored: list[CaseNotice] = []
        for batch in batches(list(notices)):
            statement = (
                insert.values([_values(n) for n in batch])
                .on_conflict_do_nothing(
                    index_elements=["school_key", "pupil_id", "kind", "quarter"]
                )
                .returning(NOTICES)
            )
            rows = await self.session.execute(statement)
            stored.extend(notice_from_row(row) for row in rows)
        return sorted(stored, key=lambda n: n.id or 0)

    async def decide(
        self, notice_id: int, status: NoticeStatus, staff_id: str, at: datetime
    ) -> CaseNotice | None:
        result = await self.session.execute(
            update(NOTICES)
            .where(NOTICES.c.id == notice_id, NOTICES.c.status == NoticeStatus.PENDING.value)
            .values(status=status.value, decided_by=staff_id, decided_at=as_utc(at))
        )
        if result.rowcount != 1:
            return None
        return await self.get(notice_id)

    async def of_cases(self, case_ids: Collection[int]) -> list[CaseNotice]:
        found: list[CaseNotice] = []
        for batch in batches(sorted(case_ids)):
            rows = await self.session.execute(
                select(NOTICES).where(NOTICES.c.case_id.in_(batch)).order_by(NOTICES.c.id)
            )
            found.extend(notice_from_row(row) for row in rows)
        return found
