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

from array import array
from collections.abc import Iterable
from itertools import pairwise

from routine.absence_codes import DEFAULT_ABSENCE_CODES, default_absence_codes
from routine.applying import WRITE_BATCH, raise_if_any, record_change
from routine.model import Guardian, Pupil
from routine.ports import UnitOfWork
from routine.roster_checks import RosterTally, empty_roster_problems, roster_problems
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
    rows: Iterable[RosterRow],
    *,
    progress: Progress = no_progress,
    tally: RosterTally | None = None,
) -> ChangeSummary:
    """Create or update the school's pupils and guardians as the roster says. Commits.

    Takes an open unit of work. All or nothing: every check runs before the first write, and any
    problem raises `InvalidInput` with all of them. A guardian's links to pupils become exactly
    the pupils the roster lists with that guardian. Reads the school's pupils and guardians with
    a few queries, decides in memory, and writes what changed in bulk.

    `rows` is read more than once (a list, or a file read again each time): once to check, once
    to write, so a big roster's rows are never all held. A caller that has already checked them
    against the school's classes (the file reader) hands its `tally` over.
    """
    if await uow.schools.get(school_key) is None:
        raise InvalidInput(
            [Problem(f"there is no school {school_key!r}; apply its school file first")]
        )
    if tally is None:
        class_names = {c.name for c in await uow.classes.list_for(school_key)}
        tally = RosterTally(rows, class_names)
    raise_if_any([] if tally.rows else empty_roster_problems([]))
    raise_if_any(tally.problems)
    writer = _Writer(uow, school_key, tally, progress)
    await writer.load()
    for position, row in enumerate(rows):
        await writer.pupil(row)
        await writer.guardian(position, row)
    summary = await writer.finish()
    await uow.commit()
    return summary


class _Writer:
    """The write pass: each pupil on its first row, each guardian on their last (their pupils
    are known then), compared with what is stored and written a batch at a time. Pupils are
    written before any guardian that links to them."""

    def __init__(
        self, uow: UnitOfWork, school_key: str, tally: RosterTally, progress: Progress
    ) -> None:
        self.uow, self.school_key, self.tally, self.progress = uow, school_key, tally, progress
        # Pupils and guardians separately, so that the summary lists pupils first as ever.
        self.pupils, self.guardians = ChangeSummary(), ChangeSummary()
        self.stored_pupils: dict[str, Pupil] = {}
        self.stored_guardians: dict[str, Guardian] = {}
        self.seen: set[str] = set()
        # Guardians on more than one row, by number, until their last row.
        self.pending: dict[int, dict[str, _Listed]] = {}
        self.batches: dict[str, list] = {
            "pupils": [],
            "new guardians": [],
            "changed guardians": [],
        }
        self.written = dict.fromkeys(self.batches, 0)
        # Where each created and updated guardian was first listed: the summary keeps that
        # order, though a guardian on several rows is only written on their last.
        self.created_at, self.updated_at = array("q"), array("q")

    async def load(self) -> None:
        stored = await self.uow.pupils.list_for_school(self.school_key)
        self.stored_pupils = {p.pupil_id: p for p in stored}
        stored_guardians = await self.uow.guardians.list_for_school(self.school_key)
        self.stored_guardians = {g.guardian_id: g for g in stored_guardians}

    async def pupil(self, row: RosterRow) -> None:
        if row.pupil_id in self.seen:
            return
        self.seen.add(row.pupil_id)
        pupil = Pupil(self.school_key, row.pupil_id, row.pupil_name, row.class_name)
        stored = self.stored_pupils.pop(row.pupil_id, None)
        if record_change(self.pupils, f"pupil {pupil.pupil_id}", stored, pupil):
            await self._add("pupils", pupil)

    async def guardian(self, position: int, row: RosterRow) -> None:
        group_end = self.tally.guardian_group(row.guardian_id)
        if group_end is None:
            await self._listed(_Listed(position, row))
            return
        number, end = group_end
        group = self.pending.setdefault(number, {})
        listed = group.get(row.guardian_id)
        if listed is None:
            group[row.guardian_id] = _Listed(position, row)
        else:
            listed.add(row)
        if position == end:
            for listed in self.pending.pop(number).values():
                await self._listed(listed)

    async def _listed(self, listed: _Listed) -> None:
        guardian = listed.guardian(self.school_key)
        found = self.stored_guardians.pop(guardian.guardian_id, None)
        guardian = guardian.keeping_preferences_of(found)
        told = len(self.guardians.created), len(self.guardians.updated)
        changed = record_change(
            self.guardians, f"guardian {guardian.guardian_id}", found, guardian
        )
        if (len(self.guardians.created), len(self.guardians.updated)) != told:
            (self.created_at if found is None else self.updated_at).append(listed.position)
        if changed:
            # New ones need no look at links already stored: there are none.
            await self._add("changed guardians" if found else "new guardians", guardian)

    async def _add(self, what: str, item: object) -> None:
        batch = self.batches[what]
        batch.append(item)
        if len(batch) >= WRITE_BATCH:
            await self._flush(what)

    async def _flush(self, what: str, *, last: bool = False) -> None:
        batch = self.batches[what]
        if what != "pupils" and self.batches["pupils"]:
            await self._flush("pupils")  # the pupils these guardians link to
        if not batch:
            return
        save_many = {
            "pupils": self.uow.pupils.save_many,
            "new guardians": self.uow.guardians.add_many,
            "changed guardians": self.uow.guardians.save_many,
        }[what]
        await save_many(batch)
        self.written[what] += len(batch)
        batch.clear()
        # How many are written of how many the file lists; at the end, all there were to write.
        done = self.written[what]
        total = self.tally.pupils if what == "pupils" else self.tally.guardians
        self.progress(what, done, done if last else max(done, total))

    async def finish(self) -> ChangeSummary:
        assert not self.pending, "every guardian's last row was read"
        for what in self.batches:
            await self._flush(what, last=True)
        summary = ChangeSummary(
            created=self.pupils.created + _in_order(self.guardians.created, self.created_at),
            updated=self.pupils.updated + _in_order(self.guardians.updated, self.updated_at),
            unchanged=self.pupils.unchanged + self.guardians.unchanged,
        )
        # What the file does not list is left alone and reported; pupils already marked as
        # left are not news, only active ones are worth a look.
        summary.not_listed.extend(
            f"pupil {p.pupil_id} ({p.name}, {p.class_name})"
            for p in self.stored_pupils.values()
            if p.active
        )
        summary.not_listed.extend(
            f"guardian {g.guardian_id} ({g.name})" for g in self.stored_guardians.values()
        )
        return summary


def _in_order(labels: list[str], positions: array) -> list[str]:
    if all(a < b for a, b in pairwise(positions)):
        return labels  # no guardian on several rows came late: the usual case
    return [labels[i] for i in sorted(range(len(labels)), key=positions.__getitem__)]


class _Listed:
    """A guardian as their rows say so far. The checks made sure a guardian's lines agree;
    phone and email may be on any one of them."""

    __slots__ = ("email", "first", "phone", "position", "pupil_ids")

    def __init__(self, position: int, row: RosterRow) -> None:
        self.position, self.first = position, row
        self.pupil_ids = {row.pupil_id}
        self.phone, self.email = row.guardian_phone, row.guardian_email

    def add(self, row: RosterRow) -> None:
        self.pupil_ids.add(row.pupil_id)
        self.phone = row.guardian_phone or self.phone
        self.email = row.guardian_email or self.email

    def guardian(self, school_key: str) -> Guardian:
        row = self.first
        return Guardian(
            school_key=school_key,
            guardian_id=row.guardian_id,
            name=row.guardian_name,
            language=row.guardian_language,
            phone=self.phone,
            email=self.email,
            pupil_ids=tuple(sorted(self.pupil_ids)),
        )
