"""`narvaro cases list` and `narvaro cases log`: the operator's view of a school's cases.

`cases log` prints every event of a pupil's cases, the views and refused presses included:
when, who (a member of staff by id and name, a guardian by id, a rule), what kind, and the
event's structured detail (stage, item, task, version, …). Free text never appears: what
happened at a task (`outcome`) is shown as withheld; notes stay in the case.

Reading the log is itself an access to the pupil's data, so it is logged on each case it
printed (a `viewed` event by `operator:NAME`, who ran it as `bot.audit` finds them, detail
`{"via": "cli"}`), and the `narvaro.audit` log gets one line with who ran it and the ids.
`cases list` shows that a case is open and at which stage, like a member of staff's own list
in the chat, which is not logged on the case either; it leaves one `narvaro.audit` line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import click

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.cases import Case, CaseEvent, EventKind

OPERATOR = audit.OPERATOR
# Detail that is structure (ids, stages, kinds, numbers), never what someone typed.
SHOWN = (
    "reason", "kind", "stage", "from", "to", "item", "tried", "version", "changed", "notice",
    "quarter", "task", "task_kind", "due", "plan", "tasks", "by", "messages", "numbers",
    "window", "via", "guardians_reached", "guardians_unreached",
)  # fmt: skip


def who(actor: str, names: Mapping[str, str]) -> str:
    kind, colon, ident = actor.partition(":")
    if colon and kind == "staff":
        return f"staff {ident} ({names[ident]})" if ident in names else f"staff {ident}"
    if colon:
        return f"{kind} {ident}"
    return actor


def detail_line(detail: Mapping[str, object]) -> str:
    parts = [f"{key}={_value(detail[key])}" for key in SHOWN if key in detail]
    parts += [f"{key}=(withheld)" for key in sorted(detail) if key not in SHOWN]
    return " ".join(parts)


def _value(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{v}" for k, v in sorted(value.items()))
    return str(value)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.isoformat(timespec="minutes")


async def _school_app(settings: Settings, school_key: str, work: Callable[..., Any]) -> Any:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            if await uow.schools.get(school_key) is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            result = await work(uow, app.clock.now())
            await uow.commit()
            return result
    finally:
        await app.close()


async def pupil_log(
    uow: Any, school_key: str, pupil_id: str, now: datetime
) -> tuple[list[Case], dict[int, list[CaseEvent]], dict[str, str]]:
    """The pupil's cases, newest first, and their logs, this reading included."""
    if await uow.pupils.get(school_key, pupil_id) is None:
        raise OperatorError(f"no pupil {pupil_id!r} at {school_key}")
    cases = await uow.cases.of_pupil(school_key, pupil_id)
    actor = audit.actor()
    viewed = [CaseEvent(c.id, now, EventKind.VIEWED, actor, {"via": "cli"}) for c in cases]
    if viewed:
        await uow.cases.add_events(viewed)
    events = await uow.cases.events_of([c.id for c in cases])
    names = {s.staff_id: s.name for s in await uow.staff.list_for_school(school_key)}
    return cases, events, names


def register(main: click.Group, load_settings: Callable[[], Settings], run_async: Any) -> None:
    @main.group()
    def cases() -> None:
        """Cases: the open ones, and the log of a pupil's cases (who saw or did what)."""

    @cases.command("list")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @run_async
    async def cases_list(school_key: str) -> None:
        """The school's open cases: pupil id, stage, owner, coordinator, opened."""
        found: list[Case] = await _school_app(
            load_settings(), school_key, lambda uow, _now: uow.cases.open_cases(school_key)
        )
        audit.record("cases list", school=school_key, cases=len(found))
        if not found:
            click.echo(f"No open cases at {school_key}.")
            return
        click.echo("pupil\tstage\towner\tcoordinator\topened")
        for case in sorted(found, key=lambda c: (c.opened_at, c.id or 0)):
            click.echo(
                f"{case.pupil_id}\t{case.stage}\t{case.owner_id or '-'}\t"
                f"{case.coordinator_id or '-'}\t{_when(case.opened_at)}"
            )

    @cases.command("log")
    @click.option("--school", "school_key", required=True, help="The school's key.")
    @click.option("--pupil", "pupil_id", required=True, help="The pupil's id from the roster.")
    @run_async
    async def cases_log(school_key: str, pupil_id: str) -> None:
        """Every event of the pupil's cases, views and refusals included, without free text.
        Reading it is logged on each case as viewed by the operator."""
        found, events, names = await _school_app(
            load_settings(),
            school_key,
            lambda uow, now: pupil_log(uow, school_key, pupil_id, now),
        )
        audit.record("cases log", school=school_key, pupil_id=pupil_id, cases=len(found))
        if not found:
            click.echo(f"No cases for pupil {pupil_id} at {school_key}.")
            return
        for case in found:
            click.echo(
                f"Case {case.id} ({case.status.value}): stage {case.stage}, opened "
                f"{_when(case.opened_at)} by {case.opened_by}, closed "
                f"{_when(case.closed_at) or '-'}"
            )
            for event in events.get(case.id or 0, []):
                click.echo(
                    f"  {_when(event.at)}\t{who(event.actor, names)}\t{event.kind.value}\t"
                    f"{detail_line(event.detail)}".rstrip()
                )
