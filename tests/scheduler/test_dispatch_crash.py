"""Kill a dispatcher with SIGKILL in the middle of 2,000 messages, start another: nothing is lost,
and at most the one message in flight at the kill goes out twice. On SQLite and PostgreSQL.

The dispatcher runs as a real process (`dispatch_worker.py`) on real storage; its sender POSTs
each key to a recorder on 127.0.0.1, which is the test's view of what was sent.
"""

from __future__ import annotations

import asyncio
import dataclasses
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from routine.outbox import DeliveryStatus
from tests.conftest import sql_uow_factory
from tests.scheduler.support import fill_outbox, message, outbox

WORKER_SCRIPT = Path(__file__).with_name("dispatch_worker.py")
ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 2000
KILL_AFTER = 300
# 400 a second: quick, yet slow enough that the kill lands in the middle of the run.
PER_SECOND = 400
LEASE_SECONDS = 2


class Recorder(ThreadingHTTPServer):
    """Remembers the body of every POST: the keys the dispatcher sent, in order."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), RecordKey)
        self.keys: list[str] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/sent"

    def seen(self) -> list[str]:
        with self.lock:
            return list(self.keys)


class RecordKey(BaseHTTPRequestHandler):
    server: Recorder

    def do_POST(self) -> None:
        key = self.rfile.read(int(self.headers["Content-Length"])).decode()
        with self.server.lock:
            self.server.keys.append(key)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per message would drown the test's output


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def start_worker(url: str, recorder: Recorder, worker: str, log: Path) -> subprocess.Popen:
    command = [sys.executable, str(WORKER_SCRIPT), url, recorder.url, "--worker", worker]
    options = ["--lease", str(LEASE_SECONDS), "--per-second", str(PER_SECOND)]
    with log.open("w") as output:
        return subprocess.Popen(
            [*command, *options], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT
        )


async def wait_until(
    condition: Callable[[], object], *, timeout: float, what: str, every: float = 0.01
) -> None:
    deadline = time.monotonic() + timeout
    while not await _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        await asyncio.sleep(every)


async def _holds(condition: Callable[[], object]) -> bool:
    result = condition()
    if asyncio.iscoroutine(result):
        result = await result
    return bool(result)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
    process.wait(timeout=10)


async def test_a_killed_dispatcher_loses_nothing_and_repeats_at_most_one_message(
    migrated_database_url: str, recorder: Recorder, tmp_path: Path
) -> None:
    keys = [f"crash:{n:04}" for n in range(MESSAGES)]
    async with sql_uow_factory(migrated_database_url) as uow_factory:
        # Created now: the worker's clock is the wall clock, and retries stop a day after.
        now = datetime.now(UTC)
        await fill_outbox(
            uow_factory, *(dataclasses.replace(message(key), created_at=now) for key in keys)
        )

        async def all_sent() -> bool:
            async with uow_factory() as uow:
                return len(await uow.outbox.list(status=DeliveryStatus.SENT)) == MESSAGES

        first = start_worker(migrated_database_url, recorder, "first", tmp_path / "first.log")
        try:
            await wait_until(
                lambda: len(recorder.seen()) >= KILL_AFTER, timeout=20, what="the first sends"
            )
        finally:
            first.kill()
            first.wait(timeout=10)
        seen_at_kill = len(recorder.seen())

        second = start_worker(migrated_database_url, recorder, "second", tmp_path / "second.log")
        try:
            await wait_until(
                lambda: len(set(recorder.seen())) == MESSAGES,
                # Generous: a loaded 2-core machine needs longer; a lost message never comes.
                timeout=90,
                what="every key at the recorder",
            )
            # Then the last outcomes recorded; asked seldom, so as not to hold up the writer.
            await wait_until(all_sent, timeout=30, what="every message stored as sent", every=0.2)
        finally:
            stop(second)
        stored = await outbox(uow_factory)

    sends = Counter(recorder.seen())
    assert (first.returncode, second.returncode) == (-9, 0), (tmp_path / "second.log").read_text()
    assert KILL_AFTER <= seen_at_kill < MESSAGES  # killed in the middle, not after the end
    assert sorted(sends) == keys
    assert Counter(m.status for m in stored) == {DeliveryStatus.SENT: MESSAGES}
    assert [count for count in sends.values() if count > 1] in ([], [2])
