"""The demo's history: six weeks of the register before the rehearsal date, so that each demo
school has an open case to walk through.

Each class's register is imported for the 30 school days before today (the clock's today, a
fixed one in rehearsals), and one pupil per school has the absences that meet the country's
rule. Then the nightly `evaluate-thresholds` job runs on each of those school days, after the
end of that day, as it would have: the case opens on the night its rule first held, with the
numbers behind it. Nothing here writes a case.

- Sweden: absent 3 of the last 20 school days, over 10 % (`se.step2`, 000: 396–402).
- Norway: invalid absence twice this term, more than once (`no.invalid_repeated`, 002: 651).
- Denmark: unlawful absence on 4 days this quarter, at least 10 % (`dk.unlawful_10`,
  004: 2462–2465).

The pupil is in the class of the mentor the demo offers first, so the mentor persona owns it.
A school whose register already has those days (the demo run before) is left as it is.
Outside any term there is no window for the rules, and the demo has no case to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from routine.cases import Case
from routine.model import AttendanceMark, MarkKind, MarkSource, School
from routine.ports import Clock, UnitOfWorkFactory
from routine.record import school_days
from routine.thresholds import ILLNESS_CODE
from scheduler.jobs import JOBS, JobContext, after_end_of_day

HISTORY_SCHOOL_DAYS = 30
INVALID, ILLNESS = "invalid", ILLNESS_CODE


@dataclass(frozen=True)
class Absence:
    # School days before the last one of the history (0: the last school day before today).
    days_back: int
    code: str


@dataclass(frozen=True)
class History:
    pupil_id: str
    absences: tuple[Absence, ...]


HISTORIES: dict[str, History] = {
    # Hugo Persson, 7A.
    "se-bjorkangen": History(
        "P-SE-004", (Absence(12, INVALID), Absence(7, ILLNESS), Absence(3, INVALID))
    ),
    # Filip Larsen, 8A.
    "no-furulund": History("P-NO-004", (Absence(9, INVALID), Absence(4, INVALID))),
    # Magnus Jørgensen, 7.b.
    "dk-egebjerg": History(
        "P-DK-010",
        (Absence(9, INVALID), Absence(6, INVALID), Absence(3, INVALID), Absence(1, INVALID)),
    ),
}


class _Night:
    """The clock of one past evening, for the job run as it would have run then."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def history_days(school: School, today: date) -> list[date]:
    """The school days of the history: the last 30 before today."""
    return school_days(school, today - timedelta(days=120), today - timedelta(days=1))[
        -HISTORY_SCHOOL_DAYS:
    ]


def marks_of(school: School, history: History, days: list[date]) -> list[AttendanceMark]:
    return [
        AttendanceMark(
            school.key,
            history.pupil_id,
            days[-1 - absence.days_back],
            MarkKind.ABSENT,
            explained=True,
            valid=absence.code != INVALID,
            code=absence.code,
            source=MarkSource.IMPORT,
        )
        for absence in history.absences
        if absence.days_back < len(days)
    ]


async def seed_history(factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Import the demo schools' history and run the nightly evaluation over it; how many
    nights were evaluated (0 when the history is there already)."""
    nights = 0
    for key, history in HISTORIES.items():
        async with factory() as uow:
            school = await uow.schools.get(key)
            if school is None:
                continue
            zone = ZoneInfo(school.timezone)
            days = history_days(school, clock.now().astimezone(zone).date())
            if not days or await uow.roll_calls.list_between(key, days[0], days[-1]):
                continue
            classes = [c.name for c in await uow.classes.list_for(key)]
            imported_at = datetime.combine(days[0], after_end_of_day(school), tzinfo=zone)
            await uow.roll_calls.add_imported(
                key, [(name, day) for day in days for name in classes], imported_at
            )
            await uow.marks.add_many(marks_of(school, history, days))
            await uow.commit()
        for day in days:
            night = _Night(datetime.combine(day, after_end_of_day(school), tzinfo=zone))
            await JOBS["evaluate-thresholds"].run(JobContext(factory, night), key, day)
            nights += 1
    return nights


async def open_cases(factory: UnitOfWorkFactory) -> list[tuple[School, Case, str]]:
    """Each demo school's open cases, with the pupil's name, for the demo's introduction."""
    found = []
    async with factory() as uow:
        for key in HISTORIES:
            school = await uow.schools.get(key)
            if school is None:
                continue
            names = {p.pupil_id: p.name for p in await uow.pupils.list_for_school(key)}
            for case in sorted(await uow.cases.open_cases(key), key=lambda c: c.opened_at):
                found.append((school, case, names.get(case.pupil_id, case.pupil_id)))
    return found
