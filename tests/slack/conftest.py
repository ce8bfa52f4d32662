"""Fixtures for the Slack channel's tests: a fake Slack Web API, and a real client for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.slack.fake_slack_api import FakeSlackApi


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi().running() as fake:
        yield fake


@pytest.fixture
async def slack_client(slack_api: FakeSlackApi) -> AsyncIterator[AsyncWebClient]:
    client = AsyncWebClient(token=slack_api.token, base_url=slack_api.url)
    yield client
