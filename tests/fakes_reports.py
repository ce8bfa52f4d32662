"""In-memory fakes of absence reports, attendance marks and the school's absence codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date

from routine.model import AbsenceCode, AbsenceReport, AttendanceMark, ReportStatus
from tests.fakes_store import _Repo


class FakeReports(_Repo):
    async def add(self, report: AbsenceReport) -> AbsenceReport:
        stored = dataclasses.replace(report, id=next(self.store.ids))
        self.store.reports[stored.id] = stored
        return stored

    async def get(self, report_id: int) -> AbsenceReport | None:
        return self.store.reports.get(report_id)

    async def update(self, report: AbsenceReport) -> None:
        if report.id not in self.store.reports:
            raise KeyError(f"no absence report with id {report.id}")
        self.store.reports[report.id] = report

    async def list_covering(
        self, school_key: str, pupil_ids: list[str], day: date
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key and r.pupil_id in pupil_ids and r.covers(day)
            ),
            key=lambda r: r.id or 0,
        )

    async def list_overlapping(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key
                and r.status is ReportStatus.ACTIVE
                and r.first_day <= end
                and r.last_day >= start
                and (pupil_ids is None or r.pupil_id in pupil_ids)
            ),
            key=lambda r: r.id or 0,
        )

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        old = [
            i
            for i, r in self.store.reports.items()
            if r.school_key == school_key and r.last_day < day
        ]
        for report_id in old:
            del self.store.reports[report_id]
        return len(old)

    async def list_current_for_pupils(
        self, school_key: str, pupil_ids: list[str], from_day: date
    ) -> list[AbsenceReport]:
        return sorted(
            (
                r
                for r in self.store.reports.values()
                if r.school_key == school_key
                and r.pupil_id in pupil_ids
                and r.status is ReportStatus.ACTIVE
                and r.last_day >= from_day
            ),
            key=lambda r: (r.first_day, r.id or 0),
        )


class FakeMarks(_Repo):
    async def update(self, mark: AttendanceMark) -> None:
        if mark.id not in self.store.marks:
            raise KeyError(f"no attendance mark with id {mark.id}")
        self.store.marks[mark.id] = mark

    async def delete_before(self, school_key: str, day: date) -> int:
        old = [
            i for i, m in self.store.marks.items() if m.school_key == school_key and m.day < day
        ]
        for mark_id in old:
            del self.store.marks[mark_id]
        return len(old)

    async def delete(self, mark_id: int) -> None:
        self.store.marks.pop(mark_id, None)

    async def add(self, mark: AttendanceMark) -> AttendanceMark:
        stored = dataclasses.replace(mark, id=next(self.store.ids))
        self.store.marks[stored.id] = stored
        return stored

    async def list_for_day(self, school_key: str, day: date) -> list[AttendanceMark]:
        return [
            m for m in self.store.marks.values() if m.school_key == school_key and m.day == day
        ]

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[AttendanceMark]:
        return [
            m
            for m in self.store.marks.values()
            if m.school_key == school_key
            and start <= m.day <= end
            and (pupil_ids is None or m.pupil_id in pupil_ids)
        ]

    async def add_many(self, marks: Sequence[AttendanceMark]) -> int:
        for mark in marks:
            await self.add(mark)
        return len(marks)

    async def delete_many(self, mark_ids: Collection[int]) -> int:
        found = [i for i in set(mark_ids) if i in self.store.marks]
        for mark_id in found:
            del self.store.marks[mark_id]
        return len(found)


class FakeCodes(_Repo):
    async def list_for(self, school_key: str) -> list[AbsenceCode]:
        found = [c for (k, _), c in self.store.codes.items() if k == school_key]
        return sorted(found, key=lambda c: c.code)

    async def save(self, code: AbsenceCode) -> None:
        self.store.codes[(code.school_key, code.code)] = code
