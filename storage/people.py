"""The people and their schools over SQLAlchemy (`routine.ports_people`): schools, classes,
pupils, guardians and staff, one row at a time for the conversations, in bulk for imports
(`storage.people_bulk`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import select

from routine.model import Guardian, Language, Pupil, School, SchoolClass, StaffMember
from storage import chat, mapping, people_bulk, platform_locales, read_cache, staff_query
from storage.bulk import batches
from storage.orm import ClassRow, GuardianRow, PupilRow, SchoolRow, StaffRow
from storage.repositories import _Repository, in_code_point_order


class SqlSchoolRepository(_Repository):
    async def get(self, key: str) -> School | None:
        if (known := chat.known(self.session, "school", key)) is not None:
            return known
        row = await self.session.get(SchoolRow, key)
        return None if row is None else mapping.school_from_row(row)

    async def get_with_staff(self, key: str) -> School | None:
        # The staff come in the same statement, and are kept for `staff.list_for_school`.
        school, staff = await staff_query.school_with_staff(self.session, key)
        if school is not None:
            read_cache.keep(self.session, "staff", key, staff)
        return school

    async def list(self) -> list[School]:
        rows = await self.session.scalars(select(SchoolRow))
        return in_code_point_order(map(mapping.school_from_row, rows), key=lambda s: s.key)

    async def save(self, school: School) -> None:
        chat.forget(self.session)
        row = await self.session.get(SchoolRow, school.key) or SchoolRow()
        mapping.school_to_row(school, row)
        self.session.add(row)


class SqlClassRepository(_Repository):
    async def list_for(self, school_key: str) -> list[SchoolClass]:
        rows = await self.session.scalars(
            select(ClassRow).where(ClassRow.school_key == school_key)
        )
        return in_code_point_order(map(mapping.class_from_row, rows), key=lambda c: c.name)

    async def save(self, school_class: SchoolClass) -> None:
        # The key is the whole row: present means saved.
        key = (school_class.school_key, school_class.name)
        if await self.session.get(ClassRow, key) is None:
            self.session.add(ClassRow(school_key=school_class.school_key, name=school_class.name))

    async def save_many(self, classes: Sequence[SchoolClass]) -> None:
        await people_bulk.save_classes(self.session, classes)


def _pupil_order(pupil: Pupil) -> tuple[str, str, str]:
    return (pupil.class_name, pupil.name, pupil.pupil_id)


class SqlPupilRepository(_Repository):
    async def get(self, school_key: str, pupil_id: str) -> Pupil | None:
        if (known := chat.known(self.session, "pupil", (school_key, pupil_id))) is not None:
            return known
        row = await self.session.get(PupilRow, (school_key, pupil_id))
        return None if row is None else mapping.pupil_from_row(row)

    async def list_for_school(self, school_key: str) -> list[Pupil]:
        pupils = await people_bulk.list_pupils(self.session, school_key)
        return in_code_point_order(pupils, key=_pupil_order)

    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]:
        rows = await self.session.scalars(
            select(PupilRow).where(
                PupilRow.school_key == school_key, PupilRow.class_name.in_(class_names)
            )
        )
        return in_code_point_order(map(mapping.pupil_from_row, rows), key=_pupil_order)

    async def save(self, pupil: Pupil) -> None:
        chat.forget(self.session)
        row = await self.session.get(PupilRow, (pupil.school_key, pupil.pupil_id)) or PupilRow()
        mapping.pupil_to_row(pupil, row)
        self.session.add(row)

    async def save_many(self, pupils: Sequence[Pupil]) -> None:
        await people_bulk.save_pupils(self.session, pupils)


class SqlGuardianRepository(_Repository):
    async def get(self, school_key: str, guardian_id: str) -> Guardian | None:
        key = (school_key, guardian_id)
        if (known := chat.known(self.session, "guardian", key)) is not None:
            return known
        row = await self.session.get(GuardianRow, key)
        return None if row is None else mapping.guardian_from_row(row)

    async def list_for_school(self, school_key: str) -> list[Guardian]:
        guardians = await people_bulk.list_guardians(self.session, school_key)
        return in_code_point_order(guardians, key=lambda g: g.guardian_id)

    async def save(self, guardian: Guardian) -> None:
        chat.forget(self.session)
        key = (guardian.school_key, guardian.guardian_id)
        row = await self.session.get(GuardianRow, key) or GuardianRow(links=[])
        mapping.guardian_to_row(guardian, row)
        self.session.add(row)

    async def save_many(self, guardians: Sequence[Guardian]) -> None:
        await people_bulk.save_guardians(self.session, guardians)

    async def add_many(self, guardians: Sequence[Guardian]) -> None:
        await people_bulk.add_guardians(self.session, guardians)


class SqlStaffRepository(_Repository):
    async def get(self, school_key: str, staff_id: str) -> StaffMember | None:
        row = await self.session.get(StaffRow, (school_key, staff_id))
        return None if row is None else mapping.staff_from_row(row)

    async def list_for_school(self, school_key: str) -> list[StaffMember]:
        return await read_cache.read_once(
            self.session,
            "staff",
            school_key,
            lambda: staff_query.staff_of_school(self.session, school_key),
        )

    async def find_by_slack_user(self, slack_user_id: str) -> StaffMember | None:
        # One person may be staff at two schools of one workspace; pick one predictably.
        row = await self.session.scalar(
            select(StaffRow)
            .where(StaffRow.slack_user_id == slack_user_id)
            .order_by(StaffRow.school_key, StaffRow.staff_id)
            .limit(1)
        )
        return None if row is None else mapping.staff_from_row(row)

    async def list_by_slack_users(self, slack_user_ids: Collection[str]) -> list[StaffMember]:
        found: list[StaffMember] = []
        for batch in batches(sorted(set(slack_user_ids))):
            rows = await self.session.scalars(
                select(StaffRow).where(StaffRow.slack_user_id.in_(batch))
            )
            found.extend(map(mapping.staff_from_row, rows))
        return sorted(found, key=lambda s: (s.school_key, s.staff_id))

    async def save(self, staff: StaffMember) -> None:
        read_cache.forget(self.session, read_cache.KINDS["staff"])
        key = (staff.school_key, staff.staff_id)
        row = await self.session.get(StaffRow, key) or StaffRow(roles=[], classes=[])
        mapping.staff_to_row(staff, row)
        self.session.add(row)

    async def delete(self, school_key: str, staff_id: str) -> None:
        read_cache.forget(self.session, read_cache.KINDS["staff"])
        row = await self.session.get(StaffRow, (school_key, staff_id))
        if row is not None:
            await self.session.delete(row)

    async def save_many(self, staff: Sequence[StaffMember]) -> None:
        read_cache.forget(self.session, read_cache.KINDS["staff"])
        await people_bulk.save_staff(self.session, staff)

    async def remember_platform_languages(
        self, school_key: str, answers: Mapping[str, Language | None], asked_at: datetime
    ) -> int:
        return await platform_locales.remember(self.session, school_key, answers, asked_at)
