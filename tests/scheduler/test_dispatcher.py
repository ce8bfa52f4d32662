"""The dispatcher on the fakes, on a fake clock: outcomes, backoff, rate limits, leases."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import random
from collections import Counter
from datetime import timedelta

import pytest

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage, RetryPolicy
from scheduler.dispatcher import DEFAULT_LIMITS, Dispatcher, RateLimit, interleave_recipients
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import (
    START,
    FakeTime,
    RecordingSender,
    by_key,
    fill_outbox,
    message,
    outbox,
)

FAST = {"telegram": RateLimit(per_second=1000, per_recipient_interval=0)}


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def dispatcher(
    uow_factory: FakeUnitOfWorkFactory, time: FakeTime, senders: dict, **options: object
) -> Dispatcher:
    values: dict = {"worker": "w1", "limits": FAST} | options
    return Dispatcher(
        uow_factory, senders, time, sleep=time.sleep, monotonic=time.monotonic, **values
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


# Rate limits


def test_the_default_limits_follow_the_platforms_documentation() -> None:
    assert dict(DEFAULT_LIMITS) == {
        "telegram": RateLimit(per_second=30, per_recipient_interval=1.0),
        "slack": RateLimit(per_second=20, per_recipient_interval=1.0),
    }


async def test_a_platforms_sends_are_spaced_to_its_rate(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, *(message(str(n)) for n in range(6)))
    sender = RecordingSender(time)
    limits = {"telegram": RateLimit(per_second=4, per_recipient_interval=1.0)}

    await dispatcher(fake_uow_factory, time, {"telegram": sender}, limits=limits).run_once()

    assert sender.sent == [(0, "0"), (0.25, "1"), (0.5, "2"), (0.75, "3"), (1, "4"), (1.25, "5")]


async def test_one_recipients_messages_are_a_second_apart_while_others_go_between(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(
        fake_uow_factory,
        message("a1", "anna"),
        message("a2", "anna"),
        message("a3", "anna"),
        message("b1", "bo"),
        message("c1", "cecilia"),
    )
    sender = RecordingSender(time)
    limits = {"telegram": RateLimit(per_second=4, per_recipient_interval=1.0)}

    worker = dispatcher(fake_uow_factory, time, {"telegram": sender}, limits=limits)
    while await worker.run_once():
        pass

    assert sender.sent == [(0, "a1"), (0.25, "b1"), (0.5, "c1"), (1, "a2"), (2, "a3")]


async def test_many_messages_keep_both_limits(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    shuffled = random.Random(7)
    recipients = [shuffled.choice("abcdefgh") for _ in range(120)]
    await fill_outbox(fake_uow_factory, *(message(f"m{n}", r) for n, r in enumerate(recipients)))
    sender = RecordingSender(time)
    # A rate whose spacing (0.25 s) floats hold exactly, so the windows count exactly.
    limits = {"telegram": RateLimit(per_second=4, per_recipient_interval=1.0)}
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender}, limits=limits, batch=40)

    while await worker.run_once():
        pass

    recipient_of = dict(zip((f"m{n}" for n in range(120)), recipients, strict=True))
    moments = [moment for moment, _ in sender.sent]
    assert sorted(sender.keys) == sorted(recipient_of)
    assert max(sends_within_a_second(moments)) == 4
    assert min(gaps_between_sends_to_one_recipient(sender.sent, recipient_of)) == 1


def gaps_between_sends_to_one_recipient(
    sent: list[tuple[float, str]], recipient_of: dict[str, str]
) -> list[float]:
    gaps = []
    for recipient in set(recipient_of.values()):
        theirs = [moment for moment, key in sent if recipient_of[key] == recipient]
        gaps.extend(later - earlier for earlier, later in itertools.pairwise(theirs))
    return gaps


def sends_within_a_second(moments: list[float]) -> list[int]:
    """For each send, how many sends fall in the second that starts with it."""
    return [sum(start <= m < start + 1 for m in moments) for start in moments]


async def test_a_retry_after_pauses_the_whole_platform(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    await fill_outbox(fake_uow_factory, message("a"), message("b"), message("c"))
    flood = DeliveryResult.retry("429 Too Many Requests", after=timedelta(seconds=7))
    sender = RecordingSender(time, lambda m: flood if m.key == "a" else DeliveryResult.ok())
    limits = {"telegram": RateLimit(per_second=4, per_recipient_interval=1.0)}

    await dispatcher(
        fake_uow_factory, time, {"telegram": sender}, limits=limits, lease=timedelta(minutes=1)
    ).run_once()

    assert sender.sent == [(0, "a"), (7, "b"), (7.25, "c")]
    assert time.sleeps == [7, 0.25]


def test_interleaving_keeps_each_recipients_order() -> None:
    messages = [message("a1", "a"), message("a2", "a"), message("b1", "b"), message("a3", "a")]
    messages.append(message("a-on-slack", "a", platform="slack"))

    interleaved = interleave_recipients(messages)

    assert [m.key for m in interleaved] == ["a1", "b1", "a-on-slack", "a2", "a3"]


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


# Versions of one message on screen (slots)


def version(key: str, text: str) -> OutboxMessage:
    return dataclasses.replace(message(key, recipient="chat-mentor"), text=text, slot="summary:7A")


def posted_or_edited(sent: OutboxMessage) -> DeliveryResult:
    """As the Slack sender answers: an edit keeps the edited message's ref."""
    return DeliveryResult.ok(ref=sent.replaces or f"posted-{sent.key}")


async def test_a_later_version_edits_the_delivered_one(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    sender = RecordingSender(time, posted_or_edited)
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})
    await fill_outbox(fake_uow_factory, version("v1", "1 of 25"))
    await worker.run_once()

    await fill_outbox(fake_uow_factory, version("v2", "2 of 25"))
    await worker.run_once()

    assert [(m.key, m.text, m.replaces) for m in sender.messages] == [
        ("v1", "1 of 25", ""),
        ("v2", "2 of 25", "posted-v1"),
    ]
    stored = await by_key(fake_uow_factory)
    assert [(m.status, m.ref, m.replaces) for m in stored.values()] == [
        (DeliveryStatus.SENT, "posted-v1", ""),
        (DeliveryStatus.SENT, "posted-v1", ""),
    ]


async def test_messages_without_a_slot_edit_nothing(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    sender = RecordingSender(time, posted_or_edited)
    await fill_outbox(fake_uow_factory, message("a", "chat-1"), message("b", "chat-1"))

    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})
    while await worker.run_once():
        pass

    assert [(m.key, m.replaces) for m in sender.messages] == [("a", ""), ("b", "")]
    assert [m.ref for m in await outbox(fake_uow_factory)] == ["posted-a", "posted-b"]


class UpdatedWhileSending(RecordingSender):
    """While the first version is being sent, the job adds a second one."""

    def __init__(self, time: FakeTime, uow_factory: FakeUnitOfWorkFactory, answer) -> None:
        super().__init__(time, answer)
        self.uow_factory = uow_factory

    async def send(self, message: OutboxMessage) -> DeliveryResult:
        if message.key == "v1":
            await fill_outbox(self.uow_factory, version("v2", "2 of 25"))
        return await super().send(message)


async def test_a_version_added_while_the_last_is_sent_edits_it(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    sender = UpdatedWhileSending(time, fake_uow_factory, posted_or_edited)
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})
    await fill_outbox(fake_uow_factory, version("v1", "1 of 25"))

    await worker.run_once()
    await worker.run_once()

    assert [(m.key, m.replaces) for m in sender.messages] == [("v1", ""), ("v2", "posted-v1")]


async def test_a_version_to_retry_gives_way_to_one_added_while_it_was_sent(
    fake_uow_factory: FakeUnitOfWorkFactory, time: FakeTime
) -> None:
    def busy_then_fine(sent: OutboxMessage) -> DeliveryResult:
        if sent.key == "v1":
            return DeliveryResult.retry("ratelimited", after=timedelta(seconds=1))
        return posted_or_edited(sent)

    sender = UpdatedWhileSending(time, fake_uow_factory, busy_then_fine)
    worker = dispatcher(fake_uow_factory, time, {"telegram": sender})
    await fill_outbox(fake_uow_factory, version("v1", "1 of 25"))

    await worker.run_once()
    time.pass_time(60)
    await worker.run_once()
    time.pass_time(60)
    await worker.run_once()

    # The older version, once due again, would otherwise overwrite the newer one on screen.
    assert [(m.key, m.replaces) for m in sender.messages] == [("v1", ""), ("v2", "")]
    stored = await by_key(fake_uow_factory)
    assert (stored["v1"].status, stored["v2"].status) == (
        DeliveryStatus.SUPERSEDED,
        DeliveryStatus.SENT,
    )
