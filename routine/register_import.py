"""Importing a school's attendance register kept in another system, for past school days.

The file is the school's register for the school days of its period (its first to its last
date, or wider if the operator says so): for every class and school day of the period the day
becomes known, so a pupil without a row is present that day (`routine.record`), and days outside
the period stay unknown. What was observed in the chat wins: a class whose roll call was
submitted that day, a pupil with a roll-call mark, and a day staff corrected are left alone and
counted. Like the roster, it is all or nothing (every problem with its line, nothing written
while any remains) and idempotent: the same file twice changes nothing the second time.

Set-based: a few queries load the whole period, everything is decided in memory, and the
writes are bulk statements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from routine.applying import WRITE_BATCH
from routine.attendance import retention_cutoff
from routine.calendar import is_school_day
from routine.model import AbsenceCode, AttendanceMark, MarkKind, MarkSource, School
from routine.ports import UnitOfWork
from routine.record import school_days
from routine.roll_call import RollCall, RollCallStatus
from routine.setup import InvalidInput, Problem

IMPORTED_BY = "import"
# Roll calls of a past day that nobody took: the register says what happened instead.
NOT_TAKEN = (RollCallStatus.OPEN, RollCallStatus.NOT_ANSWERED)


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One row of the register file; `line` is the file's line number, `code` None when the
    absence is unexplained."""

    line: int
    day: date
    pupil_id: str
    kind: MarkKind
    code: str | None = None
    lesson: str | None = None
    minutes: int | None = None

    @property
    def key(self) -> tuple[str, date, MarkKind, str | None]:
        return (self.pupil_id, self.day, self.kind, self.lesson)


@dataclass
class RegisterImportSummary:
    start: date
    end: date
    school_days: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    already_imported: int = 0
    # Rows left alone, by why: the class's roll call was submitted that day, the pupil has a
    # roll-call mark that day, staff corrected the pupil's day.
    left_alone: dict[str, int] = field(default_factory=dict)
    class_days_recorded: int = 0
    class_days_not_taken: int = 0
    class_days_submitted: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.added
            or self.updated
            or self.removed
            or self.class_days_recorded
            or self.class_days_not_taken
        )


SUBMITTED = "roll call submitted that day"
ROLL_CALL_MARK = "roll-call mark that day"
CORRECTED = "day corrected by staff"


async def import_register(
    uow: UnitOfWork,
    school_key: str,
    rows: Sequence[RegisterRow],
    *,
    today: date,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
) -> RegisterImportSummary:
    """Check the rows against the school, then record the period as the file says. Commits.

    Takes an open unit of work. Raises `InvalidInput` with every problem, writing nothing."""
    school = await uow.schools.get(school_key)
    if school is None:
        raise InvalidInput([Problem(f"there is no school {school_key!r}; apply it first")])
    pupils = {p.pupil_id: p for p in await uow.pupils.list_for_school(school_key)}
    codes = {c.code: c for c in await uow.codes.list_for(school_key)}
    period, problems = _period(rows, start, end, today, school)
    problems += register_problems(rows, school, pupils.keys(), codes, today)
    if problems or period is None:
        raise InvalidInput(sorted(problems, key=lambda p: p.line or 0))
    start, end = period
    days = school_days(school, start, end)
    summary = RegisterImportSummary(start, end, school_days=len(days))
    roll_calls = {
        (r.class_name, r.day): r for r in await uow.roll_calls.list_between(school_key, start, end)
    }
    classes = [c.name for c in await uow.classes.list_for(school_key)]
    await _record_class_days(uow, school_key, classes, days, roll_calls, now, summary)
    submitted = {key for key, r in roll_calls.items() if r.status is RollCallStatus.SUBMITTED}
    corrected = {
        (c.pupil_id, c.day) for c in await uow.corrections.list_between(school_key, start, end)
    }
    marks = await uow.marks.list_between(school_key, start, end)
    observed = {(m.pupil_id, m.day) for m in marks if m.source is MarkSource.ROLL_CALL}
    imported = {_mark_key(m): m for m in marks if m.source is MarkSource.IMPORT}
    del marks
    writer = _MarkWriter(uow, imported, summary)
    for row in rows:
        class_name = pupils[row.pupil_id].class_name
        why = _left_alone_because(row, class_name, submitted, corrected, observed)
        if why:
            summary.left_alone[why] = summary.left_alone.get(why, 0) + 1
        else:
            await writer.want(row.key, _mark(school_key, row, codes))
    await writer.finish({*corrected, *observed})
    await uow.commit()
    return summary


async def register_check(
    uow: UnitOfWork, school: School, today: date
) -> Callable[[Sequence[RegisterRow]], list[Problem]]:
    """The school's checks of rows, for the file reader to report them with its own problems,
    all in one go (as the roster reader does with the school's classes)."""
    pupil_ids = {p.pupil_id for p in await uow.pupils.list_for_school(school.key)}
    codes = {c.code: c for c in await uow.codes.list_for(school.key)}
    return lambda rows: register_problems(rows, school, pupil_ids, codes, today)


def register_problems(
    rows: Iterable[RegisterRow],
    school: School,
    pupil_ids: Iterable[str],
    codes: dict[str, AbsenceCode],
    today: date,
) -> list[Problem]:
    """Rows the school cannot take: unknown pupils and codes, days that are not past school
    days within the retention period."""
    known = set(pupil_ids)
    code_list = ", ".join(sorted(codes)) or "none"
    cutoff = retention_cutoff(today, school.privacy.retention_days)
    school_days: dict[date, bool] = {}
    problems = []
    for row in rows:
        if row.pupil_id not in known:
            problems.append(
                Problem(f"pupil {row.pupil_id!r} is not a pupil of the school", row.line)
            )
        if row.code is not None and row.code not in codes:
            problems.append(
                Problem(
                    f"code {row.code!r} is not one of the school's absence codes ({code_list})",
                    row.line,
                )
            )
        problems.extend(_day_problems(row.day, row.line, school, today, cutoff, school_days))
    return problems


def _day_problems(
    day: date, line: int | None, school: School, today: date, cutoff: date, cache: dict
) -> list[Problem]:
    if day >= today:
        return [
            Problem(
                f"{day} is not a past day; the roll call of today and later days is taken in"
                " the chat",
                line,
            )
        ]
    if day < cutoff:
        return [
            Problem(
                f"{day} is before the retention cutoff {cutoff}"
                f" ({school.privacy.retention_days} days); it would be deleted at once",
                line,
            )
        ]
    if day not in cache:
        cache[day] = is_school_day(school, day)
    if not cache[day]:
        return [Problem(f"{day} is not a school day of the school", line)]
    return []


def _period(
    rows: Sequence[RegisterRow],
    start: date | None,
    end: date | None,
    today: date,
    school: School,
) -> tuple[tuple[date, date] | None, list[Problem]]:
    """The file's first to last date, widened by --from and --to (never narrowed)."""
    first = min((r.day for r in rows), default=None)
    last = max((r.day for r in rows), default=None)
    problems = []
    if start is not None and first is not None and start > first:
        problems.append(Problem(f"--from {start} is after the file's first date {first}"))
    if end is not None and last is not None and end < last:
        problems.append(Problem(f"--to {end} is before the file's last date {last}"))
    # The file's own dates are checked row by row; these are only the operator's.
    cutoff = retention_cutoff(today, school.privacy.retention_days)
    if end is not None and end >= today:
        problems.append(Problem(f"--to {end} is not a past day"))
    if start is not None and start < cutoff:
        problems.append(Problem(f"--from {start} is before the retention cutoff {cutoff}"))
    if start is not None and end is not None and start > end:
        problems.append(Problem(f"--from {start} is after --to {end}"))
    start = start if start is not None else first
    end = end if end is not None else last
    if start is None or end is None:
        problems.append(Problem("the file has no rows; give --from and --to for a period"))
        return None, problems
    return (None if problems else (start, end)), problems


def _left_alone_because(
    row: RegisterRow,
    class_name: str,
    submitted: set[tuple[str, date]],
    corrected: set[tuple[str, date]],
    observed: set[tuple[str, date]],
) -> str | None:
    """Why the chat's own record of this row's day wins, if it does."""
    if (class_name, row.day) in submitted:
        return SUBMITTED
    if (row.pupil_id, row.day) in corrected:
        return CORRECTED
    if (row.pupil_id, row.day) in observed:
        return ROLL_CALL_MARK
    return None


def _mark(school_key: str, row: RegisterRow, codes: dict[str, AbsenceCode]) -> AttendanceMark:
    code = codes.get(row.code) if row.code is not None else None
    return AttendanceMark(
        school_key=school_key,
        pupil_id=row.pupil_id,
        day=row.day,
        kind=row.kind,
        lesson=row.lesson,
        explained=code is not None,
        valid=code.valid if code is not None else None,
        code=row.code,
        marked_by=IMPORTED_BY,
        minutes=row.minutes,
        source=MarkSource.IMPORT,
    )


def _mark_key(mark: AttendanceMark) -> tuple:
    return (mark.pupil_id, mark.day, mark.kind, mark.lesson)


async def _record_class_days(
    uow: UnitOfWork,
    school_key: str,
    classes: list[str],
    days: list[date],
    roll_calls: dict[tuple[str, date], RollCall],
    now: datetime,
    summary: RegisterImportSummary,
) -> None:
    """Every class's day of the period becomes known: a new roll call recorded as imported, or
    one nobody took turned into imported. A submitted one stays as the mentor left it."""
    missing, not_taken = [], []
    for day in days:
        for class_name in classes:
            roll_call = roll_calls.get((class_name, day))
            if roll_call is None:
                missing.append((class_name, day))
            elif roll_call.status in NOT_TAKEN and roll_call.id is not None:
                not_taken.append(roll_call.id)
            elif roll_call.status is RollCallStatus.SUBMITTED:
                summary.class_days_submitted += 1
    added = await uow.roll_calls.add_imported(school_key, missing, now)
    turned = await uow.roll_calls.mark_imported(not_taken)
    if (added, turned) != (len(missing), len(not_taken)):
        # Someone opened or took one of these roll calls meanwhile; what was read is stale.
        raise InvalidInput([Problem("the roll calls changed during the import; run it again")])
    summary.class_days_recorded = added
    summary.class_days_not_taken = turned


class _MarkWriter:
    """Add what the file says and the stored import lacks, replace what changed, and remove
    imported marks the file no longer has (the file is the register of its period). Each row's
    mark is decided as it is read and written a batch at a time: a year's register of a million
    rows is never held as marks."""

    def __init__(
        self,
        uow: UnitOfWork,
        imported: dict[tuple, AttendanceMark],
        summary: RegisterImportSummary,
    ) -> None:
        self.uow, self.summary = uow, summary
        # The stored import not yet met in the file: what is left at the end is removed.
        self.unmet = imported
        self.to_add: list[AttendanceMark] = []
        self.to_delete: list[int] = []
        self.added = 0

    async def want(self, key: tuple, mark: AttendanceMark) -> None:
        # No key comes twice: the file's checks refuse that (`bot.files.register_csv`).
        stored = self.unmet.pop(key, None)
        if stored is None:
            self.to_add.append(mark)
        elif dataclasses.replace(stored, id=None) == mark:
            self.summary.already_imported += 1
        else:
            assert stored.id is not None
            self.to_delete.append(stored.id)
            self.to_add.append(mark)
            self.summary.updated += 1
        if len(self.to_add) >= WRITE_BATCH:
            await self._flush()

    async def _flush(self) -> None:
        # A changed mark's stored one goes first: they share the key.
        await self.uow.marks.delete_many(self.to_delete)
        self.added += await self.uow.marks.add_many(self.to_add)
        self.to_add, self.to_delete = [], []

    async def finish(self, protected: set[tuple[str, date]]) -> None:
        for stored in self.unmet.values():
            if (stored.pupil_id, stored.day) not in protected:
                assert stored.id is not None
                self.to_delete.append(stored.id)
                self.summary.removed += 1
        await self._flush()
        self.summary.added = self.added - self.summary.updated
