"""Where each chat's conversation stands (`routine.ports.ConversationRepository`): read with
its person at the start of every event (`storage.chat`), saved at its end with a compare-and-set
on `version`, in statements built once."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from routine.model import ChatAccount, Conversation
from routine.ports import ConversationMoved
from storage import chat, direct, mapping, read_cache
from storage.asyncpg_driver import LONE_WRITE
from storage.bulk import INSERTS_BY_DIALECT
from storage.chat import open_chat
from storage.orm import ConversationRow, as_utc
from storage.orm_base import JsonText


class SqlConversationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, key: str) -> Conversation | None:
        row = await self.session.get(ConversationRow, key)
        return None if row is None else mapping.conversation_from_row(row)

    async def open(
        self, key: str, platform: str, account_id: str
    ) -> tuple[Conversation | None, ChatAccount | None]:
        # With the account's school and person, kept for the lookups that follow.
        return await open_chat(self.session, key, platform, account_id)

    async def save(self, conversation: Conversation, *, last_write: bool = False) -> None:
        """`last_write`: the unit of work commits right after, with nothing written in between
        (`SqlAlchemyUnitOfWork.save_and_commit`); on PostgreSQL, if nothing was written before
        either, the statement is then its own transaction (`storage.asyncpg_driver`)."""
        values = {
            "key_": conversation.key,
            "flow_": conversation.flow,
            "state_": conversation.state,
            "data_": as_stored_json(conversation.data),
            "version_": conversation.version,
        }
        dialect = self.session.get_bind().dialect.name
        new = conversation.version == 0
        statement = _conversation_insert(dialect, last_write) if new else _UPDATES[last_write]
        # Core statements built once: every event saves its conversation.
        if last_write:
            # The event's last statement, sent without SQLAlchemy's execution of it
            # (`storage.direct`), which also passes by the listeners that forget reads.
            rowcount = (await direct.run(self.session, statement, values)).rowcount
            chat.forget(self.session)
            read_cache.forget(self.session)
        else:
            rowcount = (await self.session.execute(statement, values)).rowcount
        if rowcount != 1:
            raise ConversationMoved(conversation.key)
        conversation.version += 1

    async def delete(self, key: str) -> None:
        row = await self.session.get(ConversationRow, key)
        if row is not None:
            await self.session.delete(row)

    async def clear_idle_before(self, moment: datetime) -> int:
        result = await self.session.execute(
            update(ConversationRow)
            .where(
                ConversationRow.updated_at < as_utc(moment),
                or_(ConversationRow.flow.is_not(None), ConversationRow.data != {}),
            )
            .values(
                flow=None,
                state=None,
                data={},
                version=ConversationRow.version + 1,
                updated_at=func.now(),
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount


_CONVERSATIONS = ConversationRow.__table__
_SAVED = {
    "flow": bindparam("flow_", type_=_CONVERSATIONS.c.flow.type),
    "state": bindparam("state_", type_=_CONVERSATIONS.c.state.type),
    "data": bindparam("data_", type_=JsonText()),
    "updated_at": func.now(),
    "version": bindparam("version_", type_=_CONVERSATIONS.c.version.type) + 1,
}
# Compare-and-set on the version the event read.
_UPDATE = (
    update(_CONVERSATIONS)
    .where(
        _CONVERSATIONS.c.key == bindparam("key_"),
        _CONVERSATIONS.c.version == bindparam("version_"),
    )
    .values(_SAVED)
)
# By `last_write`: the same statements, the last write's marked for the driver.
_UPDATES: dict[bool, Any] = {False: _UPDATE, True: direct.Direct(_UPDATE.prefix_with(LONE_WRITE))}
_INSERTS: dict[tuple[str, bool], Any] = {}


def _conversation_insert(dialect: str, last_write: bool) -> Any:
    if (dialect, last_write) not in _INSERTS:
        insert = (
            INSERTS_BY_DIALECT[dialect](_CONVERSATIONS)
            .values(key=bindparam("key_", type_=_CONVERSATIONS.c.key.type), **_SAVED)
            .on_conflict_do_nothing(index_elements=[_CONVERSATIONS.c.key])
        )
        _INSERTS[dialect, last_write] = (
            direct.Direct(insert.prefix_with(LONE_WRITE)) if last_write else insert
        )
    return _INSERTS[dialect, last_write]


def as_stored_json(data: dict[str, Any]) -> str:
    """The data as the row stores it: its JSON text (tuples become lists, keys strings), bound
    as it is (`JsonText`), so that it is serialized once.

    Converting here, at `save`, refuses what JSON cannot hold (dates, sets) at the caller's line
    rather than at the commit, and the text is the row's own copy of the data.
    """
    return json.dumps(data)
