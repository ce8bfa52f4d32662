"""Corrections of past days: who may correct which day, and the use case that keeps the trail.

The sources expect absence to be explained or confirmed after the fact (001: 6381; 004: 2474),
so staff correct a pupil's day with a reason, and every correction is kept as it was made: who,
when, the day before, the day after, and why (`routine.record.Correction`). The latest
correction of a day decides it (`routine.record`).

Who may correct (README: "Choices the sources leave open"):

- a mentor: the days of their own classes, back `school.attendance.correction_days` school
  days. The days are counted from the corrected day to today, both included, so today is day 1
  and yesterday (a school day) day 2; weekends, holidays and breaks are not counted. Today
  itself counts only if it is a school day: on a Saturday the Friday is day 1.
- a principal or a coordinator: any day of their own school;
- anyone else (pupil health): nobody's day.

For everyone: only school days, never a day in the future, and never a day before the retention
cutoff (its data are deleted, so there is nothing to correct and no trail to keep).

A day a rule or notice already used (`RecordUse`) is not silently rewritten: the correction is
stored flagged, and the principals are told (the caller queues their messages in the same unit
of work, see `dialogs.correction_notice`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from routine.access import visible_classes
from routine.attendance import retention_cutoff
from routine.calendar import is_school_day
from routine.history import record_of
from routine.model import AbsenceCode, Pupil, Role, School, StaffMember
from routine.ports import UnitOfWork
from routine.record import Correction, DayRecord, DayStatus, RecordUse, school_days

MAX_REASON_LENGTH = 300


class Refusal(enum.StrEnum):
    """Why a correction was not made; nothing was changed."""

    NOT_SCHOOL_DAY = "not_school_day"
    IN_FUTURE = "in_future"
    PAST_RETENTION = "past_retention"
    NOT_YOUR_CLASS = "not_your_class"
    TOO_FAR_BACK = "too_far_back"
    ROLE = "role"
    UNKNOWN_PUPIL = "unknown_pupil"
    UNKNOWN_STATUS = "unknown_status"
    UNKNOWN_CODE = "unknown_code"
    REASON_MISSING = "reason_missing"
    REASON_TOO_LONG = "reason_too_long"
    ALREADY_SO = "already_so"


# Whoever has one of these may correct any day of their school.
WHOLE_SCHOOL = frozenset({Role.PRINCIPAL, Role.COORDINATOR})


def may_correct_at_all(staff: StaffMember) -> bool:
    """Whether the person may correct any day at all: what the menu offers them."""
    return bool(staff.roles & (WHOLE_SCHOOL | {Role.MENTOR}))


def school_days_back(school: School, day: date, today: date) -> int:
    """How many school days `day` is back from `today`, counting both: today is 1."""
    return len(school_days(school, day, today))


def may_correct(
    staff: StaffMember, school: School, pupil: Pupil, day: date, today: date
) -> Refusal | None:
    """None if `staff` may correct `pupil`'s `day`, else why not (see the module's docstring)."""
    if not is_school_day(school, day):
        return Refusal.NOT_SCHOOL_DAY
    if day > today:
        return Refusal.IN_FUTURE
    if day < retention_cutoff(today, school.privacy.retention_days):
        return Refusal.PAST_RETENTION
    if staff.school_key != school.key or pupil.school_key != school.key:
        return Refusal.NOT_YOUR_CLASS
    if staff.roles & WHOLE_SCHOOL:
        return None
    if not staff.has_role(Role.MENTOR):
        return Refusal.ROLE
    if pupil.class_name not in visible_classes(staff, [pupil.class_name]):
        return Refusal.NOT_YOUR_CLASS
    if school_days_back(school, day, today) > school.attendance.correction_days:
        return Refusal.TOO_FAR_BACK
    return None


def correction_codes(codes: list[AbsenceCode]) -> list[AbsenceCode]:
    """The codes an absence may be corrected to: those that count as absence."""
    return [code for code in codes if code.counts_as_absence]


@dataclass(frozen=True)
class Corrected:
    """A correction made: the day before and after, and what had used the day, if anything
    (then the correction is flagged and the principals must be told)."""

    pupil: Pupil
    before: DayRecord
    correction: Correction
    uses: tuple[RecordUse, ...] = ()

    @property
    def flagged(self) -> bool:
        return self.correction.flagged


async def correct(
    uow: UnitOfWork,
    *,
    school: School,
    staff: StaffMember,
    pupil_id: str,
    day: date,
    status: str,
    code: str | None,
    reason: str,
    now: datetime,
    today: date,
) -> Corrected | Refusal:
    """Correct `pupil_id`'s `day` to `status` (with an absence `code`, for an absence), for
    `reason`. Stores the correction (not committed: the caller commits, with any messages);
    a refusal stores nothing."""
    pupil = await uow.pupils.get(school.key, pupil_id)
    if pupil is None:
        return Refusal.UNKNOWN_PUPIL
    if (refusal := may_correct(staff, school, pupil, day, today)) is not None:
        return refusal
    try:
        new_status = DayStatus(status)
    except ValueError:
        return Refusal.UNKNOWN_STATUS
    if new_status is DayStatus.UNKNOWN:
        return Refusal.UNKNOWN_STATUS
    why = reason.strip()
    if not why:
        return Refusal.REASON_MISSING
    if len(why) > MAX_REASON_LENGTH:
        return Refusal.REASON_TOO_LONG
    new_code, valid = None, None
    if new_status is DayStatus.ABSENT and code:
        found = {c.code: c for c in correction_codes(await uow.codes.list_for(school.key))}
        if code not in found:
            return Refusal.UNKNOWN_CODE
        new_code, valid = code, found[code].valid
    elif code:
        return Refusal.UNKNOWN_CODE
    (before,) = (await record_of(uow, school, day, day, [pupil]))[pupil.pupil_id]
    if (before.status, before.code, before.valid) == (new_status, new_code, valid):
        return Refusal.ALREADY_SO
    uses = await uow.record_uses.list_between(school.key, day, day, [pupil.pupil_id])
    stored = await uow.corrections.add(
        Correction(
            school_key=school.key,
            pupil_id=pupil.pupil_id,
            day=day,
            status=new_status,
            code=new_code,
            valid=valid,
            reason=why,
            corrected_by=staff.staff_id,
            corrected_at=now,
            before=before,
            flagged=bool(uses),
        )
    )
    return Corrected(pupil, before, stored, tuple(uses))
