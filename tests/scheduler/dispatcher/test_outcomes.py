"""The dispatcher on the fakes, on a fake clock: what each outcome records, retries and their
backoff, and the platforms it sends for."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage, RetryPolicy
from scheduler.dispatcher import Dispatcher, RateLimit
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import (
    FAST,
    START,
    FakeTime,
    RecordingSender,
    by_key,
    dispatcher,
    fill_outbox,
    message,
    outbox,
)

# Outcomes


async def test_a_sent_message_is_recorded_as_sent(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    sender = RecordingSender(time)

    claimed = await dispatcher(fake_uow_factory, time, {"telegram": sender}).run_once()

    [sent] = await outbox(fake_uow_factory)
    assert claimed == 1
    assert sender.keys == ["a"]
    assert (sent.status, sent.attempts, sent.sent_at, sent.last_error) == (
        DeliveryStatus.SENT,
        1,
        START,
        "",
    )


async def test_a_retry_waits_as_the_retry_policy_says(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    sender = RecordingSender(time, lambda _: DeliveryResult.retry("502 Bad Gateway"))

    await dispatcher(fake_uow_factory, time, {"telegram": sender}).run_once()

    [pending] = await outbox(fake_uow_factory)
    assert (pending.status, pending.attempts, pending.next_attempt_at, pending.last_error) == (
        DeliveryStatus.PENDING,
        1,
        START + timedelta(seconds=2),
        "502 Bad Gateway",
    )


async def test_a_retry_waits_as_long_as_the_platform_asked(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    flood = DeliveryResult.retry("429 Too Many Requests", after=timedelta(seconds=37))
    sender = RecordingSender(time, lambda _: flood)

    await dispatcher(fake_uow_factory, time, {"telegram": sender}).run_once()

    [pending] = await outbox(fake_uow_factory)
    assert (pending.status, pending.next_attempt_at) == (
        DeliveryStatus.PENDING,
        START + timedelta(seconds=37),
    )


async def test_an_unreachable_recipient_fails_at_once(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    sender = RecordingSender(time, lambda _: DeliveryResult.never("403 bot was blocked"))
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})

    await worker.run_once()
    time.pass_time(3600)
    await worker.run_once()

    [failed] = await outbox(fake_uow_factory)
    assert sender.keys == ["a"]
    assert (failed.status, failed.attempts, failed.last_error, failed.next_attempt_at) == (
        DeliveryStatus.FAILED,
        1,
        "403 bot was blocked",
        None,
    )


class Broken:
    async def send(self, message: OutboxMessage) -> DeliveryResult:
        raise ConnectionResetError("peer went away")


async def test_a_sender_that_raises_counts_as_a_retry(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"), message("b"))

    claimed = await dispatcher(fake_uow_factory, time, {"telegram": Broken()}).run_once()

    assert claimed == 2
    assert [(m.status, m.attempts, m.last_error) for m in await outbox(fake_uow_factory)] == [
        (DeliveryStatus.PENDING, 1, "ConnectionResetError: peer went away"),
        (DeliveryStatus.PENDING, 1, "ConnectionResetError: peer went away"),
    ]


async def test_retries_back_off_until_the_time_limit_then_fail_visibly(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    sender = RecordingSender(time, lambda _: DeliveryResult.retry("timed out"))
    policy = RetryPolicy(give_up_after=timedelta(hours=1))
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender}, retry=policy)

    delays = []
    while True:
        await worker.run_once()
        [state] = await outbox(fake_uow_factory)
        if state.next_attempt_at is None:
            break
        delays.append((state.next_attempt_at - time.now()).total_seconds())
        time.pass_time(delays[-1])

    # Doubling up to five minutes apart; the last try is at the limit itself.
    assert delays[:9] == [2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert set(delays[9:-1]) == {300}
    assert time.now() == START + timedelta(hours=1)
    assert (state.status, state.attempts, state.last_error) == (
        DeliveryStatus.FAILED,
        len(delays) + 1,
        "timed out",
    )
    time.pass_time(3600)
    assert await worker.run_once() == 0


async def test_a_ten_minute_storm_of_502s_loses_nothing(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    """20 messages to 20 chats while the platform answers 502 for ten minutes (the issue:
    8 attempts over about 4 minutes failed them all for good)."""
    keys = [f"m{n:02}" for n in range(20)]
    await fill_outbox(fake_uow_factory, *map(message, keys))
    storm_ends = START + timedelta(minutes=10)

    def platform(_: OutboxMessage) -> DeliveryResult:
        if time.now() < storm_ends:
            return DeliveryResult.retry("502 Bad Gateway")
        return DeliveryResult.ok()

    sender = RecordingSender(time, platform)
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})

    # As `run` does, a second's rest whenever nothing was due; bounded, so a bug cannot hang.
    for _ in range(3600):
        if {m.status for m in await outbox(fake_uow_factory)} == {DeliveryStatus.SENT}:
            break
        if await worker.run_once() == 0:
            time.pass_time(1)

    assert time.now() < storm_ends + timedelta(minutes=6)  # at most one backoff late
    assert [m.status for m in await outbox(fake_uow_factory)] == [DeliveryStatus.SENT] * 20
    assert all(n > 8 for n in Counter(sender.keys).values())


async def test_a_retry_after_a_failure_can_still_succeed(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"))
    answers = iter([DeliveryResult.retry("timed out"), DeliveryResult.ok()])
    sender = RecordingSender(time, lambda _: next(answers))
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})

    await worker.run_once()
    time.pass_time(1)
    assert await worker.run_once() == 0  # not due yet
    time.pass_time(1)
    await worker.run_once()

    [sent] = await outbox(fake_uow_factory)
    assert sender.sent == [(0, "a"), (2, "a")]
    assert (sent.status, sent.attempts, sent.sent_at) == (
        DeliveryStatus.SENT,
        2,
        START + timedelta(seconds=2),
    )


async def test_messages_for_a_platform_without_a_sender_are_left_to_others(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("t"), message("s", platform="slack"))
    telegram = RecordingSender(time)
    slack = RecordingSender(time)
    limits = FAST | {"slack": RateLimit(1000, 0)}

    claimed = await dispatcher(fake_uow_factory, time, {"telegram": telegram}).run_once()
    waiting = await by_key(fake_uow_factory)
    # Not leased either: a dispatcher with a Slack sender takes it at once.
    await dispatcher(fake_uow_factory, time, {"slack": slack}, limits=limits).run_once()

    assert claimed == 1
    assert (waiting["s"].status, waiting["s"].attempts) == (DeliveryStatus.PENDING, 0)
    assert (telegram.keys, slack.keys) == (["t"], ["s"])


def test_a_sender_needs_a_rate_limit_for_its_platform(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    with pytest.raises(ValueError, match="no rate limit for platform"):
        Dispatcher(fake_uow_factory, {"sms": RecordingSender(time)}, time, worker="w1")
