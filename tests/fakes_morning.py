"""In-memory fake of the morning's reads for many schools (`routine.ports.MorningQueries`):
each read is the per-school fake's answer for every school, in the order the port promises; the
day's roll calls are opened and closed here, for one school as for many."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from routine.follow_up import FollowUp
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Pupil,
    School,
    StaffMember,
)
from routine.requests import AbsencePrompt
from routine.roll_call import RollCall, RollCallStatus

Pair = tuple[str, str]


def _by_school(pairs: Collection[Pair]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for key, value in pairs:
        found[key].add(value)
    return found


class FakeMorning:
    def __init__(self, uow: Any) -> None:
        self.uow = uow

    async def schools_with_staff(
        self, school_keys: Collection[str]
    ) -> list[tuple[School, list[StaffMember]]]:
        found = []
        for key in sorted(set(school_keys)):
            school = await self.uow.schools.get(key)
            if school is not None:
                found.append((school, await self.uow.staff.list_for_school(key)))
        return found

    async def class_names(self, school_keys: Collection[str]) -> set[Pair]:
        return {
            (key, c.name) for key in set(school_keys) for c in await self.uow.classes.list_for(key)
        }

    async def open_roll_calls(
        self, classes: Mapping[str, Collection[str]], day: date, now: datetime
    ) -> list[RollCall]:
        store = self.uow.store
        there = {(r.school_key, r.class_name, r.day) for r in store.roll_calls.values()}
        opened = []
        for key in sorted(classes):
            for name in sorted(set(classes[key])):
                if (key, name) in store.classes and (key, name, day) not in there:
                    stored = RollCall(key, name, day, opened_at=now, id=next(store.ids))
                    store.roll_calls[stored.id] = stored
                    opened.append(stored)
        return opened

    async def roll_calls(self, school_keys: Collection[str], day: date) -> list[RollCall]:
        found = []
        for key in sorted(set(school_keys)):
            found += await self.uow.roll_calls.list_for_day(key, day)
        return found

    async def close_open_roll_calls(
        self, school_keys: Collection[str], day: date
    ) -> list[RollCall]:
        store, keys = self.uow.store, set(school_keys)
        closed = []
        for roll_call in list(store.roll_calls.values()):
            if roll_call.school_key not in keys or roll_call.day != day:
                continue
            if roll_call.status is RollCallStatus.OPEN:
                closed.append(replace(roll_call, status=RollCallStatus.NOT_ANSWERED))
                store.roll_calls[roll_call.id] = closed[-1]
        return sorted(closed, key=lambda r: (r.school_key, r.class_name))

    async def class_lists(self, classes: Collection[Pair]) -> list[Pupil]:
        wanted = _by_school(classes)
        found = []
        for key in sorted(wanted):
            found += await self.uow.school_day.class_lists(key, wanted[key])
        return found

    async def pupils(self, pupils: Collection[Pair]) -> list[Pupil]:
        wanted = _by_school(pupils)
        return [
            p for key in sorted(wanted) for p in await self.uow.school_day.pupils(key, wanted[key])
        ]

    async def guardians_of(self, pupils: Collection[Pair]) -> list[Guardian]:
        wanted = _by_school(pupils)
        found = []
        for key in sorted(wanted):
            found += await self.uow.school_day.guardians_of(key, wanted[key])
        return found

    async def chat_accounts(self, person_kind: str, people: Collection[Pair]) -> list[ChatAccount]:
        wanted = _by_school(people)
        found = []
        for key in sorted(wanted):
            found += await self.uow.school_day.chat_accounts(key, person_kind, wanted[key])
        return found

    async def reports(self, school_keys: Collection[str], day: date) -> list[AbsenceReport]:
        found = []
        for key in set(school_keys):
            found += await self.uow.reports.list_overlapping(key, day, day)
        return sorted(found, key=lambda r: r.id or 0)

    async def marks(self, school_keys: Collection[str], day: date) -> list[AttendanceMark]:
        found = []
        for key in set(school_keys):
            found += await self.uow.marks.list_for_day(key, day)
        return sorted(found, key=lambda m: m.id or 0)

    async def granted_leave(self, school_keys: Collection[str], day: date) -> list[LeaveRequest]:
        found = []
        for key in set(school_keys):
            found += await self.uow.leave_requests.list_between(
                key, day, day, statuses=[LeaveStatus.GRANTED]
            )
        return sorted(found, key=lambda r: r.id or 0)

    async def codes(self, school_keys: Collection[str]) -> list[AbsenceCode]:
        return [c for key in sorted(set(school_keys)) for c in await self.uow.codes.list_for(key)]

    async def prompts(self, school_keys: Collection[str], day: date) -> list[AbsencePrompt]:
        found = []
        for key in set(school_keys):
            found += await self.uow.school_day.prompts(key, day)
        return sorted(found, key=lambda p: p.id or 0)

    async def follow_ups(self, school_keys: Collection[str], day: date) -> list[FollowUp]:
        found = []
        for key in set(school_keys):
            found += await self.uow.follow_ups.list_for_day(key, day)
        return sorted(found, key=lambda f: f.id or 0)
