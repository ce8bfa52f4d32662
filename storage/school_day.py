"""Set-based reads and writes for the school day's jobs (`routine.ports.SchoolDayQueries`).

A job over a whole school loads what it needs with one statement per kind of row, for the pupils
concerned only (the day's absent pupils, not the school), and writes with bulk statements. The
per-entity repositories stay as they are for the conversations, which touch one row at a time.
The day's roll calls are opened and closed by `storage.morning`, for one school as for many.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select, update

from routine.follow_up import FollowUp
from routine.model import AttendanceMark, ChatAccount, Guardian, Pupil
from routine.requests import AbsencePrompt
from storage import mapping, read_cache
from storage.bulk import INSERTS_BY_DIALECT, batches
from storage.orm import (
    AbsencePromptRow,
    AttendanceMarkRow,
    ChatAccountRow,
    FollowUpRow,
    GuardianPupilRow,
    GuardianRow,
    PupilRow,
    as_utc,
)
from storage.repositories import _Repository

# Ids per IN (...): well under SQLite's 32,766 and asyncpg's 32,767 bound parameters.
IDS_PER_QUERY = 5000


def _chunks(ids: Collection[str]) -> Iterable[list[str]]:
    ordered = sorted(ids)
    for start in range(0, len(ordered), IDS_PER_QUERY):
        yield ordered[start : start + IDS_PER_QUERY]


class SqlSchoolDayQueries(_Repository):
    async def pupils(self, school_key: str, pupil_ids: Collection[str]) -> list[Pupil]:
        # Pupils read before in this unit of work (or known not to exist) are not read again.
        known: dict[str, Pupil | None] = read_cache.cached(self.session, "pupils", school_key)
        known = {} if known is None else known
        wanted = set(pupil_ids)
        missing = wanted.difference(known)
        for chunk in _chunks(missing):
            rows = await self.session.scalars(
                select(PupilRow).where(
                    PupilRow.school_key == school_key, PupilRow.pupil_id.in_(chunk)
                )
            )
            known.update({p.pupil_id: p for p in map(mapping.pupil_from_row, rows)})
        known.update({pupil_id: None for pupil_id in missing.difference(known)})
        read_cache.keep(self.session, "pupils", school_key, known)
        found = [pupil for pupil_id in wanted if (pupil := known[pupil_id]) is not None]
        return sorted(found, key=lambda p: p.pupil_id)

    async def class_lists(self, school_key: str, class_names: Collection[str]) -> list[Pupil]:
        """The active pupils of these classes, read as plain rows (a large school's roll calls
        need all of them, and building ORM objects for each costs more than the query)."""
        table = PupilRow.__table__
        found: list[Pupil] = []
        for chunk in _chunks(class_names):
            rows = await self.session.execute(
                select(table.c.pupil_id, table.c.name, table.c.class_name).where(
                    table.c.school_key == school_key,
                    table.c.class_name.in_(chunk),
                    table.c.active.is_(True),
                )
            )
            found.extend(Pupil(school_key, i, name, c) for i, name, c in rows)
        return sorted(found, key=lambda p: (p.class_name, p.name, p.pupil_id))

    async def guardians_of(self, school_key: str, pupil_ids: Collection[str]) -> list[Guardian]:
        """The guardians linked to any of these pupils, each with all their links."""
        found: dict[str, Guardian] = {}
        for chunk in _chunks(pupil_ids):
            linked = (
                select(GuardianPupilRow.guardian_id)
                .where(
                    GuardianPupilRow.school_key == school_key,
                    GuardianPupilRow.pupil_id.in_(chunk),
                )
                .scalar_subquery()
            )
            # One row per guardian and link, as plain rows: one statement, no ORM objects.
            guardians, links = GuardianRow.__table__, GuardianPupilRow.__table__
            rows = await self.session.execute(
                select(guardians, links.c.pupil_id)
                .join(
                    links,
                    (links.c.school_key == guardians.c.school_key)
                    & (links.c.guardian_id == guardians.c.guardian_id),
                )
                .where(guardians.c.school_key == school_key, guardians.c.guardian_id.in_(linked))
            )
            for guardian in guardians_from_rows(rows):
                found[guardian.guardian_id] = guardian
        return [found[key] for key in sorted(found)]

    async def chat_accounts(
        self, school_key: str, person_kind: str, person_ids: Collection[str]
    ) -> list[ChatAccount]:
        found: list[ChatAccount] = []
        for chunk in _chunks(person_ids):
            rows = await self.session.scalars(
                select(ChatAccountRow).where(
                    ChatAccountRow.school_key == school_key,
                    ChatAccountRow.person_kind == person_kind,
                    ChatAccountRow.person_id.in_(chunk),
                )
            )
            found.extend(map(mapping.account_from_row, rows))
        return sorted(found, key=lambda a: (a.person_id, a.platform, a.account_id))

    async def prompts(self, school_key: str, day: date) -> list[AbsencePrompt]:
        async def read() -> list[AbsencePrompt]:
            rows = await self.session.scalars(
                select(AbsencePromptRow)
                .where(AbsencePromptRow.school_key == school_key, AbsencePromptRow.day == day)
                .order_by(AbsencePromptRow.id)
            )
            return [mapping.prompt_from_row(row) for row in rows]

        return await read_cache.read_once(self.session, "prompts", (school_key, day), read)

    async def add_prompts(self, prompts: Sequence[AbsencePrompt]) -> None:
        """Each prompt not asked before (one per pupil, guardian and day); others are kept."""
        await self._insert_new(AbsencePromptRow, [_prompt_values(p) for p in prompts])

    async def update_marks(self, marks: Sequence[AttendanceMark]) -> None:
        """What was learnt about these marks (explained, valid, code), by id, in batches."""
        values = [
            {"id": m.id, "explained": m.explained, "valid": m.valid, "code": m.code} for m in marks
        ]
        for batch in batches(values):
            await self.session.execute(update(AttendanceMarkRow), batch)

    async def open_follow_ups(self, follow_ups: Sequence[FollowUp]) -> None:
        """One per pupil and day: the first one opened is kept."""
        values = [
            {"school_key": f.school_key, "pupil_id": f.pupil_id, "day": f.day}
            | {"opened_at": as_utc(f.opened_at), "reachable": f.reachable}
            for f in follow_ups
        ]
        await self._insert_new(FollowUpRow, values)

    async def _insert_new(self, row_type: type, values: list[dict[str, Any]]) -> None:
        insert = INSERTS_BY_DIALECT[self.session.get_bind().dialect.name]
        statement = insert(row_type).on_conflict_do_nothing()
        for batch in batches(values):
            if batch:
                await self.session.execute(statement, batch)


def guardians_from_rows(rows: Iterable[Any]) -> list[Guardian]:
    """Guardians from plain rows of a guardian's columns and one `pupil_id` each (one row per
    guardian and link)."""
    guardians = GuardianRow.__table__
    people: dict[tuple[str, str], Any] = {}
    for row in rows:
        values = row._mapping
        key = (values[guardians.c.school_key], values[guardians.c.guardian_id])
        if key not in people:
            person = {c.key: values[c] for c in guardians.columns}
            people[key] = SimpleNamespace(**person, links=[])
        people[key].links.append(SimpleNamespace(pupil_id=values["pupil_id"]))
    return [mapping.guardian_from_row(person) for person in people.values()]


def _prompt_values(prompt: AbsencePrompt) -> dict[str, Any]:
    row = AbsencePromptRow()
    mapping.prompt_to_row(prompt, row)
    return {c.key: getattr(row, c.key) for c in _PROMPT_COLUMNS}


_PROMPT_COLUMNS = [c for c in AbsencePromptRow.__table__.columns if c.key != "id"]
