"""Repositories for the staff side of the day: roll calls, same-day follow-ups and guardian
contacts, and the Slack event ids already handled (`routine.ports`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from routine.follow_up import (
    ContactMeans,
    ContactOutcome,
    FollowUp,
    GuardianContact,
    StepOneTopic,
)
from routine.register_import import IMPORTED_BY, NOT_TAKEN
from routine.roll_call import RollCall, RollCallStatus
from storage import direct, read_cache
from storage.bulk import INSERTS_BY_DIALECT, batches
from storage.orm import (
    FollowUpRow,
    GuardianContactRow,
    RollCallRow,
    SlackEventRow,
    as_utc,
)
from storage.repositories import _Repository, delete_where


async def _insert_unless_there(session: AsyncSession, row_type: type, values: dict) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: of two units of work opening the same thing at once,
    neither fails, and the first one's row stays."""
    insert = INSERTS_BY_DIALECT[session.get_bind().dialect.name]
    await session.execute(insert(row_type).values(values).on_conflict_do_nothing())


def _find(table: Table, *keys: str) -> direct.Direct:
    """A row by its unique key, in a statement built once and sent by `storage.direct`: the
    row as the table has it (not the session's ORM object, which a query would return as the
    session last saw it)."""
    return direct.Direct(select(table).where(*(table.c[key] == bindparam(key) for key in keys)))


# Roll calls

_FIND_ROLL_CALL = _find(RollCallRow.__table__, "school_key", "class_name", "day")


def roll_call_from_row(row: RollCallRow) -> RollCall:
    return RollCall(
        school_key=row.school_key,
        class_name=row.class_name,
        day=row.day,
        status=RollCallStatus(row.status),
        opened_at=row.opened_at,
        submitted_by=row.submitted_by,
        submitted_at=row.submitted_at,
        id=row.id,
    )


def roll_call_to_row(roll_call: RollCall, row: RollCallRow) -> None:
    if roll_call.opened_at is None:
        raise ValueError("a roll call is stored with the moment it was opened")
    row.school_key = roll_call.school_key
    row.class_name = roll_call.class_name
    row.day = roll_call.day
    row.status = roll_call.status.value
    row.opened_at = as_utc(roll_call.opened_at)
    row.submitted_by = roll_call.submitted_by
    row.submitted_at = None if roll_call.submitted_at is None else as_utc(roll_call.submitted_at)


class SqlRollCallRepository(_Repository):
    async def add(self, roll_call: RollCall) -> RollCall:
        row = RollCallRow()
        roll_call_to_row(roll_call, row)
        values = {
            c.key: getattr(row, c.key) for c in RollCallRow.__table__.columns if c.key != "id"
        }
        await _insert_unless_there(self.session, RollCallRow, values)
        found = await self.find(roll_call.school_key, roll_call.class_name, roll_call.day)
        assert found is not None
        return found

    async def get(self, roll_call_id: int) -> RollCall | None:
        row = await self.session.get(RollCallRow, roll_call_id)
        return None if row is None else roll_call_from_row(row)

    async def find(self, school_key: str, class_name: str, day: date) -> RollCall | None:
        # "Send report" asks for the class's roll call: a statement built once (`_find`).
        values = {"school_key": school_key, "class_name": class_name, "day": day}
        rows = (await direct.run(self.session, _FIND_ROLL_CALL, values)).rows
        return roll_call_from_row(_FIND_ROLL_CALL.named(rows[0])) if rows else None

    async def list_for_day(self, school_key: str, day: date) -> list[RollCall]:
        async def read() -> list[RollCall]:
            rows = await self.session.scalars(
                select(RollCallRow).where(
                    RollCallRow.school_key == school_key, RollCallRow.day == day
                )
            )
            return sorted(map(roll_call_from_row, rows), key=lambda r: r.class_name)

        return await read_cache.read_once(self.session, "roll_calls", (school_key, day), read)

    async def list_between(self, school_key: str, start: date, end: date) -> list[RollCall]:
        rows = await self.session.scalars(
            select(RollCallRow).where(
                RollCallRow.school_key == school_key,
                RollCallRow.day >= start,
                RollCallRow.day <= end,
            )
        )
        return sorted(map(roll_call_from_row, rows), key=lambda r: (r.day, r.class_name))

    async def update(self, roll_call: RollCall) -> None:
        row = None if roll_call.id is None else await self.session.get(RollCallRow, roll_call.id)
        if row is None:
            raise KeyError(f"no roll call with id {roll_call.id}")
        roll_call_to_row(roll_call, row)

    async def mark_not_answered(self, roll_call_id: int) -> bool:
        result = await self.session.execute(
            update(RollCallRow)
            .where(RollCallRow.id == roll_call_id, RollCallRow.status == RollCallStatus.OPEN.value)
            .values(status=RollCallStatus.NOT_ANSWERED.value)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def delete_before(self, school_key: str, day: date) -> int:
        return await delete_where(
            self.session, RollCallRow, RollCallRow.school_key == school_key, RollCallRow.day < day
        )

    async def add_imported(
        self, school_key: str, class_days: Sequence[tuple[str, date]], at: datetime
    ) -> int:
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name]
        moment = as_utc(at)
        added = 0
        for batch in batches(class_days):
            rows = [
                {
                    "school_key": school_key,
                    "class_name": class_name,
                    "day": day,
                    "status": RollCallStatus.IMPORTED.value,
                    "opened_at": moment,
                    "submitted_by": IMPORTED_BY,
                    "submitted_at": moment,
                }
                for class_name, day in batch
            ]
            # Core's table, its rows as executemany parameters with RETURNING (SQLAlchemy's
            # "insertmanyvalues"): building one ORM VALUES clause of the whole batch cost more
            # than the import's writing. What came back is what was added.
            table = RollCallRow.__table__
            statement = insert(table).on_conflict_do_nothing().returning(table.c.id)
            added += len((await self.session.execute(statement, rows)).all())
        return added

    async def mark_imported(self, roll_call_ids: Collection[int]) -> int:
        turned = 0
        for batch in batches(sorted(roll_call_ids)):
            result = await self.session.execute(
                update(RollCallRow)
                .where(
                    RollCallRow.id.in_(batch),
                    RollCallRow.status.in_([s.value for s in NOT_TAKEN]),
                )
                .values(status=RollCallStatus.IMPORTED.value)
                .execution_options(synchronize_session=False)
            )
            turned += result.rowcount
        return turned


# Follow-ups and contacts

_FIND_FOLLOW_UP = _find(FollowUpRow.__table__, "school_key", "pupil_id", "day")


def follow_up_from_row(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        day=row.day,
        opened_at=row.opened_at,
        reachable=row.reachable,
        id=row.id,
    )


def contact_from_row(row: GuardianContactRow) -> GuardianContact:
    return GuardianContact(
        follow_up_id=row.follow_up_id,
        staff_id=row.staff_id,
        guardian_id=row.guardian_id,
        contacted_at=row.contacted_at,
        means=ContactMeans(row.means),
        outcome=ContactOutcome(row.outcome),
        valid=row.valid,
        topics=tuple(StepOneTopic(t) for t in row.topics),
        note=row.note,
        recorded_at=row.recorded_at,
        id=row.id,
    )


class SqlFollowUpRepository(_Repository):
    async def add(self, follow_up: FollowUp) -> FollowUp:
        values = {
            "school_key": follow_up.school_key,
            "pupil_id": follow_up.pupil_id,
            "day": follow_up.day,
            "opened_at": as_utc(follow_up.opened_at),
            "reachable": follow_up.reachable,
        }
        await _insert_unless_there(self.session, FollowUpRow, values)
        found = await self.find(follow_up.school_key, follow_up.pupil_id, follow_up.day)
        assert found is not None
        return found

    async def get(self, follow_up_id: int) -> FollowUp | None:
        row = await self.session.get(FollowUpRow, follow_up_id)
        return None if row is None else follow_up_from_row(row)

    async def find(self, school_key: str, pupil_id: str, day: date) -> FollowUp | None:
        # "Send report" asks for the pupil's line: a statement built once (`_find`).
        values = {"school_key": school_key, "pupil_id": pupil_id, "day": day}
        rows = (await direct.run(self.session, _FIND_FOLLOW_UP, values)).rows
        return follow_up_from_row(_FIND_FOLLOW_UP.named(rows[0])) if rows else None

    async def list_for_day(self, school_key: str, day: date) -> list[FollowUp]:
        rows = await self.session.scalars(
            select(FollowUpRow)
            .where(FollowUpRow.school_key == school_key, FollowUpRow.day == day)
            .order_by(FollowUpRow.id)
        )
        return [follow_up_from_row(row) for row in rows]

    async def of_pupils(
        self, school_key: str, pupil_ids: Collection[str], since: date
    ) -> list[FollowUp]:
        found: list[FollowUp] = []
        for batch in batches(sorted(pupil_ids)):
            rows = await self.session.scalars(
                select(FollowUpRow)
                .where(
                    FollowUpRow.school_key == school_key,
                    FollowUpRow.day >= since,
                    FollowUpRow.pupil_id.in_(batch),
                )
                .order_by(FollowUpRow.day, FollowUpRow.id)
            )
            found.extend(follow_up_from_row(row) for row in rows)
        return found

    async def delete_before(self, school_key: str, day: date) -> int:
        # Contacts first: SQLite enforces no ON DELETE CASCADE unless asked per connection.
        old = select(FollowUpRow.id).where(
            FollowUpRow.school_key == school_key, FollowUpRow.day < day
        )
        await delete_where(
            self.session, GuardianContactRow, GuardianContactRow.follow_up_id.in_(old)
        )
        return await delete_where(
            self.session, FollowUpRow, FollowUpRow.school_key == school_key, FollowUpRow.day < day
        )


class SqlGuardianContactRepository(_Repository):
    async def add(self, contact: GuardianContact) -> GuardianContact:
        if contact.recorded_at is None:
            raise ValueError("a contact is stored with the moment it was recorded")
        row = GuardianContactRow(
            follow_up_id=contact.follow_up_id,
            staff_id=contact.staff_id,
            guardian_id=contact.guardian_id,
            contacted_at=as_utc(contact.contacted_at),
            means=contact.means.value,
            outcome=contact.outcome.value,
            valid=contact.valid,
            topics=[topic.value for topic in contact.topics],
            note=contact.note,
            recorded_at=as_utc(contact.recorded_at),
        )
        self.session.add(row)
        await self.session.flush()
        return contact_from_row(row)

    async def list_for(self, follow_up_ids: list[int]) -> list[GuardianContact]:
        if not follow_up_ids:
            return []
        rows = await self.session.scalars(
            select(GuardianContactRow)
            .where(GuardianContactRow.follow_up_id.in_(follow_up_ids))
            .order_by(GuardianContactRow.id)
        )
        return [contact_from_row(row) for row in rows]

    async def judgements_between(
        self,
        school_key: str,
        start: date,
        end: date,
        pupil_ids: Collection[str] | None = None,
    ) -> dict[tuple[str, date], bool]:
        """Whether staff judged each pupil's absence valid, by the latest contact that said."""
        query = (
            select(FollowUpRow.pupil_id, FollowUpRow.day, GuardianContactRow.valid)
            .join(GuardianContactRow, GuardianContactRow.follow_up_id == FollowUpRow.id)
            .where(
                FollowUpRow.school_key == school_key,
                FollowUpRow.day >= start,
                FollowUpRow.day <= end,
                GuardianContactRow.valid.is_not(None),
            )
            .order_by(GuardianContactRow.recorded_at, GuardianContactRow.id)
        )
        if pupil_ids is not None:
            query = query.where(FollowUpRow.pupil_id.in_(sorted(pupil_ids)))
        return {(pupil, day): valid for pupil, day, valid in await self.session.execute(query)}


# Slack event ids


class SqlSlackEventRepository(_Repository):
    async def first_time(self, event_id: str, now: datetime) -> bool:
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name]
        inserted = await self.session.execute(
            insert(SlackEventRow)
            .values(event_id=event_id, seen_at=as_utc(now))
            .on_conflict_do_nothing(index_elements=[SlackEventRow.event_id])
            .returning(SlackEventRow.event_id)
        )
        return inserted.first() is not None

    async def delete_seen_before(self, moment: datetime) -> int:
        return await delete_where(
            self.session, SlackEventRow, SlackEventRow.seen_at < as_utc(moment)
        )
