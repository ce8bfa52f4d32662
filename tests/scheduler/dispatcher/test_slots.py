"""The dispatcher on the fakes, on a fake clock: versions of one message on screen (slots) edit the
delivered one."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import (
    FakeTime,
    RecordingSender,
    by_key,
    dispatcher,
    fill_outbox,
    message,
    outbox,
)

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
