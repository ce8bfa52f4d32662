"""The dispatcher on the fakes, on a fake clock: leases, crashes, and running until stopped."""

from __future__ import annotations

import asyncio
import dataclasses
from collections import Counter
from datetime import timedelta

import pytest

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage
from scheduler.dispatcher import Dispatcher, RateLimit
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import (
    FAST,
    FakeTime,
    RecordingSender,
    dispatcher,
    fill_outbox,
    message,
    outbox,
)

# Leases and crashes


async def test_a_batch_starts_no_send_after_half_its_lease(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, *(message(f"a{n}") for n in range(8)))
    sender = RecordingSender(time)
    limits = {"telegram": RateLimit(per_second=1, per_recipient_interval=0)}
    worker = dispatcher(
        fake_uow_factory, time, {"telegram": sender}, limits=limits, lease=timedelta(seconds=10)
    )

    assert await worker.run_once() == 8
    sent_in_first_batch = list(sender.keys)
    assert await worker.run_once() == 0  # the rest are still leased...
    time.pass_time(10 - time.elapsed)
    assert await worker.run_once() == 3  # ... until the lease runs out

    assert sent_in_first_batch == ["a0", "a1", "a2", "a3", "a4"]
    assert sender.keys == [f"a{n}" for n in range(8)]


class Crash(BaseException):
    """The process dying mid-send: nothing after it runs, not even `except Exception`."""


async def test_after_a_crash_only_the_message_in_flight_is_sent_twice(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, *(message(str(n)) for n in range(5)))
    delivered: list[str] = []

    class CrashesOnTheThird:
        async def send(self, message: OutboxMessage) -> DeliveryResult:
            delivered.append(message.key)
            if len(delivered) == 3:
                raise Crash
            return DeliveryResult.ok()

    lease = timedelta(seconds=30)
    crashing = dispatcher(fake_uow_factory, time, {"telegram": CrashesOnTheThird()}, lease=lease)
    with pytest.raises(Crash):
        await crashing.run_once()

    after_restart = RecordingSender(time)
    restarted = dispatcher(
        fake_uow_factory, time, {"telegram": after_restart}, worker="w2", lease=lease
    )
    assert await restarted.run_once() == 0  # the crashed worker's lease still holds
    time.pass_time(30)
    assert await restarted.run_once() == 3
    assert Counter(delivered + after_restart.keys) == {
        "0": 1,
        "1": 1,
        "2": 2,
        "3": 1,
        "4": 1,
    }
    assert {m.status for m in await outbox(fake_uow_factory)} == {DeliveryStatus.SENT}


# Running until stopped


async def test_run_sends_until_stopped_and_rests_when_nothing_is_pending(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, *(message(str(n)) for n in range(3)))
    sender = RecordingSender(time)
    stop = asyncio.Event()

    async def sleep(seconds: float) -> None:
        await time.sleep(seconds)
        if time.sleeps.count(5) == 2:
            stop.set()

    worker = Dispatcher(
        fake_uow_factory,
        {"telegram": sender},
        time,
        worker="w1",
        limits={"telegram": RateLimit(per_second=1, per_recipient_interval=1)},
        batch=2,
        sleep=sleep,
        monotonic=time.monotonic,
    )

    await asyncio.wait_for(worker.run(stop, idle=5), timeout=5)

    assert sender.sent == [(0, "0"), (1, "1"), (2, "2")]
    # A second apart for the rate limit; then two rests, the second stopped.
    assert time.sleeps == [1, 1, 5, 5]


async def test_run_carries_on_after_the_database_fails(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    sender = RecordingSender(time)
    stop = asyncio.Event()
    failures = iter([ConnectionRefusedError("database restarting")])

    def flaky_uow_factory():
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return fake_uow_factory()

    async def sleep(seconds: float) -> None:
        await time.sleep(seconds)
        if sender.keys:
            stop.set()

    worker = Dispatcher(
        flaky_uow_factory,
        {"telegram": sender},
        time,
        worker="w1",
        limits=FAST,
        sleep=sleep,
        monotonic=time.monotonic,
    )

    await asyncio.wait_for(worker.run(stop, idle=5), timeout=5)

    assert sender.keys == ["a"]
    assert time.sleeps == [5, 5]
    assert "dispatching the outbox failed" in caplog.text


async def test_a_failure_is_logged_without_the_messages_text(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    secret = dataclasses.replace(message("a"), text="Åsa är sjuk")
    await fill_outbox(fake_uow_factory, secret)
    sender = RecordingSender(time, lambda _: DeliveryResult.never("403 Forbidden"))

    await dispatcher(fake_uow_factory, time, {"telegram": sender}).run_once()

    assert "failed after 1 attempt(s): 403 Forbidden" in caplog.text
    assert "Åsa" not in caplog.text
    assert secret.recipient not in caplog.text
