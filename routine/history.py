"""Loading a school's attendance record over a range of days: one query per kind of row.

`routine.record` decides; this reads what it decides over, the same way for one pupil and for a
whole school, so a nightly rule and `narvaro attendance show` see the same record.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from routine.leave import LeaveStatus
from routine.model import Pupil, School
from routine.ports import UnitOfWork
from routine.record import DayRecord, RecordInputs, RecordSource, build_record, school_days
from routine.roll_call import RollCallStatus

TAKEN = {
    RollCallStatus.SUBMITTED: RecordSource.ROLL_CALL,
    RollCallStatus.IMPORTED: RecordSource.IMPORT,
}


async def load_inputs(
    uow: UnitOfWork,
    school: School,
    start: date,
    end: date,
    pupils: list[Pupil],
    *,
    whole_school: bool = False,
) -> RecordInputs:
    """What the record of `pupils` over `start`..`end` is made of. `whole_school`: `pupils`
    are all of the school's, so the queries ask for the school's rows, not a list of ids."""
    ids: Collection[str] | None = None if whole_school else {p.pupil_id for p in pupils}
    key = school.key
    roll_calls = await uow.roll_calls.list_between(key, start, end)
    return RecordInputs(
        pupils=pupils,
        marks=await uow.marks.list_between(key, start, end, ids),
        reports=await uow.reports.list_overlapping(key, start, end, ids),
        taken={(r.class_name, r.day): TAKEN[r.status] for r in roll_calls if r.status in TAKEN},
        leave=await uow.leave_requests.list_between(
            key, start, end, pupil_ids=ids, statuses=[LeaveStatus.GRANTED]
        ),
        corrections=await uow.corrections.list_between(key, start, end, ids),
        codes=await uow.codes.list_for(key),
        judgements=await uow.guardian_contacts.judgements_between(key, start, end, ids),
    )


async def record_of(
    uow: UnitOfWork,
    school: School,
    start: date,
    end: date,
    pupils: list[Pupil],
    *,
    whole_school: bool = False,
) -> dict[str, list[DayRecord]]:
    """Each pupil's school days from `start` to `end`, day by day."""
    inputs = await load_inputs(uow, school, start, end, pupils, whole_school=whole_school)
    return build_record(school, school_days(school, start, end), inputs)
