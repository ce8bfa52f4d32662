"""The morning of many schools at once (`routine.ports.MorningQueries`): each read is one
statement for up to `KEYS_PER_QUERY` schools or `PAIRS_PER_QUERY` of their rows, whatever the
number of schools, so a job run for all the schools due at one minute sends the statements of
one school's run (beyond batching).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, String, column, literal, select, tuple_, update, values

from routine.follow_up import FollowUp
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Pupil,
    ReportStatus,
    School,
    StaffMember,
)
from routine.requests import AbsencePrompt
from routine.roll_call import RollCall, RollCallStatus
from storage import mapping, staff_query
from storage.bulk import INSERTS_BY_DIALECT, batches
from storage.orm import (
    AbsenceCodeRow,
    AbsencePromptRow,
    AbsenceReportRow,
    AttendanceMarkRow,
    ChatAccountRow,
    ClassRow,
    FollowUpRow,
    GuardianPupilRow,
    GuardianRow,
    LeaveRequestRow,
    PupilRow,
    RollCallRow,
    UtcDateTime,
    as_utc,
)
from storage.record import leave_from_row
from storage.repositories import _Repository
from storage.school_day import guardians_from_rows
from storage.staff_day import follow_up_from_row, roll_call_from_row

# Schools per `school_key IN (...)`, and (school, id) pairs per `IN (VALUES ...)`: well under
# SQLite's and asyncpg's limits on bound parameters.
KEYS_PER_QUERY = 500
PAIRS_PER_QUERY = 2000

Pair = tuple[str, str]


def _keys(school_keys: Collection[str]) -> Iterable[list[str]]:
    return (list(chunk) for chunk in batches(sorted(set(school_keys)), KEYS_PER_QUERY))


def _pairs(pairs: Collection[Pair]) -> Iterable[list[Pair]]:
    return (list(chunk) for chunk in batches(sorted(set(pairs)), PAIRS_PER_QUERY))


def _wanted(chunk: list[Pair]) -> Any:
    """The pairs as a table to join (`WITH wanted(school_key, item) AS (VALUES ...)`): a
    row-value `IN (VALUES ...)` has SQLite scan the whole table, a join searches its index
    once per pair."""
    columns = (column("school_key", String), column("item", String))
    return values(*columns, name="wanted").data(chunk).cte("wanted")


class SqlMorningQueries(_Repository):
    async def schools_with_staff(
        self, school_keys: Collection[str]
    ) -> list[tuple[School, list[StaffMember]]]:
        found = []
        for chunk in _keys(school_keys):
            found.extend(await staff_query.schools_with_staff(self.session, chunk))
        return found

    async def class_names(self, school_keys: Collection[str]) -> set[Pair]:
        table = ClassRow.__table__
        found: set[Pair] = set()
        for chunk in _keys(school_keys):
            rows = await self.session.execute(
                select(table.c.school_key, table.c.name).where(table.c.school_key.in_(chunk))
            )
            found.update((key, name) for key, name in rows)
        return found

    async def open_roll_calls(
        self, classes: Mapping[str, Collection[str]], day: date, now: datetime
    ) -> list[RollCall]:
        """One `INSERT ... SELECT` from the class lists per batch of classes, returning the
        roll calls it opened."""
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name]
        table = RollCallRow.__table__
        opened: list[RollCall] = []
        wanted = [(key, name) for key, names in classes.items() for name in names]
        for chunk in _pairs(wanted):
            chosen = select(
                ClassRow.school_key,
                ClassRow.name,
                literal(day, Date()),
                literal(RollCallStatus.OPEN.value),
                literal(as_utc(now), UtcDateTime()),
                literal(""),
            ).where(tuple_(ClassRow.school_key, ClassRow.name).in_(chunk))
            rows = await self.session.execute(
                insert(table)
                .from_select(_OPENED_COLUMNS, chosen)
                .on_conflict_do_nothing()
                .returning(*table.columns)
            )
            opened.extend(map(roll_call_from_row, rows))
        return sorted(opened, key=lambda r: (r.school_key, r.class_name))

    async def roll_calls(self, school_keys: Collection[str], day: date) -> list[RollCall]:
        found: list[RollCall] = []
        for chunk in _keys(school_keys):
            rows = await self.session.scalars(
                select(RollCallRow).where(
                    RollCallRow.school_key.in_(chunk), RollCallRow.day == day
                )
            )
            found.extend(map(roll_call_from_row, rows))
        return sorted(found, key=lambda r: (r.school_key, r.class_name))

    async def close_open_roll_calls(
        self, school_keys: Collection[str], day: date
    ) -> list[RollCall]:
        table = RollCallRow.__table__
        found: list[RollCall] = []
        for chunk in _keys(school_keys):
            rows = await self.session.execute(
                update(table)
                .where(
                    table.c.school_key.in_(chunk),
                    table.c.day == day,
                    table.c.status == RollCallStatus.OPEN.value,
                )
                .values(status=RollCallStatus.NOT_ANSWERED.value)
                .returning(*table.columns)
            )
            found.extend(map(roll_call_from_row, rows))
        return sorted(found, key=lambda r: (r.school_key, r.class_name))

    async def class_lists(self, classes: Collection[Pair]) -> list[Pupil]:
        """Read by the schools' keys and the class names asked of any of them (an index
        range each), then the classes asked of each school kept: a morning asks for every
        class of each school, and then nothing else is read; a join per pair costs an index
        search per class and a row lookup per pupil, three times the time."""
        # Plain rows: a large school's roll calls need every pupil, and ORM objects for each
        # cost more than the query.
        table = PupilRow.__table__
        columns = (table.c.school_key, table.c.class_name, table.c.name, table.c.pupil_id)
        wanted = set(classes)
        found: list[Pupil] = []
        for keys in _keys({key for key, _name in wanted}):
            names = sorted({name for key, name in wanted if key in set(keys)})
            for chunk in batches(names, PAIRS_PER_QUERY):
                rows = await self.session.execute(
                    select(*columns).where(
                        table.c.school_key.in_(keys),
                        table.c.class_name.in_(chunk),
                        table.c.active.is_(True),
                    )
                )
                found.extend(
                    Pupil(key, i, name, c) for key, c, name, i in rows if (key, c) in wanted
                )
        return found

    async def pupils(self, pupils: Collection[Pair]) -> list[Pupil]:
        found: list[Pupil] = []
        for chunk in _pairs(pupils):
            wanted = _wanted(chunk)
            rows = await self.session.scalars(
                select(PupilRow)
                .select_from(wanted)
                .join(
                    PupilRow,
                    (PupilRow.school_key == wanted.c.school_key)
                    & (PupilRow.pupil_id == wanted.c.item),
                )
            )
            found.extend(map(mapping.pupil_from_row, rows))
        return sorted(found, key=lambda p: (p.school_key, p.pupil_id))

    async def guardians_of(self, pupils: Collection[Pair]) -> list[Guardian]:
        guardians, links = GuardianRow.__table__, GuardianPupilRow.__table__
        found: dict[Pair, Guardian] = {}
        for chunk in _pairs(pupils):
            wanted = _wanted(chunk)
            linked = (
                select(links.c.school_key, links.c.guardian_id)
                .select_from(wanted)
                .join(
                    links,
                    (links.c.school_key == wanted.c.school_key)
                    & (links.c.pupil_id == wanted.c.item),
                )
            )
            rows = await self.session.execute(
                select(guardians, links.c.pupil_id)
                .join(
                    links,
                    (links.c.school_key == guardians.c.school_key)
                    & (links.c.guardian_id == guardians.c.guardian_id),
                )
                .where(tuple_(guardians.c.school_key, guardians.c.guardian_id).in_(linked))
            )
            for guardian in guardians_from_rows(rows):
                found[(guardian.school_key, guardian.guardian_id)] = guardian
        return [found[key] for key in sorted(found)]

    async def chat_accounts(self, person_kind: str, people: Collection[Pair]) -> list[ChatAccount]:
        found: list[ChatAccount] = []
        for chunk in _pairs(people):
            wanted = _wanted(chunk)
            rows = await self.session.scalars(
                select(ChatAccountRow)
                .select_from(wanted)
                .join(
                    ChatAccountRow,
                    (ChatAccountRow.school_key == wanted.c.school_key)
                    & (ChatAccountRow.person_kind == person_kind)
                    & (ChatAccountRow.person_id == wanted.c.item),
                )
            )
            found.extend(map(mapping.account_from_row, rows))
        return sorted(found, key=lambda a: (a.school_key, a.person_id, a.platform, a.account_id))

    async def reports(self, school_keys: Collection[str], day: date) -> list[AbsenceReport]:
        return await self._of_day(
            AbsenceReportRow,
            mapping.report_from_row,
            school_keys,
            AbsenceReportRow.status == ReportStatus.ACTIVE.value,
            AbsenceReportRow.first_day <= day,
            AbsenceReportRow.last_day >= day,
        )

    async def marks(self, school_keys: Collection[str], day: date) -> list[AttendanceMark]:
        return await self._of_day(
            AttendanceMarkRow, mapping.mark_from_row, school_keys, AttendanceMarkRow.day == day
        )

    async def granted_leave(self, school_keys: Collection[str], day: date) -> list[LeaveRequest]:
        return await self._of_day(
            LeaveRequestRow,
            leave_from_row,
            school_keys,
            LeaveRequestRow.status == LeaveStatus.GRANTED.value,
            LeaveRequestRow.first_day <= day,
            LeaveRequestRow.last_day >= day,
        )

    async def codes(self, school_keys: Collection[str]) -> list[AbsenceCode]:
        found: list[AbsenceCode] = []
        for chunk in _keys(school_keys):
            rows = await self.session.scalars(
                select(AbsenceCodeRow).where(AbsenceCodeRow.school_key.in_(chunk))
            )
            found.extend(map(mapping.code_from_row, rows))
        return sorted(found, key=lambda c: (c.school_key, c.code))

    async def prompts(self, school_keys: Collection[str], day: date) -> list[AbsencePrompt]:
        return await self._of_day(
            AbsencePromptRow, mapping.prompt_from_row, school_keys, AbsencePromptRow.day == day
        )

    async def follow_ups(self, school_keys: Collection[str], day: date) -> list[FollowUp]:
        return await self._of_day(
            FollowUpRow, follow_up_from_row, school_keys, FollowUpRow.day == day
        )

    async def _of_day(
        self, row_type: Any, convert: Any, school_keys: Collection[str], *where: Any
    ) -> list[Any]:
        """The rows of these schools that `where` picks, by id."""
        found: list[Any] = []
        for chunk in _keys(school_keys):
            rows = await self.session.scalars(
                select(row_type)
                .where(row_type.school_key.in_(chunk), *where)
                .order_by(row_type.id)
            )
            found.extend(map(convert, rows))
        # Each batch is in order; several batches are put in order together.
        return sorted(found, key=lambda item: item.id)


_OPENED_COLUMNS = ["school_key", "class_name", "day", "status", "opened_at", "submitted_by"]
