"""What guardians are asked and ask over SQLAlchemy (`routine.ports_requests`): absence prompts,
contact requests and guardians' concerns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update

from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern, RequestStatus
from storage import mapping
from storage.orm import AbsencePromptRow, ContactRequestRow, GuardianConcernRow, as_utc
from storage.repositories import _Repository, delete_where


class SqlPromptRepository(_Repository):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            AbsencePromptRow,
            AbsencePromptRow.school_key == school_key,
            AbsencePromptRow.created_at < moment,
        )

    async def add(self, prompt: AbsencePrompt) -> AbsencePrompt:
        # A second prompt about the same pupil, guardian and day, or a token used before, fails
        # here with an IntegrityError: the unique constraints refuse it.
        row = AbsencePromptRow()
        mapping.prompt_to_row(prompt, row)
        self.session.add(row)
        await self.session.flush()
        return mapping.prompt_from_row(row)

    async def find(
        self, school_key: str, pupil_id: str, guardian_id: str, day: date
    ) -> AbsencePrompt | None:
        row = await self.session.scalar(
            select(AbsencePromptRow).where(
                AbsencePromptRow.school_key == school_key,
                AbsencePromptRow.pupil_id == pupil_id,
                AbsencePromptRow.guardian_id == guardian_id,
                AbsencePromptRow.day == day,
            )
        )
        return None if row is None else mapping.prompt_from_row(row)

    async def by_token(self, token: str) -> AbsencePrompt | None:
        row = await self.session.scalar(
            select(AbsencePromptRow).where(AbsencePromptRow.token == token)
        )
        return None if row is None else mapping.prompt_from_row(row)

    async def update(self, prompt: AbsencePrompt) -> None:
        row = None if prompt.id is None else await self.session.get(AbsencePromptRow, prompt.id)
        if row is None:
            raise KeyError(f"no prompt with id {prompt.id}")
        mapping.prompt_to_row(prompt, row)


class SqlContactRequestRepository(_Repository):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            ContactRequestRow,
            ContactRequestRow.school_key == school_key,
            ContactRequestRow.created_at < moment,
        )

    async def add(self, request: ContactRequest) -> ContactRequest:
        row = ContactRequestRow()
        mapping.contact_request_to_row(request, row)
        self.session.add(row)
        await self.session.flush()
        return mapping.contact_request_from_row(row)

    async def get(self, request_id: int) -> ContactRequest | None:
        row = await self.session.get(ContactRequestRow, request_id)
        return None if row is None else mapping.contact_request_from_row(row)

    async def take(self, request_id: int, staff_id: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(ContactRequestRow)
            .where(
                ContactRequestRow.id == request_id,
                ContactRequestRow.status == RequestStatus.OPEN.value,
            )
            .values(status=RequestStatus.TAKEN.value, taken_by=staff_id, taken_at=as_utc(at))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def update(self, request: ContactRequest) -> None:
        row = None if request.id is None else await self.session.get(ContactRequestRow, request.id)
        if row is None:
            raise KeyError(f"no contact request with id {request.id}")
        mapping.contact_request_to_row(request, row)

    async def list_open(self, school_key: str, pupil_ids: list[str]) -> list[ContactRequest]:
        rows = await self.session.scalars(
            select(ContactRequestRow)
            .where(
                ContactRequestRow.school_key == school_key,
                ContactRequestRow.pupil_id.in_(pupil_ids),
                ContactRequestRow.status != RequestStatus.DONE.value,
            )
            .order_by(ContactRequestRow.created_at, ContactRequestRow.id)
        )
        return [mapping.contact_request_from_row(row) for row in rows]


class SqlConcernRepository(_Repository):
    async def delete_created_before(self, school_key: str, moment: datetime) -> int:
        return await delete_where(
            self.session,
            GuardianConcernRow,
            GuardianConcernRow.school_key == school_key,
            GuardianConcernRow.created_at < moment,
        )

    async def add(self, concern: GuardianConcern) -> GuardianConcern:
        row = mapping.concern_to_row(concern)
        self.session.add(row)
        await self.session.flush()
        return mapping.concern_from_row(row)

    async def list_for_pupil(self, school_key: str, pupil_id: str) -> list[GuardianConcern]:
        rows = await self.session.scalars(
            select(GuardianConcernRow)
            .where(
                GuardianConcernRow.school_key == school_key,
                GuardianConcernRow.pupil_id == pupil_id,
            )
            .order_by(GuardianConcernRow.created_at, GuardianConcernRow.id)
        )
        return [mapping.concern_from_row(row) for row in rows]
