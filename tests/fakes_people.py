"""In-memory fakes of the people and schools' repositories: schools, classes, pupils, guardians,
staff, chat accounts and invite codes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

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
from tests.fakes_store import _Repo


class FakeSchools(_Repo):
    async def get(self, key: str) -> School | None:
        return self.store.schools.get(key)

    async def get_with_staff(self, key: str) -> School | None:
        return self.store.schools.get(key)

    async def list(self) -> list[School]:
        return sorted(self.store.schools.values(), key=lambda s: s.key)

    async def save(self, school: School) -> None:
        self.store.schools[school.key] = school


class FakeClasses(_Repo):
    async def list_for(self, school_key: str) -> list[SchoolClass]:
        found = [c for (k, _), c in self.store.classes.items() if k == school_key]
        return sorted(found, key=lambda c: c.name)

    async def save(self, school_class: SchoolClass) -> None:
        self.store.classes[(school_class.school_key, school_class.name)] = school_class

    async def save_many(self, classes: Sequence[SchoolClass]) -> None:
        for school_class in classes:
            await self.save(school_class)


class FakePupils(_Repo):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None:
        return self.store.pupils.get((school_key, pupil_id))

    async def list_for_school(self, school_key: str) -> list[Pupil]:
        found = [p for (k, _), p in self.store.pupils.items() if k == school_key]
        return sorted(found, key=lambda p: (p.class_name, p.name, p.pupil_id))

    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]:
        pupils = await self.list_for_school(school_key)
        return [p for p in pupils if p.class_name in class_names]

    async def save(self, pupil: Pupil) -> None:
        self.store.pupils[(pupil.school_key, pupil.pupil_id)] = pupil

    async def save_many(self, pupils: Sequence[Pupil]) -> None:
        for pupil in pupils:
            await self.save(pupil)


class FakeGuardians(_Repo):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None:
        return self.store.guardians.get((school_key, guardian_id))

    async def list_for_school(self, school_key: str) -> list[Guardian]:
        found = [g for (k, _), g in self.store.guardians.items() if k == school_key]
        return sorted(found, key=lambda g: g.guardian_id)

    async def save(self, guardian: Guardian) -> None:
        guardian = dataclasses.replace(guardian, pupil_ids=tuple(sorted(guardian.pupil_ids)))
        self.store.guardians[(guardian.school_key, guardian.guardian_id)] = guardian

    async def save_many(self, guardians: Sequence[Guardian]) -> None:
        for guardian in guardians:
            await self.save(guardian)

    async def add_many(self, guardians: Sequence[Guardian]) -> None:
        for guardian in guardians:
            if (guardian.school_key, guardian.guardian_id) in self.store.guardians:
                raise KeyError(f"guardian {guardian.guardian_id} is already stored")
            await self.save(guardian)


class FakeStaff(_Repo):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None:
        return self.store.staff.get((school_key, staff_id))

    async def list_for_school(self, school_key: str) -> list[StaffMember]:
        found = [s for (k, _), s in self.store.staff.items() if k == school_key]
        return sorted(found, key=lambda s: s.staff_id)

    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None:
        return next(
            (s for s in self.store.staff.values() if s.slack_user_id == slack_user_id), None
        )

    async def list_by_slack_users(self, slack_user_ids: Collection[str]) -> list[StaffMember]:
        wanted = set(slack_user_ids)
        found = [s for s in self.store.staff.values() if s.slack_user_id in wanted]
        return sorted(found, key=lambda s: (s.school_key, s.staff_id))

    async def save(self, staff: StaffMember) -> None:
        self.store.staff[(staff.school_key, staff.staff_id)] = staff

    async def save_many(self, staff: Sequence[StaffMember]) -> None:
        for member in staff:
            await self.save(member)

    async def delete(self, school_key: str, staff_id: str) -> None:
        self.store.staff.pop((school_key, staff_id), None)

    async def remember_platform_languages(
        self, school_key: str, answers: Mapping[str, Language | None], asked_at: datetime
    ) -> int:
        done = 0
        for staff_id, language in answers.items():
            member = self.store.staff.get((school_key, staff_id))
            if member is None or member.platform_language or member.platform_locale_asked:
                continue
            self.store.staff[(school_key, staff_id)] = dataclasses.replace(
                member, platform_language=language, platform_locale_asked=asked_at
            )
            done += 1
        return done


class FakeAccounts(_Repo):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None:
        return self.store.accounts.get((platform, account_id))

    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        person = (school_key, person_kind, person_id)
        return sorted(
            (
                a
                for a in self.store.accounts.values()
                if (a.school_key, a.person_kind, a.person_id) == person
            ),
            key=lambda a: (a.platform, a.account_id),
        )

    async def save(self, account: ChatAccount) -> None:
        self.store.accounts[(account.platform, account.account_id)] = account

    async def delete(self, platform: str, account_id: str) -> None:
        self.store.accounts.pop((platform, account_id), None)


class FakeInvites(_Repo):
    async def add(self, invite: InviteCode) -> InviteCode:
        stored = dataclasses.replace(invite, id=next(self.store.ids))
        self.store.invites[stored.id] = stored
        return stored

    async def find_by_hash(self, code_hash: str) -> InviteCode | None:
        return next((i for i in self.store.invites.values() if i.code_hash == code_hash), None)

    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        invite = self.store.invites.get(invite_id)
        if invite is None or invite.used_at is not None:
            return False
        self.store.invites[invite_id] = dataclasses.replace(invite, used_at=used_at)
        return True

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        revoked = 0
        for invite_id, invite in list(self.store.invites.items()):
            mine = (invite.school_key, invite.guardian_id) == (school_key, guardian_id)
            if mine and invite.usable(now):
                self.store.invites[invite_id] = dataclasses.replace(invite, expires_at=now)
                revoked += 1
        return revoked
