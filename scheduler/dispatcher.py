"""The dispatcher: claims pending outbox messages, sends them within the platforms' limits, and
records each outcome.

Delivery is at least once. A batch is claimed (leased to this worker) in one unit of work; each
message is then sent and its outcome recorded in a unit of work of its own. So a worker that dies
loses at most the message it was sending: that one went out but was not recorded, and is sent
again once its lease runs out. Everything else it had claimed is simply claimed again, the
next batch too: a full batch claims it while its own last messages go out (`CLAIM_AHEAD`), so
that the sends need not wait for the claim.

Several dispatchers may work on one database: a claim never hands a leased message to another
worker. To keep it that way, a batch starts no send after half its lease has passed, so the last
send ends before another worker could take the message.

A message in a slot edits the version of it last delivered: the sender is told which one
(`OutboxMessage.replaces`), and reports the platform's id of what it delivered, which is kept for
the next version.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage, RetryPolicy
from routine.ports import Clock, Sender, UnitOfWork, UnitOfWorkFactory
from scheduler.metrics import Metrics
from scheduler.outcomes import after_delivery
from scheduler.rate_limits import DEFAULT_LIMITS, Monotonic, Pacer, RateLimit, Sleep, Turn

__all__ = ["DEFAULT_LIMITS", "DEFAULT_RETRY", "Dispatcher", "RateLimit"]

logger = logging.getLogger(__name__)

DEFAULT_RETRY = RetryPolicy()

# The share of the lease in which a batch may start sends; the rest is for the last to finish.
SENDING_SHARE_OF_LEASE = 0.5
# A full batch claims the next one when this many of its messages are left to send.
CLAIM_AHEAD = 10


# Called in the unit of work that records a message as undeliverable for good, so that what
# follows from it (e.g. telling a mentor to phone instead) is stored with it.
OnUnreachable = Callable[[UnitOfWork, OutboxMessage, datetime], Awaitable[object]]


class Dispatcher:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        senders: Mapping[str, Sender],
        clock: Clock,
        *,
        worker: str,
        retry: RetryPolicy = DEFAULT_RETRY,
        limits: Mapping[str, RateLimit] | None = None,
        batch: int = 50,
        lease: timedelta = timedelta(minutes=2),
        sleep: Sleep = asyncio.sleep,
        monotonic: Monotonic = time.monotonic,
        on_unreachable: OnUnreachable | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        """`senders` by platform: messages for other platforms are left alone, for a dispatcher
        that has their sender. `limits` replace the `DEFAULT_LIMITS` of their platforms."""
        limits = {**DEFAULT_LIMITS, **(limits or {})}
        unlimited = sorted(set(senders) - set(limits))
        if unlimited:
            raise ValueError(f"no rate limit for platform(s) {', '.join(unlimited)}: give one")
        self._uow_factory = uow_factory
        self._senders = dict(senders)
        self._clock = clock
        self._worker = worker
        self._retry = retry
        self._batch = batch
        self._lease = lease
        self._sleep = sleep
        self._on_unreachable = on_unreachable
        self._metrics = metrics or Metrics()
        self._claiming: asyncio.Future[tuple[datetime, list[OutboxMessage]]] | None = None
        self._pacers = {
            platform: Pacer(limits[platform], monotonic=monotonic, sleep=sleep)
            for platform in senders
        }

    async def run(self, stop: asyncio.Event, *, idle: float = 1.0) -> None:
        """Dispatch until `stop` is set, resting `idle` seconds whenever nothing was pending."""
        while not stop.is_set():
            try:
                claimed = await self.run_once()
            except Exception:
                # The database may be away for a moment; what was claimed is claimed again.
                logger.exception("dispatching the outbox failed; trying again in %s s", idle)
                claimed = 0
            if claimed == 0 and not stop.is_set():
                await self._sleep(idle)
        await self.close()

    async def run_once(self) -> int:
        """Claim one batch and deliver it; how many messages were claimed.

        A full batch claims the next one while its last messages are sent (`CLAIM_AHEAD`), so
        that the sends go on without waiting for the claim; the next call delivers that one."""
        claimed_at, messages = await self._next_batch()
        start_sends_before = claimed_at + self._lease * SENDING_SHARE_OF_LEASE
        ordered = interleave_recipients(messages)
        # The last send's outcome, being recorded while the next turn is awaited and the next
        # message made ready; it is stored before the next send starts, so that a crash still
        # loses only the message being sent.
        recording: Recording | None = None
        try:
            for position, message in enumerate(ordered):
                if len(ordered) - position == CLAIM_AHEAD and len(messages) == self._batch:
                    self._claiming = asyncio.ensure_future(self._claim())
                turn = await self._pacers[message.platform].wait_turn(message.recipient)
                if self._clock.now() >= start_sends_before:
                    # The rest are claimed again when the lease runs out: by us, or by another.
                    turn.answered()
                    break
                recording = await self._deliver(message, turn, recording)
        finally:
            if recording is not None:
                await recording.stored
        return len(messages)

    async def _next_batch(self) -> tuple[datetime, list[OutboxMessage]]:
        claiming, self._claiming = self._claiming, None
        if claiming is not None:
            return await claiming
        return await self._claim()

    async def _claim(self) -> tuple[datetime, list[OutboxMessage]]:
        claimed_at = self._clock.now()
        async with self._uow_factory() as uow:
            messages = await uow.outbox.claim(
                now=claimed_at,
                limit=self._batch,
                lease=self._lease,
                worker=self._worker,
                platforms=sorted(self._senders),
            )
            await uow.commit()
        return claimed_at, messages

    async def close(self) -> None:
        """Let go of a batch being claimed ahead. (If its claim was already stored, the
        messages are claimed again, by any worker, once the lease runs out.)"""
        claiming, self._claiming = self._claiming, None
        if claiming is not None:
            claiming.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await claiming

    async def _deliver(
        self, message: OutboxMessage, turn: Turn, recording: Recording | None
    ) -> Recording:
        """Send the message once the last outcome is stored; its own outcome's recording."""
        try:
            if recording is not None and recording.slot == _slot(message):
                # That was a version of this message: its platform id is needed now.
                await recording.stored
            ready = await self._with_replaced_ref(message)
            if recording is not None:
                await recording.stored
            result = await self._send(ready)
        finally:
            turn.answered()
        if result.retry_after is not None:
            self._pacers[message.platform].pause(result.retry_after.total_seconds())
        outcome = after_delivery(message, result, now=self._clock.now(), retry=self._retry)
        return Recording(_slot(message), asyncio.ensure_future(self._record(outcome, result)))

    async def _record(self, outcome: OutboxMessage, result: DeliveryResult) -> None:
        async with self._uow_factory() as uow:
            await uow.outbox.record(outcome)
            if result.unreachable and self._on_unreachable is not None:
                await self._on_unreachable(uow, outcome, self._clock.now())
            await uow.commit()
        if outcome.status is DeliveryStatus.FAILED:
            # Ids and kinds only: the text and the recipient are personal data.
            logger.warning(
                "outbox message %s (%s on %s) failed after %d attempt(s): %s",
                outcome.id,
                outcome.kind,
                outcome.platform,
                outcome.attempts,
                outcome.last_error,
            )

    async def _with_replaced_ref(self, message: OutboxMessage) -> OutboxMessage:
        """The message, told which delivered version of it to edit, if any. Looked up just
        before sending: the version before may have gone out since the batch was claimed."""
        if not message.slot:
            return message
        async with self._uow_factory() as uow:
            ref = await uow.outbox.slot_ref(message.platform, message.recipient, message.slot)
        return dataclasses.replace(message, replaces=ref)

    async def _send(self, message: OutboxMessage) -> DeliveryResult:
        start = time.perf_counter()
        try:
            result = await self._senders[message.platform].send(message)
        except Exception as error:
            # Senders report problems as results; one that raises anyway gets another try.
            logger.warning("the %s sender raised", message.platform, exc_info=True)
            result = DeliveryResult.retry(f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - start
        self._metrics.sent(message.platform, seconds, delivered=result.sent)
        return result


@dataclasses.dataclass(frozen=True)
class Recording:
    """A sent message's outcome on its way to the database."""

    slot: tuple[str, str, str] | None
    stored: asyncio.Future[None]


def _slot(message: OutboxMessage) -> tuple[str, str, str] | None:
    return (message.platform, message.recipient, message.slot) if message.slot else None


def interleave_recipients(messages: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Each recipient's first message, then each one's second, and so on: a recipient with many
    messages then waits out their own interval while others' messages go, instead of holding
    everyone up. One recipient's messages keep their order."""
    by_recipient: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
    for message in messages:
        by_recipient[(message.platform, message.recipient)].append(message)
    rounds = max(map(len, by_recipient.values()), default=0)
    return [
        queue[turn]
        for turn in range(rounds)
        for queue in by_recipient.values()
        if turn < len(queue)
    ]
