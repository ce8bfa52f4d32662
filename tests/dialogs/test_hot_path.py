"""The hot path of a guardian's event is lean: the SQL round trips of one event do not depend
on how far the conversation has come, and stay few. A step that looked the actor up piece by
piece, read the conversation twice or loaded a child per query would send more and fail here.

Counted are the statements the engine sends (`before_cursor_execute`) and the commits; a
plain step is the press of a reason, a confirm is "Send report" for today, before the cut-off
(a later report also tells the mentor, and is counted by the job tests' budget, not here)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from dialogs.engine import Engine
from dialogs.events import ConversationKey
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from storage.db import make_engine, make_session_factory
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.dialogs.conftest import FixedClock, seed
from tests.dialogs.transcript import Chat
from tests.storage.pg_trips import Trips, through_cursor

# Monday 23 November 2026, 07:10 in Copenhagen: before the roll call and the cut-off.
EARLY = datetime(2026, 11, 23, 6, 10, tzinfo=UTC)


class RoundTrips:
    def __init__(self, engine: AsyncEngine) -> None:
        self.statements: list[str] = []
        self.commits = 0
        event.listen(engine.sync_engine, "before_cursor_execute", self._statement)
        event.listen(engine.sync_engine, "commit", self._commit)

    def _statement(self, _connection, _cursor, statement: str, *_rest: object) -> None:
        self.statements.append(statement)

    def _commit(self, _connection) -> None:
        self.commits += 1

    def reset(self) -> None:
        self.statements.clear()
        self.commits = 0


@pytest.fixture
async def sql_engine(migrated_database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(migrated_database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


def da(message: str) -> str:
    with use_locale("da"):
        return _(message)


async def costs_of(
    sql_engine: AsyncEngine, account: str, opening: list[str], steps: list[str]
) -> tuple[list[tuple[int, int, int]], list[str]]:
    """Per step: statements, commits, and reads of the conversation; and the last replies."""
    factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(sql_engine))
    await seed(factory)
    person = Chat(
        Engine(uow_factory=factory, flows=all_flows(), clock=FixedClock(EARLY)),
        ConversationKey(platform="test", chat=account, user=account),
    )
    for said in opening:
        await person.send(said)
    trips = RoundTrips(sql_engine)
    costs = []
    for said in steps:
        trips.reset()
        replies = await person.send(said)
        reads = [s for s in trips.statements if s.startswith("SELECT conversations.")]
        costs.append((len(trips.statements), trips.commits, len(reads)))
    return costs, [reply.text for reply in replies]


PLAIN = (2, 1, 1)  # the conversation with its person; the conversation saved; the commit
CONFIRM = (5, 1, 1)  # and the report stored; the class's roll call; the pupil's follow-up


async def test_a_plain_step_and_a_confirm_cost_few_round_trips(sql_engine: AsyncEngine) -> None:
    steps = ["Ill", "Today", "The whole day", "No note", "Send report"]
    costs, replies = await costs_of(
        sql_engine, "dk-G1", ["hej", f"[{da('Report an absence')}]"], [f"[{da(s)}]" for s in steps]
    )
    receipt = da("Thank you. The school has received your report. Reference number: {ref}.")
    assert replies[0].startswith(receipt.split("{")[0])
    assert costs == [PLAIN, PLAIN, PLAIN, PLAIN, CONFIRM]


async def test_choosing_among_several_children_costs_no_more(sql_engine: AsyncEngine) -> None:
    """The children come with their guardian, in the same statement, however many they are."""
    with use_locale("sv"):
        report, child = _("Report an absence"), "Olle Berg"
    costs, replies = await costs_of(sql_engine, "se-G1", ["hej"], [f"[{report}]", f"[{child}]"])
    assert "Olle" in replies[0]
    assert costs == [PLAIN, PLAIN]


async def test_on_postgresql_a_plain_step_is_two_round_trips(
    migrated_postgresql_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the server is asked, BEGIN, COMMIT and the pool's ping included: a plain step is
    its SELECT and its UPDATE, which commits itself; a confirm is its five statements in one
    transaction (`storage.asyncpg_driver`). Statements are prepared once per connection, and
    those trips are not counted here. Every statement of these events (the conversation's read
    and save, and at "Send report" the report, the roll call and the follow-up) is sent by the
    adapter directly (`storage.direct`), not through SQLAlchemy's execution and cursor."""
    engine = make_engine(migrated_postgresql_url)
    try:
        factory = SqlAlchemyUnitOfWorkFactory(make_session_factory(engine))
        await seed(factory)
        person = Chat(
            Engine(uow_factory=factory, flows=all_flows(), clock=FixedClock(EARLY)),
            ConversationKey(platform="test", chat="dk-G1", user="dk-G1"),
        )
        await person.send("hej")
        await person.send(f"[{da('Report an absence')}]")
        trips = Trips(monkeypatch)
        by_cursor = through_cursor(monkeypatch)
        sent, through_sqlalchemy = [], []
        for said in ["Ill", "Today", "The whole day", "No note", "Send report"]:
            trips.clear()
            by_cursor.clear()
            await person.send(f"[{da(said)}]")
            sent.append([each for each in trips.sent if each != "prepare"])
            through_sqlalchemy.append(len(by_cursor))
    finally:
        await engine.dispose()
    assert sent[:4] == [["fetch", "fetch"]] * 4
    assert sent[4] == ["fetch", "BEGIN", "fetch", "fetch", "fetch", "fetch", "COMMIT"]
    # The report, the roll call and the follow-up are sent directly too: nothing goes through
    # SQLAlchemy's cursor (the statement counts above still see every one).
    assert through_sqlalchemy == [0, 0, 0, 0, 0]
