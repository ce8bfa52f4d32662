"""In-memory fakes of what guardians are asked and ask: absence prompts, contact requests and
concerns.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern, RequestStatus
from tests.fakes_store import _Repo


def _delete_created_before(table: dict, school_key: str, moment: datetime) -> int:
    old = [i for i, r in table.items() if r.school_key == school_key and r.created_at < moment]
    for item_id in old:
        del table[item_id]
    return len(old)


class FakePrompts(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.prompts, school_key, moment)

    async def add(self, prompt: AbsencePrompt) -> AbsencePrompt:
        stored = dataclasses.replace(prompt, id=next(self.store.ids))
        self.store.prompts[stored.id] = stored
        return stored

    async def find(
        self, school_key: str, pupil_id: str, guardian_id: str, day: date
    ) -> AbsencePrompt | None:
        wanted = (school_key, pupil_id, guardian_id, day)
        return next(
            (
                p
                for p in self.store.prompts.values()
                if (p.school_key, p.pupil_id, p.guardian_id, p.day) == wanted
            ),
            None,
        )

    async def by_token(self, token: str) -> AbsencePrompt | None:
        return next((p for p in self.store.prompts.values() if p.token == token), None)

    async def update(self, prompt: AbsencePrompt) -> None:
        if prompt.id not in self.store.prompts:
            raise KeyError(f"no prompt with id {prompt.id}")
        self.store.prompts[prompt.id] = prompt


class FakeContactRequests(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.contact_requests, school_key, moment)

    async def add(self, request: ContactRequest) -> ContactRequest:
        stored = dataclasses.replace(request, id=next(self.store.ids))
        self.store.contact_requests[stored.id] = stored
        return stored

    async def get(self, request_id: int) -> ContactRequest | None:
        return self.store.contact_requests.get(request_id)

    async def take(self, request_id: int, staff_id: str, at: datetime) -> bool:
        request = self.store.contact_requests.get(request_id)
        if request is None or request.status is not RequestStatus.OPEN:
            return False
        self.store.contact_requests[request_id] = dataclasses.replace(
            request, status=RequestStatus.TAKEN, taken_by=staff_id, taken_at=at
        )
        return True

    async def update(self, request: ContactRequest) -> None:
        if request.id not in self.store.contact_requests:
            raise KeyError(f"no contact request with id {request.id}")
        self.store.contact_requests[request.id] = request

    async def list_open(self, school_key: str, pupil_ids: list[str]) -> list[ContactRequest]:
        return sorted(
            (
                r
                for r in self.store.contact_requests.values()
                if r.school_key == school_key
                and r.pupil_id in pupil_ids
                and r.status is not RequestStatus.DONE
            ),
            key=lambda r: (r.created_at, r.id or 0),
        )


class FakeConcerns(_Repo):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return _delete_created_before(self.store.concerns, school_key, moment)

    async def add(self, concern: GuardianConcern) -> GuardianConcern:
        stored = dataclasses.replace(concern, id=next(self.store.ids))
        self.store.concerns[stored.id] = stored
        return stored

    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[GuardianConcern]:
        return sorted(
            (
                c
                for c in self.store.concerns.values()
                if (c.school_key, c.pupil_id) == (school_key, pupil_id)
            ),
            key=lambda c: (c.created_at, c.id or 0),
        )
