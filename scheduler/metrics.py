"""The service's Prometheus metrics, which operators scrape at `GET /metrics`.

One `Metrics` per running app, on a registry of its own that the composition root builds (not
prometheus-client's global one, so that apps and tests do not count into each other). Labels
are platforms, job names, statuses and outcomes only: nothing personal ever becomes a label.
The dialog engine knows nothing of this; the chat adapters time the updates they hand it.
"""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from routine.outbox import DeliveryStatus

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry = registry or CollectorRegistry(auto_describe=True)
        self.outbox_messages = Gauge(
            "narvaro_outbox_messages",
            "Messages in the outbox by status and platform, counted when scraped.",
            ["status", "platform"],
            registry=registry,
        )
        self.send_seconds = Histogram(
            "narvaro_send_seconds",
            "How long a platform took to take (or refuse) one outbox message.",
            ["platform"],
            registry=registry,
        )
        self.send_failures = Counter(
            "narvaro_send_failures",
            "Sends that did not deliver: to be retried, or failed for good.",
            ["platform"],
            registry=registry,
        )
        self.job_seconds = Histogram(
            "narvaro_job_seconds",
            "How long one run of a daily job took: for one school, or for the schools due at "
            "the same minute run together.",
            ["job"],
            buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
            registry=registry,
        )
        self.job_runs = Counter(
            "narvaro_job_runs",
            "Runs of the daily jobs per school, by outcome (ok or error): a run together "
            "counts each of its schools.",
            ["job", "outcome"],
            registry=registry,
        )
        self.updates = Counter(
            "narvaro_updates",
            "Messages, button presses and forms from people, handled by the dialogs.",
            ["platform"],
            registry=registry,
        )
        self.update_seconds = Histogram(
            "narvaro_update_seconds",
            "How long handling one update took, from its arrival to the replies being sent.",
            ["platform"],
            registry=registry,
        )
        # Platforms once seen keep a line per status, at 0 when none are left.
        self._platforms: set[str] = set()

    def sent(self, platform: str, seconds: float, *, delivered: bool) -> None:
        self.send_seconds.labels(platform).observe(seconds)
        if not delivered:
            self.send_failures.labels(platform).inc()

    def job_ran(self, job: str, seconds: float, *, ok: bool, schools: int = 1) -> None:
        """One run, for `schools` schools at once (`scheduler.together`)."""
        self.job_seconds.labels(job).observe(seconds)
        self.job_runs.labels(job, "ok" if ok else "error").inc(schools)

    def update_handled(self, platform: str, seconds: float) -> None:
        self.updates.labels(platform).inc()
        self.update_seconds.labels(platform).observe(seconds)

    def exposition(self, outbox: Mapping[tuple[DeliveryStatus, str], int] | None) -> bytes:
        """The text format, with the outbox counted just now (`OutboxRepository.counts`); None
        if it could not be counted, which leaves the gauge out rather than show old counts."""
        if outbox is None:
            self.outbox_messages.clear()
            return generate_latest(self.registry)
        self._platforms.update(platform for _status, platform in outbox)
        for platform in sorted(self._platforms):
            for status in DeliveryStatus:
                count = outbox.get((status, platform), 0)
                self.outbox_messages.labels(status.value, platform).set(count)
        return generate_latest(self.registry)
