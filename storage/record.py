"""Storage of the attendance record's own rows: corrections (the audit trail), the uses rules
and notices made of days, and leave requests.

The marks, roll calls and reports the record also reads live in `storage.repositories` and
`storage.staff_day`; each has a query over a range of days, so that the record of a school is
loaded with one query per kind of row (`routine.history`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, cast, func, literal_column, select, type_coerce, update

from routine.leave import LeaveRequest, LeaveStatus
from routine.record import Correction, DayRecord, DayStatus, RecordSource, RecordUse
from storage.bulk import batches, before_bulk, insert_rows
from storage.orm import AttendanceCorrectionRow, LeaveRequestRow, RecordUseRow, as_utc
from storage.repositories import _Repository, delete_where, in_days
from storage.thresholds import Days, among, text_day

# Corrections


def record_to_json(record: DayRecord | None) -> dict[str, Any] | None:
    if record is None:
        return None
    return {
        "status": record.status.value,
        "source": record.source.value,
        "code": record.code,
        "valid": record.valid,
        "minutes": record.minutes,
    }


def record_from_json(pupil_id: str, day: date, data: dict[str, Any] | None) -> DayRecord | None:
    if data is None:
        return None
    return DayRecord(
        pupil_id,
        day,
        DayStatus(data["status"]),
        RecordSource(data["source"]),
        data.get("code"),
        data.get("valid"),
        data.get("minutes"),
    )


def correction_from_row(row: AttendanceCorrectionRow) -> Correction:
    return Correction(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        day=row.day,
        status=DayStatus(row.status),
        code=row.code,
        valid=row.valid,
        reason=row.reason,
        corrected_by=row.corrected_by,
        corrected_at=row.corrected_at,
        before=record_from_json(row.pupil_id, row.day, row.before),
        flagged=row.flagged,
        id=row.id,
    )


class SqlCorrectionRepository(_Repository):
    async def add(self, correction: Correction) -> Correction:
        row = AttendanceCorrectionRow(
            school_key=correction.school_key,
            pupil_id=correction.pupil_id,
            day=correction.day,
            status=correction.status.value,
            code=correction.code,
            valid=correction.valid,
            reason=correction.reason,
            corrected_by=correction.corrected_by,
            corrected_at=as_utc(correction.corrected_at),
            before=record_to_json(correction.before),
            flagged=correction.flagged,
        )
        self.session.add(row)
        await self.session.flush()
        return correction_from_row(row)

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[Correction]:
        rows = await self.session.scalars(
            in_days(AttendanceCorrectionRow, school_key, start, end, pupil_ids)
        )
        return [correction_from_row(row) for row in rows]

    async def delete_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            AttendanceCorrectionRow,
            AttendanceCorrectionRow.school_key == school_key,
            AttendanceCorrectionRow.day < day,
        )


# Record uses


def use_from_row(row: RecordUseRow) -> RecordUse:
    return RecordUse(row.school_key, row.pupil_id, row.day, row.used_by, row.used_at, row.id)


class SqlRecordUseRepository(_Repository):
    async def add(
        self, school_key: str, pupil_id: str, day: date, used_by: str, at: datetime
    ) -> RecordUse:
        row = RecordUseRow(
            school_key=school_key, pupil_id=pupil_id, day=day, used_by=used_by, used_at=as_utc(at)
        )
        self.session.add(row)
        await self.session.flush()
        return use_from_row(row)

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> list[RecordUse]:
        rows = await self.session.scalars(in_days(RecordUseRow, school_key, start, end, pupil_ids))
        return [use_from_row(row) for row in rows]

    async def add_many(self, uses: Sequence[RecordUse]) -> None:
        await before_bulk(self.session)
        await insert_rows(
            self.session,
            RecordUseRow.__table__,
            [
                {
                    "school_key": u.school_key,
                    "pupil_id": u.pupil_id,
                    "day": u.day,
                    "used_by": u.used_by,
                    "used_at": as_utc(u.used_at),
                }
                for u in uses
            ],
        )

    async def add_missing(self, uses: Sequence[RecordUse]) -> int:
        """Store the uses not stored yet (same school, pupil, day and user); read a batch of
        pupils' uses over the days at a time, so the nightly rules re-using yesterday's days
        (a rolling window, a term to date) add only today's."""
        if not uses:
            return 0
        await before_bulk(self.session)
        t = RecordUseRow.__table__.c
        stored: set[tuple[str, str, date, str]] = set()
        days = Days()
        for school_key in sorted({u.school_key for u in uses}):
            mine = [u for u in uses if u.school_key == school_key]
            first, last = min(u.day for u in mine), max(u.day for u in mine)
            for pupils in batches(sorted({u.pupil_id for u in mine})):
                result = await self.session.execute(
                    select(t.pupil_id, text_day(t.day), t.used_by).where(
                        t.school_key == school_key,
                        t.pupil_id.in_(pupils),
                        t.day >= first,
                        t.day <= last,
                    )
                )
                stored.update((school_key, p, days[d], by) for p, d, by in result)
        missing: dict[tuple[str, str, date, str], RecordUse] = {}
        for u in uses:
            key = (u.school_key, u.pupil_id, u.day, u.used_by)
            if key not in stored:
                missing.setdefault(key, u)
        await self.add_many(list(missing.values()))
        return len(missing)

    async def add_missing_days(
        self, school_key: str, used: Sequence[tuple[str, str, Sequence[date]]], at: datetime
    ) -> int:
        """One read of these pupils' uses over the days, a text of them a pupil (a row per use
        would be hundreds of thousands of rows a night), then one INSERT of the missing ones
        with the values bound as the driver takes them (SQLAlchemy would process each)."""
        days = sorted({d for _p, _by, found in used for d in found})
        if not days:
            return 0
        await before_bulk(self.session)
        connection = await self.session.connection()
        dialect = connection.dialect
        t = RecordUseRow.__table__.c
        pupils = {pupil_id for pupil_id, _by, _found in used}
        stored = await self._stored_texts(school_key, days[0], days[-1], dialect.name, pupils)
        # Each day's text as the stored uses have it, and its value as the driver takes it.
        text_of = {d: d.isoformat() for d in days}
        bind_day = t.day.type.bind_processor(dialect) or (lambda value: value)
        bound = {d: bind_day(d) for d in days}
        process_at = t.used_at.type.bind_processor(dialect)
        used_at = process_at(as_utc(at)) if process_at else as_utc(at)
        rows: list[tuple[Any, ...]] = []
        seen: dict[str, set[str]] = {}
        for pupil_id, used_by, found in used:
            have = seen.get(pupil_id)
            if have is None:
                text = stored.get(pupil_id)
                have = seen[pupil_id] = set(text.split(",")) if text else set()
            for day in found:
                use = f"{used_by}@{text_of[day]}"
                if use not in have:
                    have.add(use)
                    rows.append((school_key, pupil_id, bound[day], used_by, used_at))
        into = "INSERT INTO record_uses (school_key, pupil_id, day, used_by, used_at) "
        if rows and dialect.name == "postgresql":
            # One array a column: asyncpg's executemany binds and executes row by row.
            columns = [list(column) for column in zip(*rows, strict=True)]
            pupils, days_used, users = columns[1:4]
            await connection.exec_driver_sql(
                f"{into}SELECT $1, p, d, u, $5 FROM unnest($2::text[], $3::date[], $4::text[])"
                " AS used (p, d, u)",
                (school_key, pupils, days_used, users, used_at),
            )
        elif rows:
            await connection.exec_driver_sql(f"{into}VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)

    async def _stored_texts(
        self, school_key: str, first: date, last: date, dialect: str, pupils: Collection[str]
    ) -> dict[str, str]:
        """These pupils' uses from `first` to `last`, as "used by@day" comma-separated: a
        seek a pupil in the (school, pupil, day, used by) index, the ids bound as one value
        (`storage.thresholds.among`)."""
        t = RecordUseRow.__table__.c
        if dialect == "postgresql":
            use = t.used_by + "@" + cast(t.day, String)
            listed = func.string_agg(use, literal_column("','"))
        else:
            listed = type_coerce(func.group_concat(t.used_by + "@" + text_day(t.day)), String)
        query = (
            select(t.pupil_id, listed)
            .where(
                t.school_key == school_key,
                among(dialect, t.pupil_id, pupils),
                t.day >= first,
                t.day <= last,
            )
            .group_by(t.pupil_id)
        )
        return {pupil_id: text for pupil_id, text in await self.session.execute(query)}

    async def delete_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            RecordUseRow,
            RecordUseRow.school_key == school_key,
            RecordUseRow.day < day,
        )


# Leave requests


def leave_from_row(row: LeaveRequestRow) -> LeaveRequest:
    return LeaveRequest(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        first_day=row.first_day,
        last_day=row.last_day,
        reason=row.reason,
        requested_at=row.requested_at,
        status=LeaveStatus(row.status),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        comment=row.comment,
        reminded_at=row.reminded_at,
        id=row.id,
    )


def _optional_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)


class SqlLeaveRequestRepository(_Repository):
    async def add(self, request: LeaveRequest) -> LeaveRequest:
        row = LeaveRequestRow(
            school_key=request.school_key,
            pupil_id=request.pupil_id,
            guardian_id=request.guardian_id,
            first_day=request.first_day,
            last_day=request.last_day,
            reason=request.reason,
            requested_at=as_utc(request.requested_at),
            status=request.status.value,
            decided_by=request.decided_by,
            decided_at=_optional_utc(request.decided_at),
            comment=request.comment,
            reminded_at=_optional_utc(request.reminded_at),
        )
        self.session.add(row)
        await self.session.flush()
        return leave_from_row(row)

    async def get(self, request_id: int) -> LeaveRequest | None:
        row = await self.session.get(LeaveRequestRow, request_id)
        return None if row is None else leave_from_row(row)

    async def decide(
        self,
        request_id: int,
        *,
        status: LeaveStatus,
        by: str,
        at: datetime,
        comment: str = "",
        expected: LeaveStatus = LeaveStatus.PENDING,
    ) -> bool:
        """Compare-and-set: only if the request is still `expected`; whether it was."""
        result = await self.session.execute(
            update(LeaveRequestRow)
            .where(LeaveRequestRow.id == request_id, LeaveRequestRow.status == expected.value)
            .values(status=status.value, decided_by=by, decided_at=as_utc(at), comment=comment)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def mark_reminded(self, request_ids: Collection[int], at: datetime) -> None:
        if request_ids:
            await self.session.execute(
                update(LeaveRequestRow)
                .where(LeaveRequestRow.id.in_(sorted(request_ids)))
                .values(reminded_at=as_utc(at))
                .execution_options(synchronize_session=False)
            )

    async def list_between(
        self,
        school_key: str,
        start: date,
        end: date,
        *,
        pupil_ids: Collection[str] | None = None,
        statuses: Collection[LeaveStatus] | None = None,
    ) -> list[LeaveRequest]:
        """Requests whose days overlap `start`..`end`, oldest first."""
        query = select(LeaveRequestRow).where(
            LeaveRequestRow.school_key == school_key,
            LeaveRequestRow.first_day <= end,
            LeaveRequestRow.last_day >= start,
        )
        if pupil_ids is not None:
            query = query.where(LeaveRequestRow.pupil_id.in_(sorted(pupil_ids)))
        if statuses is not None:
            query = query.where(LeaveRequestRow.status.in_(sorted(s.value for s in statuses)))
        rows = await self.session.scalars(query.order_by(LeaveRequestRow.id))
        return [leave_from_row(row) for row in rows]

    async def list_pending(self, school_key: str) -> list[LeaveRequest]:
        rows = await self.session.scalars(
            select(LeaveRequestRow)
            .where(
                LeaveRequestRow.school_key == school_key,
                LeaveRequestRow.status == LeaveStatus.PENDING.value,
            )
            .order_by(LeaveRequestRow.id)
        )
        return [leave_from_row(row) for row in rows]

    async def delete_ended_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session,
            LeaveRequestRow,
            LeaveRequestRow.school_key == school_key,
            LeaveRequestRow.last_day < day,
        )
