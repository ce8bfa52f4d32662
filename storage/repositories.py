"""The routine's repositories (`routine.ports`) over an SQLAlchemy `AsyncSession`.

Each takes the unit of work's session and neither commits nor rolls back: that is the unit of
work's decision. `save` inserts or updates by the natural key.

Lists ordered by text are sorted in Python, by code point, like the fakes: database collations
differ (PostgreSQL's follows the server's locale, SQLite's compares bytes), and a reader's
alphabetical order (Å after Z in Swedish) is the presentation's job, not storage's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    InviteCode,
    Language,
    Pupil,
    ReportStatus,
    School,
    SchoolClass,
    StaffMember,
)
from routine.requests import AbsencePrompt, ContactRequest, GuardianConcern, RequestStatus
from storage import chat, mapping, people_bulk, platform_locales, read_cache, staff_query
from storage.bulk import batches
from storage.orm import (
    AbsenceCodeRow,
    AbsencePromptRow,
    AbsenceReportRow,
    AttendanceMarkRow,
    ChatAccountRow,
    ClassRow,
    ContactRequestRow,
    GuardianConcernRow,
    GuardianRow,
    InviteCodeRow,
    PupilRow,
    SchoolRow,
    StaffRow,
    as_utc,
)

T = TypeVar("T")


def _in_code_point_order(items: Iterable[T], key: Callable[[T], Any]) -> list[T]:
    return sorted(items, key=key)


def in_days(
    row_type: Any,
    school_key: str,
    start: date,
    end: date,
    pupil_ids: Collection[str] | None = None,
) -> Select[Any]:
    """A school's rows of the days `start`..`end` (of these pupils, or of all), oldest first:
    marks, corrections and record uses are all read this way."""
    query = select(row_type).where(
        row_type.school_key == school_key, row_type.day >= start, row_type.day <= end
    )
    if pupil_ids is not None:
        query = query.where(row_type.pupil_id.in_(sorted(pupil_ids)))
    return query.order_by(row_type.id)


class _Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session


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
        return _in_code_point_order(map(mapping.school_from_row, rows), key=lambda s: s.key)

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
        return _in_code_point_order(map(mapping.class_from_row, rows), key=lambda c: c.name)

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
        return _in_code_point_order(pupils, key=_pupil_order)

    async def list_for_classes(self, school_key: str, class_names: list[str]) -> list[Pupil]:
        rows = await self.session.scalars(
            select(PupilRow).where(
                PupilRow.school_key == school_key, PupilRow.class_name.in_(class_names)
            )
        )
        return _in_code_point_order(map(mapping.pupil_from_row, rows), key=_pupil_order)

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
        return _in_code_point_order(guardians, key=lambda g: g.guardian_id)

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
        # Read once per unit of work (`storage.read_cache`); a copy, so a caller may sort it.
        if (known := read_cache.cached(self.session, "staff", school_key)) is not None:
            return list(known)
        staff = await staff_query.staff_of_school(self.session, school_key)
        read_cache.keep(self.session, "staff", school_key, staff)
        return list(staff)

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


class SqlAbsenceReportRepository(_Repository):
    async def add(self, report: AbsenceReport) -> AbsenceReport:
        row = AbsenceReportRow()
        mapping.report_to_row(report, row)
        self.session.add(row)
        await self.session.flush()
        return mapping.report_from_row(row)

    async def get(self, report_id: int) -> AbsenceReport | None:
        row = await self.session.get(AbsenceReportRow, report_id)
        return None if row is None else mapping.report_from_row(row)

    async def update(self, report: AbsenceReport) -> None:
        row = None if report.id is None else await self.session.get(AbsenceReportRow, report.id)
        if row is None:
            raise KeyError(f"no absence report with id {report.id}")
        mapping.report_to_row(report, row)

    async def list_covering(
        self, school_key: str, pupil_ids: list[str], day: date
    ) -> list[AbsenceReport]:
        rows = await self.session.scalars(
            self._active(school_key, pupil_ids)
            .where(AbsenceReportRow.first_day <= day, AbsenceReportRow.last_day >= day)
            .order_by(AbsenceReportRow.id)
        )
        return [mapping.report_from_row(row) for row in rows]

    async def list_current_for_pupils(
        self, school_key: str, pupil_ids: list[str], from_day: date
    ) -> list[AbsenceReport]:
        rows = await self.session.scalars(
            self._active(school_key, pupil_ids)
            .where(AbsenceReportRow.last_day >= from_day)
            .order_by(AbsenceReportRow.first_day, AbsenceReportRow.id)
        )
        return [mapping.report_from_row(row) for row in rows]

    async def list_overlapping(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AbsenceReport]:
        # The whole school's, once read in this unit of work, answers for any of its pupils.
        key = (school_key, start, end)
        if (known := read_cache.cached(self.session, "reports", key)) is not None:
            if pupil_ids is None:
                return list(known)
            wanted = set(pupil_ids)
            return [report for report in known if report.pupil_id in wanted]
        query = select(AbsenceReportRow).where(
            AbsenceReportRow.school_key == school_key,
            AbsenceReportRow.status == ReportStatus.ACTIVE.value,
            AbsenceReportRow.first_day <= end,
            AbsenceReportRow.last_day >= start,
        )
        if pupil_ids is not None:
            query = query.where(AbsenceReportRow.pupil_id.in_(sorted(pupil_ids)))
        rows = await self.session.scalars(query.order_by(AbsenceReportRow.id))
        reports = [mapping.report_from_row(row) for row in rows]
        if pupil_ids is None:
            read_cache.keep(self.session, "reports", key, reports)
        return list(reports)

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            AbsenceReportRow,
            AbsenceReportRow.school_key == school_key,
            AbsenceReportRow.last_day < day,
        )

    @staticmethod
    def _active(school_key: str, pupil_ids: list[str]) -> Select[Any]:
        return select(AbsenceReportRow).where(
            AbsenceReportRow.school_key == school_key,
            AbsenceReportRow.pupil_id.in_(pupil_ids),
            AbsenceReportRow.status == ReportStatus.ACTIVE.value,
        )


class SqlAttendanceMarkRepository(_Repository):
    async def add(self, mark: AttendanceMark) -> AttendanceMark:
        row = AttendanceMarkRow()
        mapping.mark_to_row(mark, row)
        self.session.add(row)
        await self.session.flush()
        return mapping.mark_from_row(row)

    async def update(self, mark: AttendanceMark) -> None:
        row = None if mark.id is None else await self.session.get(AttendanceMarkRow, mark.id)
        if row is None:
            raise KeyError(f"no attendance mark with id {mark.id}")
        mapping.mark_to_row(mark, row)

    async def delete_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            AttendanceMarkRow,
            AttendanceMarkRow.school_key == school_key,
            AttendanceMarkRow.day < day,
        )

    async def delete(self, mark_id: int) -> None:
        await delete_where(self.session, AttendanceMarkRow, AttendanceMarkRow.id == mark_id)

    async def list_for_day(self, school_key: str, day: date) -> list[AttendanceMark]:
        if (known := read_cache.cached(self.session, "marks", (school_key, day))) is not None:
            return list(known)
        rows = await self.session.scalars(
            select(AttendanceMarkRow)
            .where(AttendanceMarkRow.school_key == school_key, AttendanceMarkRow.day == day)
            .order_by(AttendanceMarkRow.id)
        )
        marks = [mapping.mark_from_row(row) for row in rows]
        read_cache.keep(self.session, "marks", (school_key, day), marks)
        return list(marks)

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AttendanceMark]:
        rows = await self.session.scalars(
            in_days(AttendanceMarkRow, school_key, start, end, pupil_ids)
        )
        return [mapping.mark_from_row(row) for row in rows]

    async def add_many(self, marks: Sequence[AttendanceMark]) -> int:
        """Insert in batches with one statement each (an import); how many."""
        if not marks:
            return 0
        # Core's insert on the table: one executemany per batch, without ORM objects (the
        # ORM's bulk insert splits a batch wherever the rows' None columns differ).
        for batch in batches(marks):
            rows = [mapping.mark_values(mark) for mark in batch]
            await self.session.execute(insert(AttendanceMarkRow.__table__), rows)
        return len(marks)

    async def delete_many(self, mark_ids: Collection[int]) -> int:
        deleted = 0
        for batch in batches(sorted(mark_ids)):
            deleted += await delete_where(
                self.session, AttendanceMarkRow, AttendanceMarkRow.id.in_(batch)
            )
        return deleted


class SqlAbsenceCodeRepository(_Repository):
    async def list_for(self, school_key: str) -> list[AbsenceCode]:
        if (known := read_cache.cached(self.session, "codes", school_key)) is not None:
            return list(known)
        rows = await self.session.scalars(
            select(AbsenceCodeRow).where(AbsenceCodeRow.school_key == school_key)
        )
        codes = _in_code_point_order(map(mapping.code_from_row, rows), key=lambda c: c.code)
        read_cache.keep(self.session, "codes", school_key, codes)
        return list(codes)

    async def save(self, code: AbsenceCode) -> None:
        row = await self.session.get(AbsenceCodeRow, (code.school_key, code.code))
        row = row or AbsenceCodeRow()
        mapping.code_to_row(code, row)
        self.session.add(row)


class SqlChatAccountRepository(_Repository):
    async def get(self, platform: str, account_id: str) -> ChatAccount | None:
        key = (platform, account_id)
        if (known := chat.known(self.session, "account", key)) is not None:
            return known
        row = await self.session.get(ChatAccountRow, key)
        return None if row is None else mapping.account_from_row(row)

    async def list_for_person(
        self, school_key: str, person_kind: str, person_id: str
    ) -> list[ChatAccount]:
        rows = await self.session.scalars(
            select(ChatAccountRow).where(
                ChatAccountRow.school_key == school_key,
                ChatAccountRow.person_kind == person_kind,
                ChatAccountRow.person_id == person_id,
            )
        )
        return _in_code_point_order(
            map(mapping.account_from_row, rows), key=lambda a: (a.platform, a.account_id)
        )

    async def save(self, account: ChatAccount) -> None:
        chat.forget(self.session)
        key = (account.platform, account.account_id)
        row = await self.session.get(ChatAccountRow, key) or ChatAccountRow()
        mapping.account_to_row(account, row)
        self.session.add(row)

    async def delete(self, platform: str, account_id: str) -> None:
        chat.forget(self.session)
        row = await self.session.get(ChatAccountRow, (platform, account_id))
        if row is not None:
            await self.session.delete(row)
            # Flushed now, or a `get` in the same unit of work would still find it.
            await self.session.flush()


class SqlInviteCodeRepository(_Repository):
    async def add(self, invite: InviteCode) -> InviteCode:
        row = mapping.invite_to_row(invite)
        self.session.add(row)
        await self.session.flush()
        return mapping.invite_from_row(row)

    async def find_by_hash(self, code_hash: str) -> InviteCode | None:
        row = await self.session.scalar(
            select(InviteCodeRow).where(InviteCodeRow.code_hash == code_hash)
        )
        return None if row is None else mapping.invite_from_row(row)

    async def mark_used(self, invite_id: int, used_at: datetime) -> bool:
        result = await self.session.execute(
            update(InviteCodeRow)
            .where(InviteCodeRow.id == invite_id, InviteCodeRow.used_at.is_(None))
            .values(used_at=as_utc(used_at))
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def revoke_unused(self, school_key: str, guardian_id: str, now: datetime) -> int:
        now = as_utc(now)
        rows = await self.session.scalars(
            select(InviteCodeRow).where(
                InviteCodeRow.school_key == school_key,
                InviteCodeRow.guardian_id == guardian_id,
                InviteCodeRow.used_at.is_(None),
                InviteCodeRow.expires_at > now,
            )
        )
        revoked = 0
        for row in rows:
            row.expires_at = now
            revoked += 1
        return revoked


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


async def delete_where(session: AsyncSession, row_type: type[Any], *conditions: Any) -> int:
    """Delete the matching rows in one statement, without loading them; how many.

    The session forgets the rows it had loaded, so a later `get` in the same unit of work does not
    hand out a deleted row."""
    result = await session.execute(delete(row_type).where(*conditions))
    return result.rowcount
