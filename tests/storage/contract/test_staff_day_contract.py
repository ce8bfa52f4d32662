"""The contract of the staff side of the day: roll calls, follow-ups, guardian contacts and
Slack event ids, on the fakes, SQLite and PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from routine.follow_up import (
    ContactMeans,
    ContactOutcome,
    FollowUp,
    GuardianContact,
    StepOneTopic,
)
from routine.model import AttendanceMark, MarkKind
from routine.ports import UnitOfWorkFactory
from routine.roll_call import RollCall, RollCallStatus
from tests.storage.contract.world import DAY, NOW, save_classes
from tests.storage.support import EKBACKA, FJELL, committed, read


@pytest.fixture
async def store(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The shared store, with the schools' classes."""
    await committed(store, save_classes)
    return store


async def test_a_roll_call_reads_back_as_added_and_updated(store: UnitOfWorkFactory) -> None:
    opened = RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW)
    added = await committed(store, lambda u: u.roll_calls.add(opened))
    submitted = dataclasses.replace(
        added,
        status=RollCallStatus.SUBMITTED,
        submitted_by="s1",
        submitted_at=NOW + timedelta(minutes=5),
    )
    await committed(store, lambda u: u.roll_calls.update(submitted))

    assert added == dataclasses.replace(opened, id=added.id)
    assert await read(store, lambda u: u.roll_calls.get(added.id)) == submitted
    assert await read(store, lambda u: u.roll_calls.find(EKBACKA.key, "7A", DAY)) == submitted
    assert await read(store, lambda u: u.roll_calls.find(EKBACKA.key, "7B", DAY)) is None


async def test_roll_calls_are_listed_per_school_and_day_by_class(
    store: UnitOfWorkFactory,
) -> None:
    async def add(u):
        for school, class_name, day in (
            (EKBACKA.key, "7B", DAY),
            (EKBACKA.key, "7A", DAY),
            (EKBACKA.key, "7A", DAY - timedelta(days=1)),
            (FJELL.key, "8A", DAY),
        ):
            await u.roll_calls.add(RollCall(school, class_name, day, opened_at=NOW))

    await committed(store, add)
    listed = await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))

    assert [(r.class_name, r.day) for r in listed] == [("7A", DAY), ("7B", DAY)]


async def test_old_roll_calls_are_deleted(store: UnitOfWorkFactory) -> None:
    async def add(u):
        await u.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY - timedelta(days=1), opened_at=NOW))
        await u.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW))

    await committed(store, add)

    assert await committed(store, lambda u: u.roll_calls.delete_before(EKBACKA.key, DAY)) == 1
    assert len(await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))) == 1


async def test_a_mark_can_be_deleted(store: UnitOfWorkFactory) -> None:
    async def add(u):
        first = await u.marks.add(AttendanceMark(EKBACKA.key, "p1", DAY, MarkKind.ABSENT))
        await u.marks.add(AttendanceMark(EKBACKA.key, "p2", DAY, MarkKind.LATE))
        return first

    first = await committed(store, add)
    await committed(store, lambda u: u.marks.delete(first.id))
    left = await read(store, lambda u: u.marks.list_for_day(EKBACKA.key, DAY))

    assert [(m.pupil_id, m.kind) for m in left] == [("p2", MarkKind.LATE)]


def contact(follow_up_id: int, **changes: object) -> GuardianContact:
    values: dict = {
        "follow_up_id": follow_up_id,
        "staff_id": "s1",
        "guardian_id": "g1",
        "contacted_at": NOW + timedelta(hours=1),
        "means": ContactMeans.PHONE,
        "outcome": ContactOutcome.REACHED,
        "valid": False,
        "topics": (StepOneTopic.CAUSES, StepOneTopic.NEXT_SCHOOL_DAY),
        "note": "Ringer imorgon igen.",
        "recorded_at": NOW + timedelta(hours=1, minutes=2),
    } | changes
    return GuardianContact(**values)


async def test_follow_ups_and_their_contacts_read_back(store: UnitOfWorkFactory) -> None:
    async def add(u):
        first = await u.follow_ups.add(FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=False))
        second = await u.follow_ups.add(FollowUp(EKBACKA.key, "p2", DAY, NOW))
        added = await u.guardian_contacts.add(contact(first.id))
        await u.guardian_contacts.add(contact(first.id, valid=None, topics=()))
        return first, second, added

    first, second, added = await committed(store, add)

    assert first == FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=False, id=first.id)
    assert await read(store, lambda u: u.follow_ups.get(second.id)) == second
    assert await read(store, lambda u: u.follow_ups.find(EKBACKA.key, "p1", DAY)) == first
    assert await read(store, lambda u: u.follow_ups.list_for_day(EKBACKA.key, DAY)) == [
        first,
        second,
    ]
    contacts = await read(store, lambda u: u.guardian_contacts.list_for([first.id, second.id]))
    assert contacts[0] == added == dataclasses.replace(contact(first.id), id=added.id)
    assert [(c.valid, c.topics) for c in contacts] == [
        (False, (StepOneTopic.CAUSES, StepOneTopic.NEXT_SCHOOL_DAY)),
        (None, ()),
    ]
    assert await read(store, lambda u: u.guardian_contacts.list_for([second.id])) == []


async def test_old_follow_ups_go_with_their_contacts(store: UnitOfWorkFactory) -> None:
    yesterday = DAY - timedelta(days=1)

    async def add(u):
        old = await u.follow_ups.add(FollowUp(EKBACKA.key, "p1", yesterday, NOW))
        await u.guardian_contacts.add(contact(old.id))
        await u.follow_ups.add(FollowUp(EKBACKA.key, "p1", DAY, NOW))
        return old

    old = await committed(store, add)

    assert await committed(store, lambda u: u.follow_ups.delete_before(EKBACKA.key, DAY)) == 1
    assert await read(store, lambda u: u.follow_ups.get(old.id)) is None
    assert await read(store, lambda u: u.guardian_contacts.list_for([old.id])) == []
    assert len(await read(store, lambda u: u.follow_ups.list_for_day(EKBACKA.key, DAY))) == 1


async def test_a_slack_event_is_new_only_once(store: UnitOfWorkFactory) -> None:
    assert await committed(store, lambda u: u.slack_events.first_time("Ev1", NOW)) is True
    assert await committed(store, lambda u: u.slack_events.first_time("Ev1", NOW)) is False
    assert await committed(store, lambda u: u.slack_events.first_time("Ev2", NOW)) is True


async def test_old_slack_event_ids_are_forgotten(store: UnitOfWorkFactory) -> None:
    await committed(store, lambda u: u.slack_events.first_time("old", NOW - timedelta(hours=2)))
    await committed(store, lambda u: u.slack_events.first_time("new", NOW))

    assert await committed(store, lambda u: u.slack_events.delete_seen_before(NOW)) == 1
    assert await committed(store, lambda u: u.slack_events.first_time("old", NOW)) is True
    assert await committed(store, lambda u: u.slack_events.first_time("new", NOW)) is False


async def test_adding_a_roll_call_that_exists_returns_the_one_there(
    store: UnitOfWorkFactory,
) -> None:
    first = await committed(
        store, lambda u: u.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW))
    )
    later = RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW + timedelta(hours=1))
    again = await committed(store, lambda u: u.roll_calls.add(later))

    assert again == first
    assert len(await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))) == 1


async def test_only_an_open_roll_call_becomes_not_answered(store: UnitOfWorkFactory) -> None:
    async def add(u):
        still_open = await u.roll_calls.add(RollCall(EKBACKA.key, "7A", DAY, opened_at=NOW))
        submitted = await u.roll_calls.add(
            RollCall(
                EKBACKA.key,
                "7B",
                DAY,
                status=RollCallStatus.SUBMITTED,
                opened_at=NOW,
                submitted_by="s1",
                submitted_at=NOW,
            )
        )
        return still_open, submitted

    still_open, submitted = await committed(store, add)

    assert await committed(store, lambda u: u.roll_calls.mark_not_answered(still_open.id))
    assert not await committed(store, lambda u: u.roll_calls.mark_not_answered(submitted.id))
    assert not await committed(store, lambda u: u.roll_calls.mark_not_answered(still_open.id))
    statuses = [
        r.status for r in await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))
    ]
    assert statuses == [RollCallStatus.NOT_ANSWERED, RollCallStatus.SUBMITTED]


async def test_adding_a_follow_up_that_exists_returns_the_one_there(
    store: UnitOfWorkFactory,
) -> None:
    first = await committed(
        store, lambda u: u.follow_ups.add(FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=False))
    )
    again = await committed(
        store, lambda u: u.follow_ups.add(FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=True))
    )
    assert again == first and again.reachable is False


async def test_a_pupils_follow_ups_since_a_day(store: UnitOfWorkFactory) -> None:
    async def add(u):
        for pupil_id, day in (("p1", DAY), ("p1", DAY - timedelta(days=9)), ("p2", DAY)):
            await u.follow_ups.add(FollowUp(EKBACKA.key, pupil_id, day, NOW))
        await u.follow_ups.add(FollowUp(FJELL.key, "p1", DAY, NOW))

    await committed(store, add)
    found = await read(
        store, lambda u: u.follow_ups.of_pupils(EKBACKA.key, ["p1"], DAY - timedelta(days=7))
    )
    assert [(f.school_key, f.pupil_id, f.day) for f in found] == [(EKBACKA.key, "p1", DAY)]
    both = await read(
        store,
        lambda u: u.follow_ups.of_pupils(EKBACKA.key, ["p1", "p2"], DAY - timedelta(days=30)),
    )
    assert [(f.pupil_id, f.day) for f in both] == [
        ("p1", DAY - timedelta(days=9)),
        ("p1", DAY),
        ("p2", DAY),
    ]
