"""Helpers for dispatcher tests: a fake clock that also sleeps, senders that remember, messages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from routine.model import Country, Language, School
from routine.outbox import DeliveryResult, OutboxMessage
from routine.ports import UnitOfWorkFactory
from scheduler.dispatcher import Dispatcher, RateLimit

START = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)
# Fast enough that only what a test sets itself spaces the sends.
FAST = {"telegram": RateLimit(per_second=1000, per_recipient_interval=0)}
SCHOOL = School("se-ekbacken", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)


class FakeTime:
    """Wall clock, monotonic clock and sleep in one: sleeping moves both clocks on, at once."""

    def __init__(self, start: datetime = START) -> None:
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def monotonic(self) -> float:
        return self.elapsed

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.pass_time(seconds)

    def pass_time(self, seconds: float) -> None:
        self.elapsed += seconds


class RecordingSender:
    """Remembers what it sent, and when (on the fake monotonic clock); answers with `answer`."""

    def __init__(
        self,
        time: FakeTime,
        answer: Callable[[OutboxMessage], DeliveryResult] = lambda _: DeliveryResult.ok(),
    ) -> None:
        self.time = time
        self.answer = answer
        self.sent: list[tuple[float, str]] = []
        self.messages: list[OutboxMessage] = []

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        self.sent.append((self.time.monotonic(), message.key))
        self.messages.append(message)
        return self.answer(message)

    @property
    def keys(self) -> list[str]:
        return [key for _, key in self.sent]


def message(key: str, recipient: str | None = None, platform: str = "telegram") -> OutboxMessage:
    return OutboxMessage(
        key=key,
        platform=platform,
        recipient=recipient or f"chat-{key}",
        text=f"Message {key}",
        kind="unreported",
        school_key=SCHOOL.key,
        created_at=START,
    )


async def fill_outbox(uow_factory: UnitOfWorkFactory, *messages: OutboxMessage) -> None:
    async with uow_factory() as uow:
        if await uow.schools.get(SCHOOL.key) is None:
            await uow.schools.save(SCHOOL)
        for each in messages:
            await uow.outbox.add(each)
        await uow.commit()


async def outbox(uow_factory: UnitOfWorkFactory) -> list[OutboxMessage]:
    async with uow_factory() as uow:
        return await uow.outbox.list()


async def by_key(uow_factory: UnitOfWorkFactory) -> dict[str, OutboxMessage]:
    return {m.key: m for m in await outbox(uow_factory)}


def dispatcher(
    uow_factory: UnitOfWorkFactory, time: FakeTime, senders: dict, **options: object
) -> Dispatcher:
    """A dispatcher on the fake clock, worker "w1", FAST limits unless `options` say otherwise."""
    values: dict = {"worker": "w1", "limits": FAST} | options
    return Dispatcher(
        uow_factory, senders, time, sleep=time.sleep, monotonic=time.monotonic, **values
    )
