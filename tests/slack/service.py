"""`narvaro run` as a real process with Slack on, talking to the fake Slack Web API, and taking
Slack's signed requests on its HTTP server. The database is prepared as for Telegram's tests:
the three demo schools, whose staff have Slack user ids."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.bot.process import MONDAY_MORNING, NARVARO
from tests.slack.fake_slack_api import FakeSlackApi
from tests.slack.signing import SIGNING_SECRET
from tests.telegram.service import Service, wait_for_log


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
    database: str, api: FakeSlackApi, folder: Path, *, fixed_time: str | None = MONDAY_MORNING
) -> Iterator[SlackService]:
    """`narvaro run` until the block ends; then SIGTERM, and it must stop cleanly. With
    `fixed_time` None the clock runs: a retry's time then comes, as it never does at a fixed
    moment."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NARVARO_")}
    environment |= {
        "NARVARO_DATABASE_URL": database,
        "NARVARO_SLACK_BOT_TOKEN": api.token,
        "NARVARO_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "NARVARO_SLACK_API_URL": api.url,
        "NARVARO_HTTP_PORT": str(port),
        "NARVARO_LOG_LEVEL": "INFO",
    }
    if fixed_time is not None:
        environment["NARVARO_FIXED_TIME"] = fixed_time
    log = folder / "narvaro-run.log"
    with log.open("w") as output:
        # No scheduler: its jobs would write to the demo staff while the tests do.
        process = subprocess.Popen(
            [NARVARO, "run", "--no-scheduler"],
            cwd=folder,
            env=environment,
            text=True,
            stderr=output,
        )
    # Service gives us the log waiting and the database helpers; its `api` is unused here.
    helper = Service(api, database, log, process, folder)  # type: ignore[arg-type]

    try:
        wait_for_log(helper, "narvaro is running")
        yield SlackService(api, port, helper)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    written = helper.log_text()
    assert (code, "narvaro stopped" in written) == (0, True), written
    assert "Traceback" not in written, written
    assert api.token not in written, "the bot token must never reach the log"
    assert SIGNING_SECRET not in written
