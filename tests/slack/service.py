"""`narvaro run` as a real process with Slack on, talking to the fake Slack Web API, and taking
Slack's signed requests on its HTTP server. The database is prepared as for Telegram's tests:
the three demo schools, whose staff have Slack user ids."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bot.process import MONDAY_MORNING
from tests.slack.fake_slack_api import FakeSlackApi
from tests.slack.signing import SIGNING_SECRET
from tests.telegram.service import Service, load_demo_schools, module_database, running_narvaro


@dataclass
class SlackService:
    api: FakeSlackApi
    port: int
    database: Service  # for the database helpers (queue, outbox) shared with Telegram's tests

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def events_url(self) -> str:
        return f"{self.url}/slack/events"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_slack_service(
    database: str,
    api: FakeSlackApi,
    folder: Path,
    *,
    fixed_time: str | None = MONDAY_MORNING,
    socket_mode: bool = False,
) -> Iterator[SlackService]:
    """`narvaro run` until the block ends; then SIGTERM, and it must stop cleanly. With
    `fixed_time` None the clock runs: a retry's time then comes, as it never does at a fixed
    moment. With `socket_mode` it has the app-level token and no signing secret."""
    port = free_port()
    environment = {
        "NARVARO_DATABASE_URL": database,
        "NARVARO_SLACK_BOT_TOKEN": api.token,
        "NARVARO_SLACK_API_URL": api.url,
        "NARVARO_HTTP_PORT": str(port),
        "NARVARO_LOG_LEVEL": "INFO",
    }
    if socket_mode:
        environment["NARVARO_SLACK_APP_TOKEN"] = api.app_token
    else:
        environment["NARVARO_SLACK_SIGNING_SECRET"] = SIGNING_SECRET
    if fixed_time is not None:
        environment["NARVARO_FIXED_TIME"] = fixed_time
    hidden = [api.token, api.app_token, SIGNING_SECRET]
    # No scheduler: its jobs would write to the demo staff while the tests do. Service gives
    # the log waiting and the database helpers; its `api` is the Slack one here.
    with running_narvaro(
        api,
        database,
        folder,
        environment,
        ["run", "--no-scheduler"],
        hidden=hidden,
        quiet=socket_mode,
    ) as helper:
        yield SlackService(api, port, helper)


@contextmanager
def demo_slack_service(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    *prepare: Callable[[str], Awaitable[None]],
) -> Iterator[SlackService]:
    """For a module's fixture over BACKENDS: the demo schools on `request.param`'s database,
    then each of `prepare` on it, and `narvaro run` with Slack on it until the block ends."""
    folder = tmp_path_factory.mktemp(f"slack-{name}-{request.param}")
    with module_database(request, request.param, folder) as database:
        asyncio.run(load_demo_schools(database))
        for step in prepare:
            asyncio.run(step(database))
        with (
            FakeSlackApi().running() as api,
            running_slack_service(database, api, folder) as running,
        ):
            yield running
