"""In-memory fake of the case notices (routine.notices_dk), beside the SQL one in
storage/case_notices.py; tests/storage/contract/test_case_notice_contract.py runs the same
contract against both."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import datetime

from routine.notices_dk import CaseNotice, NoticeStatus


class FakeCaseNotices:
    def __init__(self, store) -> None:
        self.store = store

    async def get(self, notice_id: int) -> CaseNotice | None:
        return self.store.case_notices.get(notice_id)

    async def add_new(self, notices: Sequence[CaseNotice]) -> list[CaseNotice]:
        kept = {
            (n.school_key, n.pupil_id, n.kind, n.quarter) for n in self.store.case_notices.values()
        }
        stored = []
        for notice in notices:
            key = (notice.school_key, notice.pupil_id, notice.kind, notice.quarter)
            if key in kept:
                continue
            kept.add(key)
            new = dataclasses.replace(
                notice,
                status=NoticeStatus.PENDING,
                decided_by="",
                decided_at=None,
                id=next(self.store.ids),
            )
            self.store.case_notices[new.id] = new
            stored.append(new)
        return stored

    async def decide(
        self, notice_id: int, status: NoticeStatus, staff_id: str, at: datetime
    ) -> CaseNotice | None:
        current = self.store.case_notices.get(notice_id)
        if current is None or not current.pending:
            return None
        decided = dataclasses.replace(current, status=status, decided_by=staff_id, decided_at=at)
        self.store.case_notices[notice_id] = decided
        return decided

    async def of_cases(self, case_ids: Collection[int]) -> list[CaseNotice]:
        wanted = set(case_ids)
        return sorted(
            (n for n in self.store.case_notices.values() if n.case_id in wanted),
            key=lambda n: n.id or 0,
        )
