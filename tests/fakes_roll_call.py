"""In-memory fakes of the staff side of the day: roll calls, follow-ups and guardian contacts."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date, datetime

from routine.follow_up import FollowUp, GuardianContact
from routine.register_import import IMPORTED_BY, NOT_TAKEN
from routine.roll_call import RollCall, RollCallStatus
from tests.fakes_store import _Repo


class FakeRollCalls(_Repo):
    async def add(self, roll_call: RollCall) -> RollCall:
        existing = await self.find(roll_call.school_key, roll_call.class_name, roll_call.day)
        if existing is not None:
            return existing
        stored = dataclasses.replace(roll_call, id=next(self.store.ids))
        self.store.roll_calls[stored.id] = stored
        return stored

    async def get(self, roll_call_id: int) -> RollCall | None:
        return self.store.roll_calls.get(roll_call_id)

    async def find(self, school_key: str, class_name: str, day: date) -> RollCall | None:
        return next(
            (
                r
                for r in self.store.roll_calls.values()
                if (r.school_key, r.class_name, r.day) == (school_key, class_name, day)
            ),
            None,
        )

    async def list_for_day(self, school_key: str, day: date) -> list[RollCall]:
        return sorted(
            (
                r
                for r in self.store.roll_calls.values()
                if (r.school_key, r.day) == (school_key, day)
            ),
            key=lambda r: r.class_name,
        )

    async def list_between(self, school_key: str, start: date, end: date) -> list[RollCall]:
        return sorted(
            (
                r
                for r in self.store.roll_calls.values()
                if r.school_key == school_key and start <= r.day <= end
            ),
            key=lambda r: (r.day, r.class_name),
        )

    async def update(self, roll_call: RollCall) -> None:
        if roll_call.id not in self.store.roll_calls:
            raise KeyError(f"no roll call with id {roll_call.id}")
        self.store.roll_calls[roll_call.id] = roll_call

    async def mark_not_answered(self, roll_call_id: int) -> bool:
        roll_call = self.store.roll_calls.get(roll_call_id)
        if roll_call is None or roll_call.status is not RollCallStatus.OPEN:
            return False
        self.store.roll_calls[roll_call_id] = dataclasses.replace(
            roll_call, status=RollCallStatus.NOT_ANSWERED
        )
        return True

    async def add_imported(
        self, school_key: str, class_days: Sequence[tuple[str, date]], at: datetime
    ) -> int:
        added = 0
        for class_name, day in class_days:
            if await self.find(school_key, class_name, day) is None:
                await self.add(
                    RollCall(
                        school_key,
                        class_name,
                        day,
                        RollCallStatus.IMPORTED,
                        opened_at=at,
                        submitted_by=IMPORTED_BY,
                        submitted_at=at,
                    )
                )
                added += 1
        return added

    async def mark_imported(self, roll_call_ids: Collection[int]) -> int:
        turned = 0
        for roll_call_id in set(roll_call_ids):
            roll_call = self.store.roll_calls.get(roll_call_id)
            if roll_call is not None and roll_call.status in NOT_TAKEN:
                self.store.roll_calls[roll_call_id] = dataclasses.replace(
                    roll_call, status=RollCallStatus.IMPORTED
                )
                turned += 1
        return turned

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, r in self.store.roll_calls.items()
            if r.school_key == school_key and r.day < day
        ]
        for roll_call_id in old:
            del self.store.roll_calls[roll_call_id]
        return len(old)


class FakeFollowUps(_Repo):
    async def add(self, follow_up: FollowUp) -> FollowUp:
        existing = await self.find(follow_up.school_key, follow_up.pupil_id, follow_up.day)
        if existing is not None:
            return existing
        stored = dataclasses.replace(follow_up, id=next(self.store.ids))
        self.store.follow_ups[stored.id] = stored
        return stored

    async def get(self, follow_up_id: int) -> FollowUp | None:
        return self.store.follow_ups.get(follow_up_id)

    async def find(self, school_key: str, pupil_id: str, day: date) -> FollowUp | None:
        return next(
            (
                f
                for f in self.store.follow_ups.values()
                if (f.school_key, f.pupil_id, f.day) == (school_key, pupil_id, day)
            ),
            None,
        )

    async def of_pupils(
        self, school_key: str, pupil_ids: Collection[str], since: date
    ) -> list[FollowUp]:
        return sorted(
            (
                f
                for f in self.store.follow_ups.values()
                if f.school_key == school_key and f.pupil_id in pupil_ids and f.day >= since
            ),
            key=lambda f: (f.day, f.id or 0),
        )

    async def list_for_day(self, school_key: str, day: date) -> list[FollowUp]:
        return sorted(
            (
                f
                for f in self.store.follow_ups.values()
                if (f.school_key, f.day) == (school_key, day)
            ),
            key=lambda f: f.id or 0,
        )

    async def delete_before(self, school_key: str, day: date) -> int:
        old = {
            i
            for i, f in self.store.follow_ups.items()
            if f.school_key == school_key and f.day < day
        }
        for contact_id, contact in list(self.store.guardian_contacts.items()):
            if contact.follow_up_id in old:
                del self.store.guardian_contacts[contact_id]
        for follow_up_id in old:
            del self.store.follow_ups[follow_up_id]
        return len(old)


class FakeGuardianContacts(_Repo):
    async def add(self, contact: GuardianContact) -> GuardianContact:
        if contact.follow_up_id not in self.store.follow_ups:
            raise KeyError(f"no follow-up with id {contact.follow_up_id}")
        stored = dataclasses.replace(contact, id=next(self.store.ids))
        self.store.guardian_contacts[stored.id] = stored
        return stored

    async def list_for(self, follow_up_ids: list[int]) -> list[GuardianContact]:
        return sorted(
            (c for c in self.store.guardian_contacts.values() if c.follow_up_id in follow_up_ids),
            key=lambda c: c.id or 0,
        )

    async def judgements_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> dict[tuple[str, date], bool]:
        found: dict[tuple[str, date], bool] = {}
        contacts = sorted(
            self.store.guardian_contacts.values(), key=lambda c: (c.recorded_at, c.id or 0)
        )
        for contact in contacts:
            follow_up = self.store.follow_ups[contact.follow_up_id]
            if (
                contact.valid is not None
                and follow_up.school_key == school_key
                and start <= follow_up.day <= end
                and (pupil_ids is None or follow_up.pupil_id in pupil_ids)
            ):
                found[(follow_up.pupil_id, follow_up.day)] = contact.valid
        return found
