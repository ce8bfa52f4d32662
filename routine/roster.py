"""Importing the roster: it creates or updates a school's pupils and guardians.

Idempotent, so the operator can re-run it after every change to the file: what is already as the
file says is left alone and counted as unchanged. Nothing is ever deleted here. Pupils and
guardians that the roster no longer lists are reported in `not_listed`, because a missing line is
as likely a mistake in an export as a pupil who moved away.

The school file is applied by `routine.school_file`, the roster checked by `routine.roster_checks`,
and the default absence codes are `routine.absence_codes`; they are re-exported here for the
importers that know them as `routine.roster`'s.
"""

from __future__ import annotations

from collections.abc import Sequence

from routine.absence_codes import DEFAULT_ABSENCE_CODES, default_absence_codes
from routine.applying import WRITE_BATCH, raise_if_any, record_change, write_in_batches
from routine.model import Guardian, Pupil
from routine.ports import UnitOfWork
from routine.roster_checks import empty_roster_problems, roster_problems
from routine.school_file import apply_school
from routine.setup import ChangeSummary, InvalidInput, Problem, Progress, RosterRow, no_progress

__all__ = [
    "DEFAULT_ABSENCE_CODES",
    "WRITE_BATCH",
    "apply_school",
    "default_absence_codes",
    "import_roster",
    "roster_problems",
]


async def import_roster(
    uow: UnitOfWork,
    school_key: str,
    rows: list[RosterRow],
    *,
    progress: Progress = no_progress,
) -> ChangeSummary:
    """Create or update the school's pupils and guardians as the roster says. Commits.

    Takes an open unit of work. All or nothing: every check runs before the first write, and any
    problem raises `InvalidInput` with all of them. A guardian's links to pupils become exactly
    the pupils the roster lists with that guardian. Reads the school's pupils and guardians with
    a few queries, decides in memory, and writes what changed in bulk.
    """
    if await uow.schools.get(school_key) is None:
        raise InvalidInput(
            [Problem(f"there is no school {school_key!r}; apply its school file first")]
        )
    class_names = {c.name for c in await uow.classes.list_for(school_key)}
    raise_if_any(empty_roster_problems(rows) or roster_problems(rows, class_names))
    summary = ChangeSummary()
    await _apply_pupils(uow, school_key, rows, summary, progress)
    await _apply_guardians(uow, school_key, rows, summary, progress)
    await uow.commit()
    return summary


async def _apply_pupils(
    uow: UnitOfWork,
    school_key: str,
    rows: Sequence[RosterRow],
    summary: ChangeSummary,
    progress: Progress,
) -> None:
    stored = {p.pupil_id: p for p in await uow.pupils.list_for_school(school_key)}
    listed: dict[str, Pupil] = {}
    for row in rows:
        listed.setdefault(
            row.pupil_id, Pupil(school_key, row.pupil_id, row.pupil_name, row.class_name)
        )
    changed = [
        pupil
        for pupil in listed.values()
        if record_change(summary, f"pupil {pupil.pupil_id}", stored.get(pupil.pupil_id), pupil)
    ]
    await write_in_batches(uow.pupils.save_many, changed, "pupils", progress)
    # Pupils already marked as left are not news; only active ones are worth a look.
    summary.not_listed.extend(
        f"pupil {p.pupil_id} ({p.name}, {p.class_name})"
        for p in stored.values()
        if p.pupil_id not in listed and p.active
    )


async def _apply_guardians(
    uow: UnitOfWork,
    school_key: str,
    rows: Sequence[RosterRow],
    summary: ChangeSummary,
    progress: Progress,
) -> None:
    stored = {g.guardian_id: g for g in await uow.guardians.list_for_school(school_key)}
    listed = _guardians_from_rows(school_key, rows)
    new, changed = [], []
    for guardian in listed.values():
        found = stored.get(guardian.guardian_id)
        guardian = guardian.keeping_preferences_of(found)
        if record_change(summary, f"guardian {guardian.guardian_id}", found, guardian):
            (changed if found else new).append(guardian)
    # New ones need no look at links already stored: there are none.
    await write_in_batches(uow.guardians.add_many, new, "new guardians", progress)
    await write_in_batches(uow.guardians.save_many, changed, "changed guardians", progress)
    summary.not_listed.extend(
        f"guardian {g.guardian_id} ({g.name})"
        for g in stored.values()
        if g.guardian_id not in listed
    )


def _guardians_from_rows(school_key: str, rows: Sequence[RosterRow]) -> dict[str, Guardian]:
    # The checks made sure a guardian's lines agree; phone and email may be on any one of them.
    pupils: dict[str, set[str]] = {}
    first: dict[str, RosterRow] = {}
    phones: dict[str, str] = {}
    emails: dict[str, str] = {}
    for row in rows:
        pupils.setdefault(row.guardian_id, set()).add(row.pupil_id)
        first.setdefault(row.guardian_id, row)
        if row.guardian_phone:
            phones[row.guardian_id] = row.guardian_phone
        if row.guardian_email:
            emails[row.guardian_id] = row.guardian_email
    return {
        gid: Guardian(
            school_key=school_key,
            guardian_id=gid,
            name=row.guardian_name,
            language=row.guardian_language,
            phone=phones.get(gid, ""),
            email=emails.get(gid, ""),
            pupil_ids=tuple(sorted(pupils[gid])),
        )
        for gid, row in first.items()
    }
