"""Fixtures for the Telegram channel's tests: a fake Bot API, and a real PTB bot talking to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from telegram import Bot

import bot.telegram  # noqa: F401  (opts in to PTB's timedelta periods before a bot exists)
from tests.telegram.fake_bot_api import FakeBotApi


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi().running() as fake:
        yield fake


@pytest.fixture
async def telegram_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    bot = Bot(api.token, base_url=f"{api.url}/bot", base_file_url=f"{api.url}/file/bot")
    async with bot:
        yield bot
