"""The dispatcher on the fakes, on a fake clock: each platform's rate limits and each recipient's
spacing, and the order it interleaves recipients in."""

from __future__ import annotations

import itertools
import random
from datetime import timedelta

from routine.outbox import DeliveryResult
from scheduler.dispatcher import DEFAULT_LIMITS, RateLimit, interleave_recipients
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import (
    FakeTime,
    RecordingSender,
    dispatcher,
    fill_outbox,
    message,
)

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
