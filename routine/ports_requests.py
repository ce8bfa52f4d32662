"""Ports for what guardians are asked and ask: absence prompts, contact requests and concerns
(routine.requests).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern


class PromptRepository(Protocol):
    async def add(self, prompt: AbsencePrompt) -> AbsencePrompt: ...
    async def find(
        self, school_key: str, pupil_id: str, guardian_id: str, day: date
    ) -> AbsencePrompt | None:
        """The prompt already asked of this guardian about this pupil and day, if any."""

    async def by_token(self, token: str) -> AbsencePrompt | None: ...
    async def update(self, prompt: AbsencePrompt) -> None: ...
    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


class ContactRequestRepository(Protocol):
    async def add(self, request: ContactRequest) -> ContactRequest: ...
    async def get(self, request_id: int) -> ContactRequest | None: ...
    async def update(self, request: ContactRequest) -> None: ...
    async def take(self, request_id: int, staff_id: str, at: datetime) -> bool:
        """Compare-and-set: taken by this staff member only if still open; whether it was."""

    async def list_open(self, school_key: str, pupil_ids: list[str]) -> list[ContactRequest]:
        """Requests about these pupils that are not done, oldest first."""

    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...


class ConcernRepository(Protocol):
    async def add(self, concern: GuardianConcern) -> GuardianConcern: ...
    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[GuardianConcern]: ...
    async def delete_created_before(self, school_key: str, moment: datetime) -> int: ...
