"""`GET /metrics` as Prometheus scrapes it, over HTTP on 127.0.0.1: the outbox counted in the
database, sends and their failures, job runs and their time, on the app's own registry."""

from __future__ import annotations

from datetime import date, time

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.exc import OperationalError

from bot import bootstrap
from bot.http import HttpServer, metrics_handler
from bot.settings import Settings
from routine.outbox import DeliveryResult, DeliveryStatus
from scheduler.clock import run_job
from scheduler.dispatcher import Dispatcher, RateLimit
from scheduler.jobs import JOBS, Job, JobContext, JobResult
from scheduler.metrics import Metrics
from tests.scheduler.support import (
    SCHOOL,
    START,
    FakeTime,
    RecordingSender,
    fill_outbox,
    message,
)

FAST = RateLimit(per_second=1000, per_recipient_interval=0)


async def scrape(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the page, by name and labels."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def failing_job(_context: JobContext, _school_key: str, _day: date) -> JobResult:
    raise RuntimeError("the database went away")


async def test_metrics_show_the_outbox_sends_and_jobs(migrated_database_url: str) -> None:
    # The clock stands when the messages were made: they are well within their retry time.
    settings = Settings(
        database_url=migrated_database_url, http_host="127.0.0.1", http_port=0, fixed_time=START
    )
    app = await bootstrap.build(settings)
    http = bootstrap.http_server(settings, app)
    await http.start()
    try:
        await fill_outbox(
            app.uow_factory,
            message("a"),
            message("b"),
            message("c", platform="slack"),
            message("d", platform="slack"),
        )
        # Slack asks to try again each time: two sends, two failures.
        fake = FakeTime()
        slack = RecordingSender(fake, lambda _m: DeliveryResult.retry("ratelimited"))
        dispatcher = Dispatcher(
            app.uow_factory,
            {"telegram": RecordingSender(fake), "slack": slack},
            app.clock,
            worker="w1",
            limits={
                "telegram": FAST,
                "slack": RateLimit(per_second=1000, per_recipient_interval=0),
            },
            metrics=app.metrics,
        )
        await dispatcher.run_once()
        await run_job(app.job_context, JOBS["retention"], SCHOOL, date(2026, 11, 23))
        boom = Job("boom", lambda _school: time(3, 0), False, failing_job)
        with pytest.raises(RuntimeError):
            await run_job(app.job_context, boom, SCHOOL, date(2026, 11, 23))

        samples = await scrape(f"http://127.0.0.1:{http.port}/metrics")
    finally:
        await http.stop()
        await app.close()

    def value(name: str, **labels: str) -> float | None:
        return samples.get((name, tuple(sorted(labels.items()))))

    assert value("narvaro_outbox_messages", status="sent", platform="telegram") == 2
    assert value("narvaro_outbox_messages", status="pending", platform="telegram") == 0
    assert value("narvaro_outbox_messages", status="pending", platform="slack") == 2
    assert value("narvaro_send_seconds_count", platform="telegram") == 2
    assert value("narvaro_send_seconds_count", platform="slack") == 2
    assert value("narvaro_send_failures_total", platform="slack") == 2
    assert value("narvaro_send_failures_total", platform="telegram") is None
    assert value("narvaro_job_runs_total", job="retention", outcome="ok") == 1
    assert value("narvaro_job_runs_total", job="boom", outcome="error") == 1
    assert value("narvaro_job_seconds_count", job="retention") == 1
    assert (value("narvaro_job_seconds_sum", job="retention") or 0) > 0


async def test_each_app_counts_on_its_own_registry(migrated_sqlite_url: str) -> None:
    settings = Settings(database_url=migrated_sqlite_url)
    first, second = await bootstrap.build(settings), await bootstrap.build(settings)
    try:
        first.metrics.update_handled("telegram", 0.01)

        def updates(app: bootstrap.App) -> float | None:
            return app.metrics.registry.get_sample_value(
                "narvaro_updates_total", {"platform": "telegram"}
            )

        assert (updates(first), updates(second)) == (1, None)
    finally:
        await first.close()
        await second.close()


class DatabaseAway:
    """A unit-of-work factory whose database does not answer."""

    def __call__(self) -> DatabaseAway:
        return self

    async def __aenter__(self) -> DatabaseAway:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    async def __aexit__(self, *_exc: object) -> None:
        return None


async def test_without_the_database_the_process_metrics_are_still_served() -> None:
    metrics = Metrics()
    metrics.exposition({(DeliveryStatus.PENDING, "slack"): 3})  # an earlier scrape
    metrics.update_handled("slack", 0.2)
    http = HttpServer("127.0.0.1", 0)
    http.add_route("GET", bootstrap.METRICS_PATH, metrics_handler(metrics, DatabaseAway()))
    await http.start()
    try:
        samples = await scrape(f"http://127.0.0.1:{http.port}/metrics")
    finally:
        await http.stop()

    assert samples[("narvaro_updates_total", (("platform", "slack"),))] == 1
    # No stale outbox counts: the gauge is left out until the database answers again.
    assert not [name for name, _labels in samples if name == "narvaro_outbox_messages"]
