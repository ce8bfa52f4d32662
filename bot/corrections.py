"""`narvaro attendance corrections`: the audit trail of corrections, for operators (English).

One line per correction, oldest first: when (school time), who, which pupil's day, the day
before → after, why, and whether it was flagged to the principal because a rule or notice had
already used the day.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot import audit, bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.attendance import retention_cutoff
from routine.record import Correction, DayRecord, DayStatus, RecordSource
from scheduler.clock import local_day

VALIDITY = {True: "valid", False: "invalid", None: "unexplained"}


def describe_state(
    status: DayStatus | None, code: str | None = None, valid: bool | None = None
) -> str:
    if status is None:
        return "unknown"
    text = status.value
    if code:
        text += f" {code}"
    if status is DayStatus.ABSENT:
        text += f" ({VALIDITY[valid]})"
    return text


def describe_before(before: DayRecord | None) -> str:
    if before is None:
        return "unknown"
    text = describe_state(before.status, before.code, before.valid)
    # Where the day's state came from (roll call, report, import, an earlier correction, …).
    return text if before.source is RecordSource.NONE else f"{text} [{before.source.value}]"


async def correction_trail(
    settings: Settings,
    school_key: str,
    *,
    pupil_id: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[str]:
    """The trail's lines; by default every day from the retention cutoff to today."""
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            today = local_day(school, app.clock.now())
            start = start or retention_cutoff(today, school.privacy.retention_days)
            end = end or today
            if end < start:
                raise OperatorError(f"--to {end} is before --from {start}")
            pupil_ids = None if pupil_id is None else [pupil_id]
            corrections = await uow.corrections.list_between(school_key, start, end, pupil_ids)
            pupils = {p.pupil_id: p.name for p in await uow.pupils.list_for_school(school_key)}
            staff = {s.staff_id: s.name for s in await uow.staff.list_for_school(school_key)}
        zone = ZoneInfo(school.timezone)
        audit.record(
            "attendance corrections",
            school=school_key,
            pupil_id=pupil_id,
            start=start,
            end=end,
            corrections=len(corrections),
        )
        return [_line(c, zone, pupils, staff) for c in corrections]
    finally:
        await app.close()


def _line(
    correction: Correction, zone: ZoneInfo, pupils: dict[str, str], staff: dict[str, str]
) -> str:
    when = correction.corrected_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    who = f"{correction.corrected_by} ({staff.get(correction.corrected_by, '?')})"
    pupil = f"{correction.pupil_id} ({pupils.get(correction.pupil_id, '?')})"
    after = describe_state(correction.status, correction.code, correction.valid)
    flagged = "  FLAGGED to the principal" if correction.flagged else ""
    return (
        f"{when}  by {who}  {pupil}  day {correction.day}: "
        f"{describe_before(correction.before)} → {after}  why: {correction.reason!r}{flagged}"
    )
