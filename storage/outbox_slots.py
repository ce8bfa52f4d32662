"""Adding messages to the outbox, and the versions of one message (a slot) kept to one pending
at a time: the writing half of `storage.outbox.SqlOutboxRepository`.

`add` is idempotent under concurrency: one statement, `INSERT ... ON CONFLICT (key) DO NOTHING`,
so two units of work writing the same message never fail, and exactly one row remains.

Versions of one message (a slot) are kept to one pending at a time by `add`, which supersedes the
earlier ones, but not one that is leased: its dispatcher is sending it and will record what
became of it (a leased version that is then to be tried again is superseded by `record`, in
`storage.outbox_claims`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    bindparam,
    cast,
    column,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import aliased

from routine.outbox import DeliveryStatus, OutboxMessage
from storage import mapping
from storage.bulk import INSERTS_BY_DIALECT, batches
from storage.orm import OutboxRow, as_utc
from storage.repositories import _Repository

# The versions that are, or are to be, on screen.
LIVE = (DeliveryStatus.PENDING.value, DeliveryStatus.SENT.value)


class OutboxSession(_Repository):
    """What both halves of the outbox repository work with: the session, and its dialect (the
    statements differ between SQLite and PostgreSQL)."""

    def _dialect(self) -> str:
        return self.session.get_bind().dialect.name


class OutboxVersions(OutboxSession):
    async def add(self, message: OutboxMessage) -> bool:
        if message.slot and await self._says_the_same(message):
            return False
        insert = INSERTS_BY_DIALECT[self._dialect()]
        statement = (
            insert(OutboxRow)
            .values(mapping.outbox_columns(message))
            .on_conflict_do_nothing(index_elements=[OutboxRow.key])
            .returning(OutboxRow.id)
        )
        inserted = (await self.session.execute(statement)).scalar()
        if inserted is None:
            return False
        if message.slot:
            await self._supersede_before(message, inserted)
        return True

    async def add_many(self, messages: Sequence[OutboxMessage]) -> list[bool]:
        """`add` for many messages with a few statements per batch, as a job needs: whether
        each was stored. Of several versions of one slot in `messages`, the last counts.

        A version is compared with the newest live one in its slot by the INSERT itself (no
        read before it); the superseding `UPDATE` follows only if a version was stored. (It
        is not folded into the INSERT: SQLite cannot use the slot's index in a subquery of
        RETURNING, and would scan the outbox once for every row.)"""
        stored = [False] * len(messages)
        last_in_slot = {
            (m.platform, m.recipient, m.slot): i for i, m in enumerate(messages) if m.slot
        }
        wanted = [
            i
            for i, m in enumerate(messages)
            if not m.slot or last_in_slot[(m.platform, m.recipient, m.slot)] == i
        ]
        columns = {i: mapping.outbox_columns(messages[i]) for i in wanted}
        insert = INSERTS_BY_DIALECT[self._dialect()]
        inserted: dict[str, int] = {}
        plain = [i for i in wanted if not messages[i].slot]
        statement = (
            insert(OutboxRow)
            .on_conflict_do_nothing(index_elements=[OutboxRow.key])
            .returning(OutboxRow.key, OutboxRow.id)
        )
        for batch in batches(plain):
            # executemany: one compiled statement, sent in batches of rows (insertmanyvalues).
            result = await self.session.execute(statement, [columns[i] for i in batch])
            inserted.update({key: row_id for key, row_id in result})
        for batch in batches([i for i in wanted if messages[i].slot], VERSIONS_PER_INSERT):
            dialect = self.session.get_bind().dialect
            result = await self.session.execute(
                _new_versions(dialect.name),
                {"versions": _versions_parameter(dialect, [columns[i] for i in batch])},
            )
            inserted.update({key: row_id for key, row_id in result})
        for i in wanted:
            stored[i] = messages[i].key in inserted
        await self._supersede_many(
            [messages[i] for i in wanted if messages[i].slot and messages[i].key in inserted],
            min(inserted.values(), default=0),
        )
        return stored

    async def _supersede_many(self, newest: Sequence[OutboxMessage], first_new_id: int) -> None:
        """As `_supersede_before`, for the slots of many new versions at once: their pending,
        unleased versions added before this batch. The slots go as one JSON parameter, so
        the statement is one cached one whatever their number."""
        moments = [m.created_at for m in newest if m.created_at is not None]
        for batch in batches(sorted({_slot_of(m) for m in newest})):
            await self.session.execute(
                _supersede_slots(self._dialect()),
                {
                    "slots": json.dumps([list(slot) for slot in batch]),
                    "first_new_id": first_new_id,
                    "moment": as_utc(min(moments)) if moments else None,
                },
            )

    async def _says_the_same(self, message: OutboxMessage) -> bool:
        """Whether the newest live version in the message's slot has its text and buttons."""
        columns = mapping.outbox_columns(message)
        newest = (
            await self.session.execute(
                select(OutboxRow.text, OutboxRow.buttons)
                .where(
                    *in_slot(message.platform, message.recipient, message.slot),
                    OutboxRow.status.in_(LIVE),
                )
                .order_by(OutboxRow.id.desc())
                .limit(1)
            )
        ).first()
        return newest is not None and tuple(newest) == (columns["text"], columns["buttons"])

    async def _supersede_before(self, message: OutboxMessage, newest_id: int) -> None:
        # A lease that ran out by the time the new version was made is as good as none.
        not_leased: ColumnElement[bool] = OutboxRow.claimed_until.is_(None)
        if message.created_at is not None:
            not_leased = or_(not_leased, OutboxRow.claimed_until <= as_utc(message.created_at))
        await self.session.execute(
            update(OutboxRow)
            .where(
                *in_slot(message.platform, message.recipient, message.slot),
                OutboxRow.id < newest_id,
                OutboxRow.status == DeliveryStatus.PENDING.value,
                not_leased,
            )
            .values(status=DeliveryStatus.SUPERSEDED.value)
        )


def _slot_of(message: OutboxMessage) -> tuple[str, str, str]:
    return message.platform, message.recipient, message.slot


def in_slot(platform: str, recipient: str, slot: str) -> tuple[ColumnElement[bool], ...]:
    """The versions of one message on screen: one recipient's messages in one slot."""
    return (
        OutboxRow.platform == platform,
        OutboxRow.recipient == recipient,
        OutboxRow.slot == slot,
    )


def outdated_by_a_newer_version() -> ColumnElement[bool]:
    """Whether a message in a slot has a newer version pending or sent."""
    newer = aliased(OutboxRow, name="newer")
    return (
        exists()
        .where(
            OutboxRow.slot != "",
            newer.platform == OutboxRow.platform,
            newer.recipient == OutboxRow.recipient,
            newer.slot == OutboxRow.slot,
            newer.id > OutboxRow.id,
            newer.status.in_(LIVE),
        )
        .correlate(OutboxRow)
    )


# Rows per INSERT of new versions (sent as one JSON parameter).
VERSIONS_PER_INSERT = 2000
# What `mapping.outbox_columns` gives, in its order.
_VERSION_COLUMNS = (
    "key", "platform", "recipient", "text", "kind", "school_key", "buttons", "created_at",
    "status", "attempts", "next_attempt_at", "last_error", "sent_at", "slot", "ref",
)  # fmt: skip


def _versions_parameter(dialect: Dialect, rows: Sequence[dict[str, Any]]) -> str:
    """The rows as one JSON array. SQLite's values are what the columns' types store (so a
    version's text, buttons and times compare and read back as if bound one by one);
    PostgreSQL's are typed by `jsonb_to_recordset`, times as ISO 8601."""
    table = OutboxRow.__table__
    if dialect.name == "postgresql":
        return json.dumps(
            [
                {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}
                for row in rows
            ]
        )
    processors = {
        name: table.c[name].type._cached_bind_processor(dialect) for name in _VERSION_COLUMNS
    }
    return json.dumps(
        [
            {
                name: value if (to_db := processors[name]) is None else to_db(value)
                for name, value in row.items()
            }
            for row in rows
        ]
    )


@functools.cache
def _new_versions(dialect: str) -> Any:
    """INSERT of the versions that say something new: each row unless the newest live
    version in its slot has its text and buttons (what `_says_the_same` reads, here in the
    INSERT itself), returning each stored row's key and id. The rows come as one JSON
    parameter, `versions`: the statement is the same for any number of rows, so it is
    built, compiled and looked up in SQLAlchemy's cache at the cost of one."""
    table = OutboxRow.__table__
    names = _VERSION_COLUMNS
    rows = bindparam("versions", type_=String())
    if dialect == "postgresql":
        records = (
            func.jsonb_to_recordset(cast(rows, JSONB))
            .table_valued(*[column(name, table.c[name].type) for name in names])
            .render_derived(name="v", with_types=True)
        )
        new = select(*[records.c[name] for name in names]).cte("new_versions")
    else:
        each = func.json_each(rows).table_valued("value")
        new = select(
            *[func.json_extract(each.c.value, f"$.{name}").label(name) for name in names]
        ).cte("new_versions")
    live, newest = aliased(OutboxRow, name="live"), aliased(OutboxRow, name="newest")
    newest_id = (
        select(func.max(live.id))
        .where(
            live.platform == new.c.platform,
            live.recipient == new.c.recipient,
            live.slot == new.c.slot,
            live.status.in_(LIVE),
        )
        .correlate(new)
        .scalar_subquery()
    )
    says_the_same = (
        exists()
        .where(
            newest.id == newest_id,
            newest.text == new.c.text,
            newest.buttons == new.c.buttons,
        )
        .correlate(new)
    )
    return (
        INSERTS_BY_DIALECT[dialect](table)
        .from_select(names, select(*[new.c[name] for name in names]).where(~says_the_same))
        .on_conflict_do_nothing(index_elements=[table.c.key])
        .returning(table.c.key, table.c.id)
    )


@functools.cache
def _supersede_slots(dialect: str) -> Any:
    """UPDATE of the pending versions, not leased at `moment`, in the slots of `slots` (a JSON
    array of [platform, recipient, slot]) added before `first_new_id`. Each slot is looked up
    in the slot's index (a row-value IN over a list of slots had SQLite walk every older
    message instead)."""
    slots = bindparam("slots", type_=String())
    found = aliased(OutboxRow, name="found")
    if dialect == "postgresql":
        return _supersede_slots_postgresql()
    each = func.json_each(slots).table_valued("value")
    part = [func.json_extract(each.c.value, f"$[{n}]") for n in range(3)]
    in_slots = select(found.id).join_from(
        each,
        found,
        (found.platform == part[0]) & (found.recipient == part[1]) & (found.slot == part[2]),
    )
    moment = bindparam("moment", type_=OutboxRow.__table__.c.claimed_until.type)
    return (
        update(OutboxRow)
        .where(
            OutboxRow.id.in_(in_slots),
            OutboxRow.id < bindparam("first_new_id"),
            OutboxRow.status == DeliveryStatus.PENDING.value,
            or_(OutboxRow.claimed_until.is_(None), OutboxRow.claimed_until <= moment),
        )
        .values(status=DeliveryStatus.SUPERSEDED.value)
        .execution_options(synchronize_session=False)
    )


def _supersede_slots_postgresql() -> Any:
    """PostgreSQL's `_supersede_slots`: the ids in the slots are found first, once, as an
    array (an uncorrelated InitPlan), then updated by primary key. As a semi-join, the
    planner went by the outbox's statistics; read while the outbox was near empty, they made
    it loop over every pending message and scan the slots' JSON for each (2 s for 4,000
    messages and 1,700 slots, a morning's batch)."""
    return text(
        "UPDATE outbox SET status = :superseded WHERE id = ANY(ARRAY("
        "SELECT found.id FROM jsonb_array_elements(CAST(:slots AS JSONB)) AS each"
        " JOIN outbox AS found ON found.platform = each.value ->> 0"
        " AND found.recipient = each.value ->> 1 AND found.slot = each.value ->> 2))"
        " AND id < :first_new_id AND status = :pending"
        " AND (claimed_until IS NULL OR claimed_until <= :moment)"
    ).bindparams(
        bindparam("superseded", DeliveryStatus.SUPERSEDED.value),
        bindparam("pending", DeliveryStatus.PENDING.value),
        bindparam("slots", type_=String()),
        bindparam("moment", type_=OutboxRow.__table__.c.claimed_until.type),
    )
