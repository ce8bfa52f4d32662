"""A world for events at once: a fresh, seeded store per example on the fakes, a SQLite file
or PostgreSQL; units of work that let other events run before each call, in an order drawn
from a seed; and whether a reply is in a given language."""

from __future__ import annotations

import asyncio
import inspect
import random
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from sqlalchemy import select

from dialogs.events import Reply
from dialogs.i18n import _, use_locale
from routine.model import ChatAccount
from storage.db import make_engine, make_session_factory
from storage.orm import AbsenceReportRow, ContactRequestRow, ConversationRow, OutboxRow
from storage.uow import SqlAlchemyUnitOfWorkFactory
from tests.dialogs.conftest import seed
from tests.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory

LANGUAGE = {"se": "sv", "no": "nb", "dk": "da"}
GUARDIANS = ["se-G1", "no-G1", "dk-G1"]


class Store:
    """A seeded store and what the checks read back from it."""

    def __init__(self, factory: Any, rows: Callable[..., Any]) -> None:
        self.factory = factory
        self.rows = rows


@asynccontextmanager
async def fake_store() -> AsyncIterator[Store]:
    factory = SerialFakes()
    await seed_world(factory)
    store = factory.store

    async def rows(table: str) -> list[tuple]:
        if table == "reports":
            return [(r.id, r.status.value) for r in store.reports.values()]
        if table == "contact_requests":
            return [(r.id, r.status.value, r.taken_by) for r in store.contact_requests.values()]
        if table == "outbox":
            return [(m.id,) for m in store.outbox.values()]
        return [(c.key, c.flow, c.state) for c in store.conversations.values()]

    yield Store(factory, rows)


@asynccontextmanager
async def sql_store(url: str) -> AsyncIterator[Store]:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    columns = {
        "reports": (AbsenceReportRow.id, AbsenceReportRow.status),
        "contact_requests": (
            ContactRequestRow.id,
            ContactRequestRow.status,
            ContactRequestRow.taken_by,
        ),
        "outbox": (OutboxRow.id,),
        "conversations": (ConversationRow.key, ConversationRow.flow, ConversationRow.state),
    }

    async def rows(table: str) -> list[tuple]:
        async with sessions() as session:
            return [tuple(row) for row in await session.execute(select(*columns[table]))]

    try:
        factory = SqlAlchemyUnitOfWorkFactory(sessions)
        await seed_world(factory)
        yield Store(factory, rows)
    finally:
        await engine.dispose()


async def seed_world(factory: Any) -> None:
    await seed(factory)
    async with factory() as uow:
        # A second chat of each guardian, and the guardian's Telegram chat that hears who took
        # a contact request.
        for person in GUARDIANS:
            school, guardian = person.split("-")
            second = ChatAccount("test", f"{person}-b", school, "guardian", guardian)
            await uow.accounts.save(second)
            await uow.accounts.save(
                ChatAccount("telegram", f"{person}-tg", school, "guardian", guardian)
            )
        await uow.commit()


class SerialFakes(FakeUnitOfWorkFactory):
    """The fakes, one unit of work at a time: a fake's rollback puts back the whole store as it
    was when the unit began, so two open at once would undo each other's commits."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = asyncio.Lock()

    def __call__(self) -> FakeUnitOfWork:
        return _SerialUnitOfWork(self.store, self.lock)


class _SerialUnitOfWork(FakeUnitOfWork):
    def __init__(self, store: Any, lock: asyncio.Lock) -> None:
        super().__init__(store)
        self.lock = lock

    async def __aenter__(self) -> _SerialUnitOfWork:
        await self.lock.acquire()
        return await super().__aenter__()

    async def __aexit__(self, *exc_info: object) -> None:
        try:
            await super().__aexit__(*exc_info)
        finally:
            self.lock.release()


class Interleaved:
    """Units of work whose every call may first let the other events run: the interleaving
    is drawn by hypothesis, so a failing one can be replayed."""

    def __init__(self, factory: Any, rnd: random.Random) -> None:
        self.factory = factory
        self.rnd = rnd

    def __call__(self) -> _Pausing:
        return _Pausing(self.factory(), self.rnd)


class _Pausing:
    def __init__(self, inner: Any, rnd: random.Random) -> None:
        self._inner = inner
        self._rnd = rnd

    async def _pause(self) -> None:
        for _n in range(self._rnd.randint(0, 3)):
            await asyncio.sleep(0)

    async def __aenter__(self) -> _Pausing:
        await self._pause()
        await self._inner.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._inner.__aexit__(*exc_info)

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._inner, name)
        if inspect.iscoroutinefunction(found):
            return self._paused(found)
        if name.startswith("_") or not hasattr(found, "__dict__"):
            return found
        return _Pausing(found, self._rnd)

    def _paused(self, method: Callable[..., Any]) -> Callable[..., Any]:
        async def call(*args: Any, **kwargs: Any) -> Any:
            await self._pause()
            return await method(*args, **kwargs)

        return call


def tr(language: str, message: str) -> str:
    with use_locale(language):
        return _(message)


@cache
def fragments(language: str) -> tuple[frozenset[str], frozenset[str]]:
    """Pieces of this language's translations found in no other language nor in English: the
    long ones, and the short ones (found only as a whole line or a whole label)."""

    def pieces(texts: list[str]) -> set[str]:
        found = set()
        for text in texts:
            for piece in re.split(r"\{[^}]*\}|\n|%\(\w+\)s", text):
                if len(piece.strip()) >= 2:
                    found.add(piece.strip())
        return found

    translations, english = {}, []
    for code in LANGUAGE.values():
        path = Path(__file__).parents[2] / "locales" / code / "LC_MESSAGES" / "narvaro.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        texts = []
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strs = message.string if isinstance(message.string, tuple) else (message.string,)
            english.extend(ids)
            texts.extend(s for s in strs if s)
        translations[code] = pieces(texts)
    others = pieces(english).union(
        *(found for code, found in translations.items() if code != language)
    )
    own = translations[language] - others
    return frozenset(p for p in own if len(p) >= 8), frozenset(p for p in own if len(p) < 8)


def in_language(reply: Reply, language: str) -> bool:
    long, short = fragments(language)
    lines = {line.strip() for line in reply.text.splitlines()}
    lines |= {button.label for button in reply.buttons}
    return bool(lines & short) or any(piece in reply.text for piece in long)
