"""The roll-call and unreported-absence jobs for all the schools due at one minute, in one
unit of work (`scheduler.job_base.Job.run_many`; one school is a group of one).

A group is read with one statement per kind of row (`dialogs.morning`), decided per school,
and queued in one `outbox.add_many` batch; each school keeps its own summary. The group
commits or rolls back together: if any school's run raises (an unknown key, a bug on one
school's data), nothing of the group is stored and the exception propagates, so the caller
can run the schools one by one and lose none but the failing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dialogs.morning import (
    Morning,
    follow_up_unreported_many,
    open_roll_calls_many,
    roll_call_messages_many,
)
from routine.model import Role
from routine.outbox import OutboxMessage
from routine.ports import Clock, UnitOfWork, UnitOfWorkFactory
from routine.roll_call import RollCall
from scheduler import messages
from scheduler.gc_pause import cyclic_gc_paused


class UnknownSchool(LookupError):
    pass


async def _morning(uow: UnitOfWork, school_keys: Sequence[str], day: date) -> Morning:
    found = await uow.morning.schools_with_staff(school_keys)
    unknown = sorted(set(school_keys) - {school.key for school, _staff in found})
    if unknown:
        raise UnknownSchool(f"no school with the key(s) {', '.join(map(repr, unknown))}")
    return Morning([school for school, _staff in found], {s.key: staff for s, staff in found}, day)


class _Counts:
    """What each school queued: new messages and versions already there."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.queued = dict.fromkeys(keys, 0)
        self.already = dict.fromkeys(keys, 0)

    async def add(self, uow: UnitOfWork, queued: list[OutboxMessage]) -> None:
        for message, added in zip(queued, await uow.outbox.add_many(queued), strict=True):
            key = message.school_key or ""
            if added:
                self.queued[key] += 1
            else:
                self.already[key] += 1

    def summary(self, key: str) -> str:
        return f"{self.queued[key]} message(s) queued, {self.already[key]} already queued"


async def roll_calls(
    factory: UnitOfWorkFactory, clock: Clock, school_keys: Sequence[str], day: date
) -> list[str]:
    """Each class's roll call opens; its mentors get it with what guardians reported. The
    summaries, in the order of the keys."""
    with cyclic_gc_paused():
        return await _roll_calls(factory, clock, school_keys, day)


async def _roll_calls(
    factory: UnitOfWorkFactory, clock: Clock, school_keys: Sequence[str], day: date
) -> list[str]:
    async with factory() as uow:
        morning, now = await _morning(uow, school_keys, day), clock.now()
        opened = await open_roll_calls_many(uow, morning, now)
        if any(opened.values()):
            await morning.read_record(uow)
        counts = _Counts(morning.keys)
        await counts.add(uow, await roll_call_messages_many(uow, morning, opened, now))
        await uow.commit()
    return [f"{len(opened[key])} roll call(s) open; {counts.summary(key)}" for key in school_keys]


async def unreported_absences(
    factory: UnitOfWorkFactory, clock: Clock, school_keys: Sequence[str], day: date
) -> list[str]:
    """When the roll call is due: roll calls still open are recorded as not answered and the
    coordinators told; then step 1 for every pupil absent without a report."""
    with cyclic_gc_paused():
        return await _unreported_absences(factory, clock, school_keys, day)


async def _unreported_absences(
    factory: UnitOfWorkFactory, clock: Clock, school_keys: Sequence[str], day: date
) -> list[str]:
    async with factory() as uow:
        morning, now = await _morning(uow, school_keys, day), clock.now()
        missing: dict[str, list[RollCall]] = {key: [] for key in morning.keys}
        for roll_call in await uow.morning.close_open_roll_calls(morning.keys, day):
            missing[roll_call.school_key].append(roll_call)
        await morning.read_record(uow)
        queued = await roll_call_messages_many(uow, morning, missing, now)
        for school in morning.schools:
            if missing[school.key]:
                queued += [
                    messages.missing_roll_calls(school, coordinator, missing[school.key], day, now)
                    for coordinator in morning.staff[school.key]
                    if coordinator.has_role(Role.COORDINATOR) and coordinator.slack_user_id
                ]
        followed = await follow_up_unreported_many(uow, morning, now)
        for key in morning.keys:
            queued += followed[key].messages
        counts = _Counts(morning.keys)
        await counts.add(uow, queued)
        await uow.commit()
    return [
        f"{len(missing[key])} roll call(s) not answered, {followed[key].pupils} unreported "
        f"absence(s); {counts.summary(key)}"
        for key in school_keys
    ]
