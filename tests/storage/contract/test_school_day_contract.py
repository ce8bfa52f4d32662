"""The contract of the set-based reads and bulk writes the daily jobs use (`SchoolDayQueries`,
`OutboxRepository.add_many`) and of the record's range queries, on the fakes, SQLite and
PostgreSQL alike. One school's roll calls are opened and closed through `MorningQueries`
(`test_morning_contract.py`)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from routine.follow_up import FollowUp
from routine.model import (
    AbsenceReport,
    AttendanceMark,
    ChatAccount,
    Guardian,
    Language,
    MarkKind,
    MarkSource,
    ReasonCategory,
)
from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from routine.ports import UnitOfWorkFactory
from routine.requests import AbsencePrompt
from tests.storage.contract.world import DAY, NOW, save_classes, save_guardian_chats
from tests.storage.support import EKBACKA, FJELL, committed, read


@pytest.fixture
async def store(store: UnitOfWorkFactory) -> UnitOfWorkFactory:
    """The shared store, with the schools' classes and the guardians' chats, g1 of Ekbackaskolan
    on the console too (one guardian, two chats)."""

    async def save(u):
        await save_classes(u)
        await save_guardian_chats(u)
        await u.accounts.save(ChatAccount("console", "se/g1", EKBACKA.key, "guardian", "g1"))

    await committed(store, save)
    return store


async def test_pupils_guardians_and_chats_are_read_for_the_ids_asked_only(store) -> None:
    def names(items):
        return [getattr(i, "name", None) or i.account_id for i in items]

    pupils = await read(store, lambda u: u.school_day.pupils(EKBACKA.key, ["p1", "p3", "nobody"]))
    assert names(pupils) == ["Åsa Lind", "Örjan Ek"]
    guardians = await read(store, lambda u: u.school_day.guardians_of(EKBACKA.key, ["p1"]))
    assert [(g.guardian_id, g.pupil_ids) for g in guardians] == [("g1", ("p1",))]
    accounts = await read(
        store, lambda u: u.school_day.chat_accounts(EKBACKA.key, "guardian", ["g1"])
    )
    assert [(a.platform, a.account_id) for a in accounts] == [
        ("console", "se/g1"),
        ("telegram", "100"),
    ]
    classes = await read(store, lambda u: u.school_day.class_lists(EKBACKA.key, ["7A"]))
    # By name, in code-point order (Z before Å): presentation sorts for the reader.
    assert [p.pupil_id for p in classes] == ["p2", "p1"]


async def test_guardians_come_with_all_their_links_whichever_pupil_was_asked(store) -> None:
    async def link(u):
        both = Guardian(EKBACKA.key, "g2", "Per Ek", Language.SV, pupil_ids=("p3", "p1"))
        await u.guardians.save(both)

    await committed(store, link)
    guardians = await read(store, lambda u: u.school_day.guardians_of(EKBACKA.key, ["p3"]))
    assert [(g.guardian_id, g.name, g.pupil_ids) for g in guardians] == [
        ("g2", "Per Ek", ("p1", "p3"))
    ]
    guardians = await read(store, lambda u: u.school_day.guardians_of(EKBACKA.key, ["p1"]))
    assert [(g.guardian_id, g.pupil_ids) for g in guardians] == [
        ("g1", ("p1",)),
        ("g2", ("p1", "p3")),
    ]
    # The same ids at another school are other people.
    guardians = await read(store, lambda u: u.school_day.guardians_of(FJELL.key, ["p1"]))
    assert [(g.name, g.pupil_ids) for g in guardians] == [("Kari Nordmann", ("p1",))]


async def test_prompts_and_follow_ups_are_added_once(store) -> None:
    prompt = AbsencePrompt("t1", EKBACKA.key, "p1", "g1", DAY, created_at=NOW)
    again = dataclasses.replace(prompt, token="t2")
    await committed(store, lambda u: u.school_day.add_prompts([prompt]))
    await committed(store, lambda u: u.school_day.add_prompts([again]))
    prompts = await read(store, lambda u: u.school_day.prompts(EKBACKA.key, DAY))
    assert [(p.token, p.pupil_id) for p in prompts] == [("t1", "p1")]

    first = FollowUp(EKBACKA.key, "p1", DAY, NOW, reachable=False)
    await committed(store, lambda u: u.school_day.open_follow_ups([first]))
    await committed(
        store, lambda u: u.school_day.open_follow_ups([dataclasses.replace(first, reachable=True)])
    )
    (kept,) = await read(store, lambda u: u.follow_ups.list_for_day(EKBACKA.key, DAY))
    assert kept.reachable is False


async def test_marks_are_updated_in_bulk_and_read_over_a_range(store) -> None:
    marks = [
        AttendanceMark(EKBACKA.key, "p1", DAY, MarkKind.ABSENT),
        AttendanceMark(EKBACKA.key, "p2", DAY + timedelta(days=1), MarkKind.LATE, minutes=5),
        AttendanceMark(
            EKBACKA.key, "p3", DAY + timedelta(days=9), MarkKind.ABSENT, source=MarkSource.IMPORT
        ),
    ]
    assert await committed(store, lambda u: u.marks.add_many(marks)) == 3
    stored = await read(
        store, lambda u: u.marks.list_between(EKBACKA.key, DAY, DAY + timedelta(1))
    )
    assert [(m.pupil_id, m.kind, m.minutes) for m in stored] == [
        ("p1", MarkKind.ABSENT, None),
        ("p2", MarkKind.LATE, 5),
    ]
    judged = dataclasses.replace(stored[0], explained=True, valid=False, code="invalid")
    await committed(store, lambda u: u.school_day.update_marks([judged]))
    everything = await read(
        store,
        lambda u: u.marks.list_between(EKBACKA.key, DAY, DAY + timedelta(days=30), ["p1", "p3"]),
    )
    assert everything == [judged, dataclasses.replace(marks[2], id=everything[1].id)]


async def test_reports_overlapping_a_range(store) -> None:
    def report(pupil, first, last):
        return AbsenceReport(EKBACKA.key, pupil, "g1", ReasonCategory.ILLNESS, first, last)

    await committed(store, lambda u: u.reports.add(report("p1", DAY - timedelta(3), DAY)))
    await committed(
        store, lambda u: u.reports.add(report("p2", DAY + timedelta(1), DAY + timedelta(2)))
    )
    await committed(
        store, lambda u: u.reports.add(report("p3", DAY + timedelta(5), DAY + timedelta(6)))
    )
    found = await read(
        store, lambda u: u.reports.list_overlapping(EKBACKA.key, DAY, DAY + timedelta(1))
    )
    assert [r.pupil_id for r in found] == ["p1", "p2"]
    only = await read(store, lambda u: u.reports.list_overlapping(EKBACKA.key, DAY, DAY, ["p2"]))
    assert only == []


def message(key: str, text: str, *, slot: str = "list", recipient: str = "U1") -> OutboxMessage:
    return OutboxMessage(
        key=key, platform="slack", recipient=recipient, text=text, kind="list",
        school_key=EKBACKA.key, buttons=(OutgoingButton("b", "B"),), created_at=NOW, slot=slot,
    )  # fmt: skip


async def test_add_many_is_add_for_many_messages(store) -> None:
    first = [
        message("k1", "one"),
        message("k2", "two", recipient="U2"),
        message("k3", "x", slot=""),
    ]
    assert await committed(store, lambda u: u.outbox.add_many(first)) == [True, True, True]
    # The same key again, the same text in a slot, a newer version, two versions in one batch.
    second = [
        message("k3", "x", slot=""),
        message("k4", "one"),
        message("k5", "two, changed", recipient="U2"),
        message("k6", "three", slot="other"),
        message("k7", "three, newer", slot="other"),
    ]
    assert await committed(store, lambda u: u.outbox.add_many(second)) == [
        False, False, True, False, True,
    ]  # fmt: skip
    stored = {m.key: m.status for m in await read(store, lambda u: u.outbox.list())}
    assert stored == {
        "k1": DeliveryStatus.PENDING,
        "k2": DeliveryStatus.SUPERSEDED,
        "k3": DeliveryStatus.PENDING,
        "k5": DeliveryStatus.PENDING,
        "k7": DeliveryStatus.PENDING,
    }
