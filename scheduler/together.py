"""Running one job for the schools due at the same minute: together where it can, one by one
when that fails.

A municipality's schools mostly share their times, and a job run for all of them at once
(`Job.run_many`, through `scheduler.job_base.run_for_schools`) costs a few queries where one run
per school costs a few per school. But one school's bad data must not cost the others their
morning: if the run together raises, each school is run on its own (`Job.run`), and only the
schools whose own run fails miss it. A school run twice this way queues nothing twice: every
message has an idempotency key, so what the failed run together wrote and committed is not
written again.

A large group runs in slices of `SCHOOLS_AT_ONCE` schools, each its own run together with its
own fallback: a run together holds all its schools' rows and messages until it commits, so its
memory grows with the group (about 150 MB for 200 schools of 500 pupils, 640 MB for 2,000),
while its statements are a few per slice. A slice that fails costs only its own schools a second
try.

A failure is logged by its error's name and where it was raised (file and line), never with its
message or its traceback's locals: a database error's message holds the statement's parameters,
which may be names or free text. The run goes on with the next school.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from time import perf_counter

from scheduler.job_base import Job, JobContext, JobResult, run_for_schools

log = logging.getLogger(__name__)

# Schools run together at most: bounds the memory of a group, a few statements a slice.
SCHOOLS_AT_ONCE = 200


async def run_together(
    context: JobContext,
    job: Job,
    school_keys: Sequence[str],
    day: date,
    *,
    at_once: int | None = None,
) -> list[JobResult]:
    """The job for these schools as of `day`: the results of those it ran for, in key order,
    `at_once` (default `SCHOOLS_AT_ONCE`) schools at a time.

    Metrics: a run together is one observation of its time (`narvaro_job_seconds`) and counts
    each of its schools as a run (`narvaro_job_runs`). When it fails, that attempt is only
    logged; the runs one by one that follow are counted each, ok or error."""
    size = max(at_once or SCHOOLS_AT_ONCE, 1)
    results: list[JobResult] = []
    for first in range(0, len(school_keys), size):
        results += await _slice(context, job, school_keys[first : first + size], day)
    return results


async def _slice(
    context: JobContext, job: Job, school_keys: Sequence[str], day: date
) -> list[JobResult]:
    if not school_keys:
        return []
    if len(school_keys) == 1:
        # Nothing to fall back to: a school's own run is all there is.
        result = await _alone(context, job, school_keys[0], day)
        return [] if result is None else [result]
    start = perf_counter()
    try:
        results = await run_for_schools(job, context, school_keys, day)
    except Exception as error:
        log.warning(
            "%s for %d schools together on %s failed (%s); running them one by one",
            job.name,
            len(school_keys),
            day,
            described(error),
        )
        return [r for key in school_keys if (r := await _alone(context, job, key, day))]
    context.metrics.job_ran(job.name, perf_counter() - start, ok=True, schools=len(school_keys))
    return results


async def _alone(context: JobContext, job: Job, school_key: str, day: date) -> JobResult | None:
    """The job for one school; None, logged and counted, if it fails."""
    start = perf_counter()
    try:
        result = await job.run(context, school_key, day)
    except Exception as error:
        context.metrics.job_ran(job.name, perf_counter() - start, ok=False)
        log.error("%s at %s on %s failed: %s", job.name, school_key, day, described(error))
        return None
    context.metrics.job_ran(job.name, perf_counter() - start, ok=True)
    return result


def described(error: BaseException) -> str:
    """The error's name and the file and line it was raised at: nothing of its message."""
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return type(error).__name__
    return f"{type(error).__name__} at {Path(frames[-1].filename).name}:{frames[-1].lineno}"
