"""The contract of the morning's reads for many schools (`MorningQueries`), on the fakes, SQLite
and PostgreSQL alike: each answers for several schools what the per-school reads answer for
each, a school's rows never standing in for another's (the same ids at two schools are other
people), and writes as the per-school writes do."""

from __future__ import annotations

from datetime import timedelta

import pytest

from routine.follow_up import FollowUp
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import (
    AbsenceCode,
    AbsenceReport,
    AttendanceMark,
    MarkKind,
    ReasonCategory,
    Role,
    StaffMember,
)
from routine.ports import UnitOfWorkFactory
from routine.requests import AbsencePrompt
from routine.roll_call import RollCall, RollCallStatus
from tests.storage.contract.world import DAY, NOW, save_classes, save_guardian_chats
from tests.storage.support import EKBACKA, FJELL, committed, read

ONE = timedelta(days=1)
# In code-point order, as the reads give them: "no-fjell", "se-ekbacka".
KEYS = sorted([EKBACKA.key, FJELL.key])


@pytest.fixture
async def store(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The shared store, with the schools' classes, the guardians' chats, staff and absence codes
    at both schools, p1 absent today and yesterday at each, and two reports."""

    async def save(u):
        await save_classes(u)
        await save_guardian_chats(u)
        for member in (
            StaffMember(EKBACKA.key, "s1", "Eva Mentor", frozenset({Role.MENTOR}), ("7A",)),
            StaffMember(EKBACKA.key, "s2", "Gun Samordnare", frozenset({Role.COORDINATOR})),
            StaffMember(FJELL.key, "s1", "Ola Kontakt", frozenset({Role.MENTOR}), ("8A",)),
        ):
            await u.staff.save(member)
        for key in KEYS:
            await u.codes.save(AbsenceCode(key, "S", "Sjuk", True, True))
            await u.marks.add(AttendanceMark(key, "p1", DAY, MarkKind.ABSENT))
            await u.marks.add(AttendanceMark(key, "p1", DAY - ONE, MarkKind.ABSENT))
        await u.reports.add(
            AbsenceReport(EKBACKA.key, "p3", "g2", ReasonCategory.ILLNESS, DAY, DAY)
        )
        await u.reports.add(
            AbsenceReport(FJELL.key, "p1", "g1", ReasonCategory.ILLNESS, DAY + ONE, DAY + ONE)
        )

    await committed(store, save)
    return store


async def test_the_schools_come_with_their_own_staff_and_no_unknown_key(store) -> None:
    found = await read(store, lambda u: u.morning.schools_with_staff([FJELL.key, "x", *KEYS]))
    assert [school.key for school, _staff in found] == KEYS
    for school, staff in found:
        assert staff == await read(store, lambda u, k=school.key: u.staff.list_for_school(k))
    assert [s.name for s in found[0][1]] == ["Ola Kontakt"]
    assert found[1][0] == EKBACKA

    async def without_staff(u):
        for staff_id in ("s1", "s2"):
            await u.staff.delete(EKBACKA.key, staff_id)

    await committed(store, without_staff)
    found = await read(store, lambda u: u.morning.schools_with_staff(KEYS))
    assert [(school, len(staff)) for school, staff in found] == [(FJELL, 1), (EKBACKA, 0)]


async def test_each_read_is_the_per_school_reads_together(store) -> None:
    async def each(step):
        found = []
        for key in KEYS:
            found += await read(store, lambda u, k=key: step(u, k))
        return found

    def by_id(items):
        return sorted(items, key=lambda item: item.id)

    assert await read(store, lambda u: u.morning.marks(KEYS, DAY)) == by_id(
        await each(lambda u, k: u.marks.list_for_day(k, DAY))
    )
    reports = await read(store, lambda u: u.morning.reports(KEYS, DAY))
    assert reports == by_id(await each(lambda u, k: u.reports.list_overlapping(k, DAY, DAY)))
    assert [(r.school_key, r.pupil_id) for r in reports] == [(EKBACKA.key, "p3")]
    assert await read(store, lambda u: u.morning.codes(KEYS)) == await each(
        lambda u, k: u.codes.list_for(k)
    )
    pupils = await read(
        store, lambda u: u.morning.pupils({(EKBACKA.key, "p2"), (FJELL.key, "p1")})
    )
    assert [(p.school_key, p.name) for p in pupils] == [
        (FJELL.key, "Ola Nordmann"),
        (EKBACKA.key, "Zlatan Berg"),
    ]
    classes = await read(store, lambda u: u.morning.class_lists({(EKBACKA.key, "7A")}))
    assert sorted(classes, key=lambda p: p.pupil_id) == sorted(
        await read(store, lambda u: u.school_day.class_lists(EKBACKA.key, ["7A"])),
        key=lambda p: p.pupil_id,
    )
    # FJELL's p1 and g1 are not EKBACKA's, though their ids are the same.
    guardians = await read(store, lambda u: u.morning.guardians_of({(FJELL.key, "p1")}))
    assert [(g.school_key, g.name) for g in guardians] == [(FJELL.key, "Kari Nordmann")]
    accounts = await read(
        store,
        lambda u: u.morning.chat_accounts("guardian", {(FJELL.key, "g1"), (EKBACKA.key, "g2")}),
    )
    assert [(a.school_key, a.account_id) for a in accounts] == [
        (FJELL.key, "300"),
        (EKBACKA.key, "200"),
    ]
    assert await read(store, lambda u: u.morning.class_names(KEYS)) == {
        (EKBACKA.key, "7A"),
        (EKBACKA.key, "7B"),
        (FJELL.key, "8A"),
    }


async def test_roll_calls_open_and_close_per_school_and_class(store) -> None:
    wanted = {EKBACKA.key: ["7A", "9Z"], FJELL.key: ["8A"]}
    opened = await committed(store, lambda u: u.morning.open_roll_calls(wanted, DAY, NOW))
    assert [(r.school_key, r.class_name, r.status) for r in opened] == [
        (FJELL.key, "8A", RollCallStatus.OPEN),
        (EKBACKA.key, "7A", RollCallStatus.OPEN),
    ]
    assert await committed(store, lambda u: u.morning.open_roll_calls(wanted, DAY, NOW)) == []
    assert await read(store, lambda u: u.morning.roll_calls(KEYS, DAY)) == opened
    taken = RollCall(EKBACKA.key, "7B", DAY, RollCallStatus.SUBMITTED, opened_at=NOW)
    await committed(store, lambda u: u.roll_calls.add(taken))
    closed = await committed(store, lambda u: u.morning.close_open_roll_calls(KEYS, DAY))
    assert [(r.school_key, r.class_name, r.status) for r in closed] == [
        (FJELL.key, "8A", RollCallStatus.NOT_ANSWERED),
        (EKBACKA.key, "7A", RollCallStatus.NOT_ANSWERED),
    ]


async def test_one_schools_roll_calls_open_once_for_its_listed_classes(store) -> None:
    # One school is a mapping of one, as `routine.roll_call.open_roll_calls` asks.
    opened = []
    for _ in range(2):
        opened.append(
            await committed(
                store,
                # "9Z" is in no class list: no roll call is opened for it.
                lambda u: u.morning.open_roll_calls({EKBACKA.key: ["7B", "9Z", "7A"]}, DAY, NOW),
            )
        )
    roll_calls = await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))
    assert [(r.class_name, r.status) for r in roll_calls] == [
        ("7A", RollCallStatus.OPEN),
        ("7B", RollCallStatus.OPEN),
    ]
    # The first time returns what it opened, as stored (ids included); the second, nothing.
    assert opened == [roll_calls, []]
    assert await read(store, lambda u: u.roll_calls.list_for_day(FJELL.key, DAY)) == []


async def test_closing_one_schools_open_roll_calls_leaves_a_submitted_one_alone(store) -> None:
    for key, name in ((EKBACKA.key, "7A"), (FJELL.key, "8A")):
        await committed(
            store, lambda u, k=key, n=name: u.roll_calls.add(RollCall(k, n, DAY, opened_at=NOW))
        )
    taken = RollCall(EKBACKA.key, "7B", DAY, RollCallStatus.SUBMITTED, opened_at=NOW)
    await committed(store, lambda u: u.roll_calls.add(taken))
    closed = await committed(store, lambda u: u.morning.close_open_roll_calls([EKBACKA.key], DAY))
    roll_calls = await read(store, lambda u: u.roll_calls.list_for_day(EKBACKA.key, DAY))
    assert [r for r in roll_calls if r.class_name == "7A"] == closed
    assert [r.status for r in roll_calls] == [
        RollCallStatus.NOT_ANSWERED,
        RollCallStatus.SUBMITTED,
    ]
    # Another school's open roll call is not this school's to close.
    (other,) = await read(store, lambda u: u.roll_calls.list_for_day(FJELL.key, DAY))
    assert other.status is RollCallStatus.OPEN


async def test_prompts_follow_ups_and_granted_leave_of_the_day(store) -> None:
    await committed(
        store,
        lambda u: u.school_day.add_prompts(
            [AbsencePrompt(f"t{k}", k, "p1", "g1", DAY, created_at=NOW) for k in KEYS]
        ),
    )
    await committed(
        store,
        lambda u: u.school_day.open_follow_ups([FollowUp(k, "p1", DAY, NOW) for k in KEYS]),
    )

    async def leave(u):
        for key, status in ((EKBACKA.key, LeaveStatus.GRANTED), (FJELL.key, LeaveStatus.PENDING)):
            await u.leave_requests.add(
                LeaveRequest(key, "p1", "g1", DAY, DAY, "trip", NOW, status=status)
            )

    await committed(store, leave)
    prompts = await read(store, lambda u: u.morning.prompts(KEYS, DAY))
    assert [(p.school_key, p.token) for p in prompts] == [(k, f"t{k}") for k in KEYS]
    follow_ups = await read(store, lambda u: u.morning.follow_ups(KEYS, DAY))
    assert [(f.school_key, f.pupil_id) for f in follow_ups] == [(k, "p1") for k in KEYS]
    granted = await read(store, lambda u: u.morning.granted_leave(KEYS, DAY))
    assert [(r.school_key, r.status) for r in granted] == [(EKBACKA.key, LeaveStatus.GRANTED)]
    assert await read(store, lambda u: u.morning.granted_leave(KEYS, DAY + ONE)) == []
