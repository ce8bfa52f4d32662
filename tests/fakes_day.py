"""In-memory fake of the school day's set-based queries (`routine.ports.SchoolDayQueries`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import date

from routine.follow_up import FollowUp
from routine.model import AttendanceMark, ChatAccount, Guardian, Pupil
from routine.requests import AbsencePrompt


class FakeSchoolDay:
    def __init__(self, store) -> None:
        self.store = store

    async def pupils(self, school_key: str, pupil_ids: Collection[str]) -> list[Pupil]:
        return sorted(
            (self.store.pupils[(school_key, i)] for i in pupil_ids if (school_key, i) in
             self.store.pupils),
            key=lambda p: p.pupil_id,
        )  # fmt: skip

    async def class_lists(self, school_key: str, class_names: Collection[str]) -> list[Pupil]:
        wanted = set(class_names)
        return sorted(
            (
                p
                for p in self.store.pupils.values()
                if p.school_key == school_key and p.class_name in wanted and p.active
            ),
            key=lambda p: (p.class_name, p.name, p.pupil_id),
        )

    async def guardians_of(self, school_key: str, pupil_ids: Collection[str]) -> list[Guardian]:
        wanted = set(pupil_ids)
        return sorted(
            (
                g
                for g in self.store.guardians.values()
                if g.school_key == school_key and wanted & set(g.pupil_ids)
            ),
            key=lambda g: g.guardian_id,
        )

    async def chat_accounts(
        self, school_key: str, person_kind: str, person_ids: Collection[str]
    ) -> list[ChatAccount]:
        wanted = set(person_ids)
        return sorted(
            (
                a
                for a in self.store.accounts.values()
                if (a.school_key, a.person_kind) == (school_key, person_kind)
                and a.person_id in wanted
            ),
            key=lambda a: (a.person_id, a.platform, a.account_id),
        )

    async def prompts(self, school_key: str, day: date) -> list[AbsencePrompt]:
        return sorted(
            (p for p in self.store.prompts.values() if (p.school_key, p.day) == (school_key, day)),
            key=lambda p: p.id or 0,
        )

    async def add_prompts(self, prompts: Sequence[AbsencePrompt]) -> None:
        for prompt in prompts:
            asked = {
                (p.school_key, p.pupil_id, p.guardian_id, p.day)
                for p in self.store.prompts.values()
            }
            tokens = {p.token for p in self.store.prompts.values()}
            key = (prompt.school_key, prompt.pupil_id, prompt.guardian_id, prompt.day)
            if key not in asked and prompt.token not in tokens:
                stored = dataclasses.replace(prompt, id=next(self.store.ids))
                self.store.prompts[stored.id] = stored

    async def update_marks(self, marks: Sequence[AttendanceMark]) -> None:
        for mark in marks:
            if mark.id not in self.store.marks:
                raise KeyError(f"no attendance mark with id {mark.id}")
            self.store.marks[mark.id] = mark

    async def open_follow_ups(self, follow_ups: Sequence[FollowUp]) -> None:
        for follow_up in follow_ups:
            there = {(f.school_key, f.pupil_id, f.day) for f in self.store.follow_ups.values()}
            if (follow_up.school_key, follow_up.pupil_id, follow_up.day) not in there:
                stored = dataclasses.replace(follow_up, id=next(self.store.ids))
                self.store.follow_ups[stored.id] = stored
