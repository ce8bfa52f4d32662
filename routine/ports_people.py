"""Ports for the people and the schools: schools, classes, pupils, guardians, staff, chat
accounts and invite codes.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from routine.model import (
    ChatAccount,
    Guardian,
    InviteCode,
    Language,
    Pupil,
    School,
    SchoolClass,
    StaffMember,
)


class SchoolRepository(Protocol):
    async def get(self, key: str) -> School | None: ...
    async def get_with_staff(self, key: str) -> School | None:
        """`get`, for a job that reads the school's staff next: both are read at once, and
        `StaffRepository.list_for_school` in the same unit of work costs nothing more."""

    async def list(self) -> list[School]: ...
    async def save(self, school: School) -> None: ...


class ClassRepository(Protocol):
    async def list_for(self, school_key: str) -> list[SchoolClass]: ...
    async def save(self, school_class: SchoolClass) -> None: ...
    async def save_many(self, classes: Sequence[SchoolClass]) -> None:
        """Like `save` for each, in a few bulk statements."""


class PupilRepository(Protocol):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None: ...
    async def list_for_school(self, school_key: str) -> list[Pupil]: ...
    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]: ...
    async def save(self, pupil: Pupil) -> None: ...
    async def save_many(self, pupils: Sequence[Pupil]) -> None:
        """Like `save` for each, in a few bulk statements."""


class GuardianRepository(Protocol):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None: ...
    async def list_for_school(self, school_key: str) -> list[Guardian]: ...
    async def save(self, guardian: Guardian) -> None:
        """Insert or update, including the set of linked pupils (`pupil_ids`)."""

    async def save_many(self, guardians: Sequence[Guardian]) -> None:
        """Like `save` for each, in a few bulk statements."""

    async def add_many(self, guardians: Sequence[Guardian]) -> None:
        """Insert guardians not stored yet, with their links, without reading what is there."""


class StaffRepository(Protocol):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None: ...
    async def list_for_school(self, school_key: str) -> list[StaffMember]: ...
    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None: ...
    async def list_by_slack_users(self, slack_user_ids: Collection[str]) -> list[StaffMember]:
        """Every staff member, at any school, with one of these Slack user ids."""

    async def save(self, staff: StaffMember) -> None: ...
    async def delete(self, school_key: str, staff_id: str) -> None:
        """Remove the member of staff (their roles and classes with them)."""

    async def save_many(self, staff: Sequence[StaffMember]) -> None:
        """Like `save` for each, in a few bulk statements."""

    async def remember_platform_languages(
        self, school_key: str, answers: Mapping[str, Language | None], asked_at: datetime
    ) -> int:
        """Compare-and-set, set-based: each member's platform language as their platform
        answered (staff id to language; None: a locale we do not write) and that it was asked,
        only where neither is known yet (an event may have told it meanwhile). How many were
        set."""


class ChatAccountRepository(Protocol):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None: ...
    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        """Every chat account linked to this person, by platform and account id."""

    async def save(self, account: ChatAccount) -> None: ...
    async def delete(self, platform: str, account_id: str) -> None: ...


class InviteCodeRepository(Protocol):
    async def add(self, invite: InviteCode) -> InviteCode: ...
    async def find_by_hash(self, code_hash: str) -> InviteCode | None: ...
    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        """Compare-and-set: only if still unused, in one statement; whether it was."""

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        """Expire every unused code of this guardian; returns how many."""
