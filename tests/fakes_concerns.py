"""In-memory fake of staff concerns (routine.concerns), beside the SQL one in
storage/concerns.py; tests/storage/contract/test_staff_concern_contract.py runs the same
contract."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from routine.concerns import StaffConcern


class FakeStaffConcerns:
    def __init__(self, store) -> None:
        self.store = store

    async def add(self, concern: StaffConcern) -> StaffConcern:
        stored = dataclasses.replace(concern, id=next(self.store.ids))
        self.store.staff_concerns[stored.id] = stored
        return stored

    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[StaffConcern]:
        return sorted(
            (
                c
                for c in self.store.staff_concerns.values()
                if (c.school_key, c.pupil_id) == (school_key, pupil_id)
            ),
            key=lambda c: (c.created_at, c.id or 0),
        )

    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        table = self.store.staff_concerns
        old = [i for i, c in table.items() if c.school_key == school_key and c.created_at < moment]
        for concern_id in old:
            del table[concern_id]
        return len(old)
