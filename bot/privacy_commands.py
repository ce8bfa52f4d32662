"""`narvaro privacy export` and `narvaro privacy erase`, for a guardian's request about their
own data and their children's. Both are audited (`narvaro.audit`: who ran it, and ids), and
an export is kept on each of the children's cases it showed, as a `viewed` event by
`operator:NAME` (detail `{"via": "export"}`), in the unit of work that read them.

Erasure deletes what is the guardian's alone: their chat links, invite codes, answers to
prompts, contact requests, concerns, confirmations of case plans, the free-text notes of their
reports, and their phone and email. It keeps the children's attendance record (the days,
reasons, marks, the school's follow-ups, corrections and leave decisions), the children's
cases with their logs (the school's record of its duty to act), and the guardian's name and
link while a child is at the school; retention deletes them after `[privacy] retention_days`
(a case once it has been closed that long). The report says so, line by line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import click

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.cases import CaseEvent, EventKind

# The export's list of the children's cases (`storage.privacy_cases`).
CASES = "cases"

KEPT = (
    "absence reports (days and reason category), marks, follow-ups and contacts, corrections "
    "and leave requests: the children's attendance record, kept until the school's retention "
    "period ends",
    "the guardian's name and link to each child: needed while the child is at the school; "
    "end the link with `narvaro guardian unlink --pupil-id`",
    "the children's cases with their logs (who viewed or did what, the guardian's id included "
    "where they confirmed a plan), plans, tasks, Danish notices and staff concerns: the "
    "school's record of its duty to act on absence, deleted by retention once a case has been "
    "closed longer than the retention period",
)


async def _with_privacy(settings: Settings, school_key: str, guardian_id: str, work) -> Any:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.guardians.get(school_key, guardian_id) is None:
                raise OperatorError(f"no guardian {guardian_id!r} at {school_key}")
            result = await work(uow, app.clock.now())
            await uow.commit()
            return result
    finally:
        await app.close()


async def export(uow: Any, school_key: str, guardian_id: str, now: datetime) -> Any:
    """Everything stored about the guardian and their children; each case shown is logged as
    viewed by the operator."""
    found = await uow.privacy.export(school_key, guardian_id)
    shown = [case["id"] for case in found.get(CASES, [])]
    if shown:
        await uow.cases.add_events(
            [CaseEvent(i, now, EventKind.VIEWED, audit.actor(), {"via": "export"}) for i in shown]
        )
    return found


def register(main: click.Group, load_settings: Callable[[], Settings], run_async: Any) -> None:
    @main.group()
    def privacy() -> None:
        """A guardian's data: export it, or erase what may be erased."""

    @privacy.command("export")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--guardian-id", required=True, help="The guardian's id from the roster.")
    @run_async
    async def privacy_export(school_key: str, guardian_id: str) -> None:
        """Print, as JSON, everything stored about the guardian and their children."""
        found = await _with_privacy(
            load_settings(),
            school_key,
            guardian_id,
            lambda uow, now: export(uow, school_key, guardian_id, now),
        )
        cases = len(found.get(CASES, []))
        audit.record("privacy export", school=school_key, guardian_id=guardian_id, cases=cases)
        click.echo(json.dumps(found, ensure_ascii=False, indent=2, sort_keys=True))

    @privacy.command("erase")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--guardian-id", required=True, help="The guardian's id from the roster.")
    @run_async
    async def privacy_erase(school_key: str, guardian_id: str) -> None:
        """Erase what is the guardian's alone; report what was kept and why."""
        counts = await _with_privacy(
            load_settings(),
            school_key,
            guardian_id,
            lambda uow, _now: uow.privacy.erase(school_key, guardian_id),
        )
        audit.record("privacy erase", school=school_key, guardian_id=guardian_id)
        click.echo(f"Erased for guardian {guardian_id} at {school_key}:")
        for what, count in counts.items():
            click.echo(f"  {what}: {count}")
        click.echo("Kept, and why:")
        for line in KEPT:
            click.echo(f"  {line}")
