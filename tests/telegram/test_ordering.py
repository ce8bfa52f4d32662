"""One chat waiting (throttled, or pressing on) never holds up another chat's update."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.telegram.ordering import OneAtATimePerChat


def update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    message = Message(update_id, datetime(2026, 11, 23, tzinfo=UTC), chat, text="hej")
    return Update(update_id, message=message)


async def test_a_chat_waiting_its_turn_holds_no_slot_and_keeps_its_order() -> None:
    processor = OneAtATimePerChat(2, queued_per_chat=5)
    release = asyncio.Event()
    done: list[tuple[int, int]] = []

    async def handle(chat_id: int, n: int, *, block: bool = False) -> None:
        if block:
            await release.wait()  # the throttled chat: waiting out Telegram's retry_after
        done.append((chat_id, n))

    throttled = [
        asyncio.create_task(processor.process_update(update(n, 1), handle(1, n, block=n == 0)))
        for n in range(10)
    ]
    await asyncio.sleep(0.01)
    other = asyncio.create_task(processor.process_update(update(99, 2), handle(2, 0)))
    await asyncio.wait_for(other, timeout=1)
    assert done == [(2, 0)]  # at once, although chat 1 has more updates waiting than slots
    release.set()
    await asyncio.wait_for(asyncio.gather(*throttled), timeout=1)
    handled = [n for chat, n in done if chat == 1]
    assert handled == sorted(handled)  # in order
    assert 0 < len(handled) < 10  # the queue is bounded: a storm is not queued without end
