"""`narvaro attendance show`: one pupil's record, day by day, and the totals the rules use.

Operator output, in English. The record is `routine.history.record_of`, the same one the routine's
rules will read, so what an operator sees here is what a rule counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot import bootstrap
from bot.errors import OperatorError
from bot.settings import Settings
from routine.history import record_of
from routine.model import Pupil, School
from routine.record import DayRecord, DayStatus, Totals, totals
from scheduler.clock import local_day

# Without terms in the school file, the record shown goes back this far by default.
DEFAULT_WINDOW = timedelta(weeks=4)
VALIDITY = {True: "valid", False: "invalid", None: "unexplained"}


@dataclass(frozen=True)
class PupilRecord:
    school: School
    pupil: Pupil
    start: date
    end: date
    days: list[DayRecord]
    totals: Totals


def default_period(school: School, today: date) -> tuple[date, date]:
    """The current term up to today; the last four weeks if no term holds today."""
    term = next((t for t in school.calendar.terms if today in t), None)
    return (term.start if term else today - DEFAULT_WINDOW), today


async def pupil_record(
    settings: Settings,
    school_key: str,
    pupil_id: str,
    start: date | None,
    end: date | None,
) -> PupilRecord:
    app = await bootstrap.build(settings)
    try:
        async with app.uow_factory() as uow:
            school = await uow.schools.get(school_key)
            if school is None:
                raise OperatorError(f"no school with the key {school_key!r}")
            pupil = await uow.pupils.get(school_key, pupil_id)
            if pupil is None:
                raise OperatorError(f"no pupil {pupil_id!r} at {school_key}")
            first, last = default_period(school, local_day(school, app.clock.now()))
            start, end = start or first, end or last
            if end < start:
                raise OperatorError(f"--to {end} is before --from {start}")
            days = (await record_of(uow, school, start, end, [pupil]))[pupil_id]
        return PupilRecord(school, pupil, start, end, days, totals(days))
    finally:
        await app.close()


def render(record: PupilRecord) -> list[str]:
    pupil = record.pupil
    lines = [
        f"{pupil.pupil_id} {pupil.name} ({pupil.class_name}), {record.school.key}: "
        f"{record.start} to {record.end}",
        f"{'date':<11} {'day':<4}{'state':<11}{'code':<12}{'validity':<12}{'source':<11}"
        f"{'min':>4} {'lessons':>7}",
    ]
    for day in record.days:
        absent = day.status is DayStatus.ABSENT
        lines.append(
            f"{day.day.isoformat():<11} {day.day.strftime('%a'):<4}{day.status.value:<11}"
            f"{day.code or '-':<12}{VALIDITY[day.valid] if absent else '-':<12}"
            f"{day.source.value:<11}{day.minutes or '':>4} {day.lessons_absent or '':>7}"
        )
    if not record.days:
        lines.append("(no school days in this period)")
    lines.append(describe_totals(record.totals))
    return [line.rstrip() for line in lines]


def describe_totals(counted: Totals) -> str:
    share = counted.absent_share
    percent = "-" if share is None else f"{share * 100:.1f} %"
    return (
        f"Totals: {counted.school_days} school day(s), {counted.known} known, "
        f"{counted.unknown} unknown; present {counted.present}; absent {counted.absent} "
        f"(valid {counted.valid}, invalid {counted.invalid}, unexplained {counted.unexplained}); "
        f"late {counted.late}; left early {counted.left_early}; "
        f"lessons missed {counted.lessons_absent}; absent {percent} of known days"
    )
