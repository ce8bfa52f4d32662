"""Absence reports, attendance marks and absence codes over SQLAlchemy
(`routine.ports_record`): what guardians report, what the roll call marks, and the codes the
school explains absences with."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Select, bindparam, insert, select

from routine.model import AbsenceCode, AbsenceReport, AttendanceMark, ReportStatus
from storage import direct, mapping, read_cache
from storage.bulk import batches
from storage.orm import AbsenceCodeRow, AbsenceReportRow, AttendanceMarkRow
from storage.repositories import _Repository, delete_where, in_code_point_order, in_days

_REPORTS = AbsenceReportRow.__table__
# "Send report": the report's row, in a statement built once and sent by `storage.direct`
# (an ORM object's flush cost several times the statement).
_ADD_REPORT = direct.Direct(
    insert(_REPORTS)
    .values({c.key: bindparam(c.key, type_=c.type) for c in _REPORTS.columns if c.key != "id"})
    .returning(_REPORTS.c.id)
)


class SqlAbsenceReportRepository(_Repository):
    async def add(self, report: AbsenceReport) -> AbsenceReport:
        row = SimpleNamespace()
        mapping.report_to_row(report, row)
        # What a flush of the row would have forgotten (`storage.read_cache`).
        read_cache.forget(self.session, frozenset({_REPORTS.name}))
        ran = await direct.run(self.session, _ADD_REPORT, vars(row))
        row.id = ran.rows[0][0]
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
        async def read() -> list[AttendanceMark]:
            rows = await self.session.scalars(
                select(AttendanceMarkRow)
                .where(AttendanceMarkRow.school_key == school_key, AttendanceMarkRow.day == day)
                .order_by(AttendanceMarkRow.id)
            )
            return [mapping.mark_from_row(row) for row in rows]

        return await read_cache.read_once(self.session, "marks", (school_key, day), read)

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
        async def read() -> list[AbsenceCode]:
            rows = await self.session.scalars(
                select(AbsenceCodeRow).where(AbsenceCodeRow.school_key == school_key)
            )
            return in_code_point_order(map(mapping.code_from_row, rows), key=lambda c: c.code)

        return await read_cache.read_once(self.session, "codes", school_key, read)

    async def save(self, code: AbsenceCode) -> None:
        row = await self.session.get(AbsenceCodeRow, (code.school_key, code.code))
        row = row or AbsenceCodeRow()
        mapping.code_to_row(code, row)
        self.session.add(row)
