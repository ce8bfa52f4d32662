"""A retried Slack event is handled once, even when the retry reaches another process: the event
ids are kept in the database every process shares."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.bootstrap import FixedClock
from bot.http import HttpServer
from bot.slack.app import SlackChannel, build_app
from bot.slack.dedupe import OncePerEvent
from dialogs.events import Incoming, Reply
from tests.conftest import sql_uow_factory
from tests.fakes import FakeUnitOfWorkFactory
from tests.slack.fake_slack_api import TEAM, FakeSlackApi
from tests.slack.signing import (
    SIGNING_SECRET,
    event_body,
    interaction_body,
    post,
    signed_headers,
)

NOW = datetime.fromisoformat("2026-11-23T08:30:00+01:00")


@dataclass
class CountingDialogs:
    seen: list[Incoming] = field(default_factory=list)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return [Reply("Meny")]


# Two processes behind one URL, each with its own connections to the shared database


@dataclass
class Processes:
    urls: list[str]
    channels: list[SlackChannel]
    dialogs: CountingDialogs

    async def finish(self) -> None:
        """Wait for the work after every acknowledgement."""
        for channel in self.channels:
            await channel.stop()


@pytest.fixture
async def two_processes(
    migrated_database_url: str, slack_api: FakeSlackApi
) -> AsyncIterator[Processes]:
    running = Processes([], [], CountingDialogs())
    async with AsyncExitStack() as stack:
        for _ in range(2):
            factory = await stack.enter_async_context(sql_uow_factory(migrated_database_url))
            once = OncePerEvent(factory, FixedClock(NOW))
            app = build_app(slack_api.token, SIGNING_SECRET, slack_api.url)
            channel = SlackChannel(
                app,
                running.dialogs,
                api_url=slack_api.url,
                signing_secret=SIGNING_SECRET,
                once=once,
            )
            http = HttpServer("127.0.0.1", 0)
            channel.mount(http)
            await channel.start()
            await http.start()
            stack.push_async_callback(channel.stop)
            stack.push_async_callback(http.stop)
            running.urls.append(f"http://127.0.0.1:{http.port}/slack/events")
            running.channels.append(channel)
        yield running


async def test_a_retry_reaching_another_process_is_not_handled_again(
    two_processes: Processes, slack_api: FakeSlackApi
) -> None:
    first, second = two_processes.urls
    event = {"type": "message", "channel_type": "im", "user": "U1", "text": "hej", "ts": "1.0"}
    body, content_type = event_body(event, team=TEAM, event_id="EvRETRIED")
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

    statuses = [
        (await asyncio.to_thread(post, first, body, content_type))[0],
        (await asyncio.to_thread(post, second, body, content_type, headers=retry))[0],
    ]
    other, _ = event_body(event | {"text": "meny"}, team=TEAM, event_id="EvOTHER")
    statuses.append((await asyncio.to_thread(post, second, other, content_type))[0])
    await two_processes.finish()

    assert statuses == [200, 200, 200]  # the retry is acknowledged, so Slack stops retrying
    assert [incoming.text for incoming in two_processes.dialogs.seen] == ["hej", "meny"]
    assert len(slack_api.posted) == 2


async def test_copies_of_a_signed_button_press_reaching_two_processes_are_handled_once(
    two_processes: Processes,
) -> None:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": "U1"},
        "trigger_id": "trigger-1",
        "container": {"type": "message", "channel_id": "D1", "message_ts": "1.0"},
        "actions": [{"action_id": "1.0", "value": "1.0", "action_ts": "1764000000.1"}],
    }
    body, content_type = interaction_body(payload)
    signed = signed_headers(body)
    statuses = [
        (await asyncio.to_thread(post, url, body, content_type, headers=signed))[0]
        for url in two_processes.urls * 3
    ]
    await two_processes.finish()
    assert statuses == [200] * 6
    assert [incoming.button for incoming in two_processes.dialogs.seen] == ["1.0"]


# What is remembered, and for how long


def old_id(factory: FakeUnitOfWorkFactory, event_id: str) -> None:
    factory.store.slack_events[event_id] = NOW - timedelta(hours=2)


async def test_ids_are_forgotten_after_an_hour_by_a_sweep_at_most_every_ten_minutes() -> None:
    factory = FakeUnitOfWorkFactory()
    clock = FixedClock(NOW)
    once = OncePerEvent(factory, clock)
    old_id(factory, "EvOLD1")
    assert await once.first_time("Ev1")
    assert "EvOLD1" not in factory.store.slack_events  # the first event sweeps

    old_id(factory, "EvOLD2")
    clock.moment = NOW + timedelta(minutes=9)
    assert await once.first_time("Ev2")
    assert "EvOLD2" in factory.store.slack_events

    clock.moment = NOW + timedelta(minutes=10)
    assert await once.first_time("Ev3")
    assert sorted(factory.store.slack_events) == ["Ev1", "Ev2", "Ev3"]


async def test_an_id_seen_by_another_process_is_not_new() -> None:
    factory = FakeUnitOfWorkFactory()
    here, there = OncePerEvent(factory, FixedClock(NOW)), OncePerEvent(factory, FixedClock(NOW))
    assert [await here.first_time("Ev1"), await there.first_time("Ev1")] == [True, False]
    assert await here.first_time("Ev1") is False


async def test_without_a_database_the_process_remembers_on_its_own() -> None:
    once = OncePerEvent()
    assert [await once.first_time("Ev1"), await once.first_time("Ev1")] == [True, False]


# The database unavailable: the event is handled (at least once), and the log says so


class UnavailableUnitOfWork:
    async def __aenter__(self) -> Any:
        raise ConnectionRefusedError("connection refused")

    async def __aexit__(self, *_exc: object) -> None:
        return None


class HangingEvents:
    async def first_time(self, event_id: str, now: datetime) -> bool:
        await asyncio.Event().wait()
        raise AssertionError("never answers")

    async def delete_seen_before(self, moment: datetime) -> int:
        return 0


class HangingUnitOfWork(UnavailableUnitOfWork):
    slack_events = HangingEvents()

    async def __aenter__(self) -> Any:
        return self


async def test_an_unreachable_database_lets_the_event_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    once = OncePerEvent(UnavailableUnitOfWork, FixedClock(NOW))  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="bot.slack.dedupe"):
        assert await once.first_time("EvLOST") is True
    assert "EvLOST" in caplog.text and "ConnectionRefusedError" in caplog.text
    # The retry to this process is still recognised.
    assert await once.first_time("EvLOST") is False


async def test_a_database_slower_than_slacks_patience_lets_the_event_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    once = OncePerEvent(
        HangingUnitOfWork,  # type: ignore[arg-type]
        FixedClock(NOW),
        patience_seconds=0.05,
    )
    with caplog.at_level(logging.WARNING, logger="bot.slack.dedupe"):
        assert await asyncio.wait_for(once.first_time("EvSLOW"), timeout=5) is True
    assert "EvSLOW" in caplog.text and "TimeoutError" in caplog.text
