"""The morning's roll calls and step-1 prompts for many schools at once.

The same decisions as `dialogs.live.refresh_roll_calls` and `dialogs.unreported`, made for
every school due at one minute from one read of each kind of row for all of them
(`routine.ports.MorningQueries`): the statements do not grow with the number of schools. Each
school is decided on its own rows only, by the pure functions the one-school paths use, and
the messages are returned, not queued, so that the caller queues a whole run in one batch and
counts what each school queued.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol, TypeVar

from dialogs.follow_up_list import follow_up_day, follow_up_messages
from dialogs.live import roll_call_messages
from dialogs.unreported import (
    follow_ups_for,
    prompt_messages,
    prompts_for,
    reachable_chats,
    to_ask,
)
from routine.attendance import reported_not_valid, unreported_absent_pupils, without_granted_leave
from routine.follow_up import FollowUp, GuardianContact
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    Pupil,
    Role,
    School,
    StaffMember,
)
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWork
from routine.requests import AbsencePrompt
from routine.roll_call import RollCall, RollCallStatus

# Follow-ups per read of their contacts (the repository takes one list of ids).
FOLLOW_UPS_PER_QUERY = 2000


@dataclass
class Morning:
    """The schools of one run, with their staff, and what was read of the day for them."""

    schools: list[School]
    staff: dict[str, list[StaffMember]]
    day: date
    marks: dict[str, list[AttendanceMark]] = field(default_factory=dict)
    reports: dict[str, list[AbsenceReport]] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [school.key for school in self.schools]

    async def read_record(self, uow: UnitOfWork) -> None:
        """The day's marks and reports of every school, once for the whole run."""
        self.marks = by_school(await uow.morning.marks(self.keys, self.day))
        self.reports = by_school(await uow.morning.reports(self.keys, self.day))


class _OfASchool(Protocol):
    @property
    def school_key(self) -> str: ...


T = TypeVar("T", bound=_OfASchool)


def by_school(items: Iterable[T]) -> dict[str, list[T]]:
    found: dict[str, list[T]] = defaultdict(list)
    for item in items:
        found[item.school_key].append(item)
    return found


async def open_roll_calls_many(
    uow: UnitOfWork, morning: Morning, now: datetime
) -> dict[str, list[RollCall]]:
    """`routine.roll_call.open_roll_calls` for every school: each class with a mentor."""
    mentored = {
        school.key: {
            c for s in morning.staff[school.key] if s.has_role(Role.MENTOR) for c in s.classes
        }
        for school in morning.schools
    }
    opened = by_school(await uow.morning.open_roll_calls(mentored, morning.day, now))
    # Run again, or a mentor's class is not in the class list: the day's that are listed.
    again = [key for key in morning.keys if len(opened.get(key, ())) != len(mentored[key])]
    if again:
        listed = await uow.morning.class_names(again)
        there = await uow.morning.roll_calls(again, morning.day)
        for key in again:
            opened[key] = [
                r
                for r in there
                if r.school_key == key
                and r.class_name in mentored[key]
                and (key, r.class_name) in listed
            ]
    return {key: opened.get(key, []) for key in morning.keys}


async def roll_call_messages_many(
    uow: UnitOfWork, morning: Morning, roll_calls: dict[str, list[RollCall]], now: datetime
) -> list[OutboxMessage]:
    """Each roll call's message for its mentors (`dialogs.live.refresh_roll_calls`), with the
    class lists read once for all of them."""
    classes = {(r.school_key, r.class_name) for found in roll_calls.values() for r in found}
    if not classes:
        return []
    pupils = by_school(await uow.morning.class_lists(classes))
    messages: list[OutboxMessage] = []
    for school in morning.schools:
        if roll_calls.get(school.key):
            messages += roll_call_messages(
                school,
                roll_calls[school.key],
                morning.staff[school.key],
                pupils.get(school.key, []),
                morning.reports.get(school.key, []),
                morning.marks.get(school.key, []),
                now,
            )
    return messages


@dataclass
class Unreported:
    """What step 1 found of one school: pupils followed up, and the messages to queue."""

    pupils: int = 0
    messages: list[OutboxMessage] = field(default_factory=list)


async def follow_up_unreported_many(
    uow: UnitOfWork, morning: Morning, now: datetime
) -> dict[str, Unreported]:
    """`dialogs.unreported.follow_up_unreported` for every school: prompts and follow-ups are
    written in bulk for all of them, and the messages (prompts, then the mentors' lists) are
    returned by school. Needs `morning.read_record` first."""
    day, keys = morning.day, morning.keys
    schools = {school.key: school for school in morning.schools}
    leave = by_school(await uow.morning.granted_leave(keys, day))
    unreported = {
        key: without_granted_leave(
            unreported_absent_pupils(morning.marks.get(key, []), morning.reports.get(key, [])),
            leave.get(key, []),
            day,
        )
        for key in keys
    }
    wanted = {(key, p) for key in keys for p in unreported[key]}
    wanted |= {(key, r.pupil_id) for key in keys for r in morning.reports.get(key, [])}
    pupils = by_school(await uow.morning.pupils(wanted) if wanted else [])
    reported = [key for key in keys if morning.reports.get(key)]
    roll_calls = by_school(await uow.morning.roll_calls(keys, day))
    codes = by_school(await uow.morning.codes(keys))
    # Reported, but not valid by the report alone: on the list, and nobody asked again; those
    # on leave the principal granted are absent with permission.
    judged = {
        key: without_granted_leave(
            reported_not_valid(
                schools[key],
                day,
                morning.reports[key],
                morning.marks.get(key, []),
                pupils.get(key, []),
                {r.class_name for r in roll_calls.get(key, ()) if _submitted(r)},
                codes.get(key, []),
            ),
            leave.get(key, []),
            day,
        )
        for key in reported
    }
    absent = {key: _of(pupils.get(key, []), set(unreported[key])) for key in keys}
    asked_pupils = {(key, p) for key in keys for p in absent[key]}
    guardians = by_school(await uow.morning.guardians_of(asked_pupils) if asked_pupils else [])
    people = {(g.school_key, g.guardian_id) for found in guardians.values() for g in found}
    chats = reachable_chats(await uow.morning.chat_accounts("guardian", people) if people else [])
    asked = {key: to_ask(absent[key], guardians.get(key, []), chats) for key in keys}
    await uow.school_day.add_prompts(
        [prompt for key in keys for prompt in prompts_for(asked[key], day, now)]
    )
    prompts = by_school(await uow.morning.prompts(keys, day))
    await uow.school_day.open_follow_ups(
        [
            f
            for key in keys
            for f in follow_ups_for(
                schools[key], day, now, absent[key], asked[key], judged.get(key, [])
            )
        ]
    )
    found = {
        key: Unreported(
            len(absent[key]) + len(judged.get(key, [])),
            prompt_messages(
                schools[key],
                asked[key],
                chats,
                {(p.pupil_id, p.guardian_id): p for p in prompts.get(key, [])},
                now,
            ),
        )
        for key in keys
    }
    lists = await follow_up_lists_many(uow, morning, pupils, roll_calls, codes, prompts, now)
    for key in keys:
        found[key].messages += lists.get(key, [])
    return found


async def follow_up_lists_many(
    uow: UnitOfWork,
    morning: Morning,
    pupils: dict[str, list[Pupil]],
    roll_calls: dict[str, list[RollCall]],
    codes: dict[str, list[AbsenceCode]],
    prompts: dict[str, list[AbsencePrompt]],
    now: datetime,
) -> dict[str, list[OutboxMessage]]:
    """Each mentor's follow-up list (`dialogs.follow_up_list.refresh_follow_ups`), from what
    the run read already and the day's follow-ups with their contacts and pupils."""
    day, keys = morning.day, morning.keys
    follow_ups = by_school(await uow.morning.follow_ups(keys, day))
    known = {(key, p.pupil_id) for key, found in pupils.items() for p in found}
    missing = {(f.school_key, f.pupil_id) for found in follow_ups.values() for f in found} - known
    if missing:
        for pupil in await uow.morning.pupils(missing):
            pupils.setdefault(pupil.school_key, []).append(pupil)
    by_follow_up = await _contacts(uow, [f for found in follow_ups.values() for f in found])
    messages: dict[str, list[OutboxMessage]] = {}
    for school in morning.schools:
        key = school.key
        if not follow_ups.get(key):
            continue
        mine = {f.pupil_id for f in follow_ups[key]}
        view = follow_up_day(
            school,
            day,
            follow_ups[key],
            [p for p in pupils.get(key, []) if p.pupil_id in mine],
            morning.marks.get(key, []),
            [r for r in morning.reports.get(key, []) if r.pupil_id in mine],
            codes.get(key, []),
            roll_calls.get(key, []),
            [c for f in follow_ups[key] for c in by_follow_up.get(f.id or 0, [])],
            prompts.get(key, []),
            morning.staff[key],
        )
        messages[key] = follow_up_messages(view, now)
    return messages


async def _contacts(
    uow: UnitOfWork, follow_ups: Sequence[FollowUp]
) -> dict[int, list[GuardianContact]]:
    ids = sorted(f.id for f in follow_ups if f.id is not None)
    found: dict[int, list[GuardianContact]] = defaultdict(list)
    for start in range(0, len(ids), FOLLOW_UPS_PER_QUERY):
        for contact in await uow.guardian_contacts.list_for(
            ids[start : start + FOLLOW_UPS_PER_QUERY]
        ):
            found[contact.follow_up_id].append(contact)
    return found


def _of(pupils: Iterable[Pupil], ids: set[str]) -> dict[str, Pupil]:
    return {p.pupil_id: p for p in pupils if p.pupil_id in ids}


def _submitted(roll_call: RollCall) -> bool:
    return roll_call.status is RollCallStatus.SUBMITTED
