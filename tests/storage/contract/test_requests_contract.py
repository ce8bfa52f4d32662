"""The contract of guardians' requests (`routine.requests`): absence prompts, contact requests and
concerns, on the fakes, SQLite and PostgreSQL (see test_repository_contract)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from routine.ports import UnitOfWorkFactory
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
    PromptAnswer,
    RequestStatus,
)
from tests.storage.support import EKBACKA, FJELL, committed, read

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2025, 11, 10, 7, 50, tzinfo=UTC)
DAY = date(2025, 11, 10)


# Absence prompts


def prompt(token: str, pupil_id: str = "p1", **changes: object) -> AbsencePrompt:
    values: dict = {
        "token": token,
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "guardian_id": "g1",
        "day": DAY,
        "created_at": NOW,
    } | changes
    return AbsencePrompt(**values)


async def add_prompts(store: UnitOfWorkFactory, *prompts: AbsencePrompt) -> list[AbsencePrompt]:
    async def add(u):
        return [await u.prompts.add(p) for p in prompts]

    return await committed(store, add)


async def test_an_added_prompt_gets_an_id_and_reads_back_as_added(
    store: UnitOfWorkFactory,
) -> None:
    asked = prompt("tok-1", created_at=datetime(2025, 11, 10, 8, 50, 3, 120, tzinfo=STOCKHOLM))
    [added, other] = await add_prompts(store, asked, prompt("tok-2", "p2"))

    assert added == dataclasses.replace(asked, id=added.id)
    assert added.id is not None
    assert other.id not in (None, added.id)
    assert await read(store, lambda u: u.prompts.by_token("tok-1")) == added
    assert await read(store, lambda u: u.prompts.find(EKBACKA.key, "p1", "g1", DAY)) == added


async def test_an_answered_prompt_reads_back_as_added(store: UnitOfWorkFactory) -> None:
    answered = prompt(
        "tok-1",
        answer=PromptAnswer.CALL_ME,
        answered_at=datetime(2025, 11, 10, 9, 5, tzinfo=STOCKHOLM),
    )
    [added] = await add_prompts(store, answered)

    assert added == dataclasses.replace(answered, id=added.id)
    assert await read(store, lambda u: u.prompts.by_token("tok-1")) == added


async def test_a_prompt_is_found_only_by_its_school_pupil_guardian_and_day(
    store: UnitOfWorkFactory,
) -> None:
    added = await add_prompts(
        store,
        prompt("mine"),
        prompt("other guardian", guardian_id="g9"),
        prompt("other day", day=DAY + timedelta(days=1)),
        prompt("other pupil", "p2"),
        prompt("other school", school_key=FJELL.key),
    )

    def find(school_key: str, pupil_id: str, guardian_id: str, day: date):
        return read(store, lambda u: u.prompts.find(school_key, pupil_id, guardian_id, day))

    assert await find(EKBACKA.key, "p1", "g1", DAY) == added[0]
    assert await find(EKBACKA.key, "p1", "g9", DAY) == added[1]
    assert await find(EKBACKA.key, "p1", "g1", DAY + timedelta(days=1)) == added[2]
    assert await find(EKBACKA.key, "p2", "g1", DAY) == added[3]
    assert await find(FJELL.key, "p1", "g1", DAY) == added[4]
    assert await find(EKBACKA.key, "p3", "g1", DAY) is None
    assert await find(EKBACKA.key, "p1", "g2", DAY) is None
    assert await find(EKBACKA.key, "p1", "g1", DAY - timedelta(days=1)) is None


async def test_a_prompt_is_found_by_its_token_only(store: UnitOfWorkFactory) -> None:
    [first, second] = await add_prompts(store, prompt("tok-1"), prompt("tok-2", "p2"))

    assert await read(store, lambda u: u.prompts.by_token("tok-2")) == second
    assert await read(store, lambda u: u.prompts.by_token("tok-1")) == first
    assert await read(store, lambda u: u.prompts.by_token("tok-3")) is None
    assert await read(store, lambda u: u.prompts.by_token("TOK-1")) is None


async def test_an_answered_prompt_reads_back_updated(store: UnitOfWorkFactory) -> None:
    [added, other] = await add_prompts(store, prompt("tok-1"), prompt("tok-2", "p2"))
    answered = dataclasses.replace(
        added,
        answer=PromptAnswer.ILL,
        answered_at=datetime(2025, 11, 10, 9, 1, tzinfo=STOCKHOLM),
    )

    await committed(store, lambda u: u.prompts.update(answered))

    assert await read(store, lambda u: u.prompts.by_token("tok-1")) == answered
    assert await read(store, lambda u: u.prompts.find(EKBACKA.key, "p1", "g1", DAY)) == answered
    assert await read(store, lambda u: u.prompts.by_token("tok-2")) == other


async def test_an_answer_can_be_taken_back(store: UnitOfWorkFactory) -> None:
    [added] = await add_prompts(store, prompt("tok-1", answer=PromptAnswer.MISTAKE))
    unanswered = dataclasses.replace(added, answer=None, answered_at=None)

    await committed(store, lambda u: u.prompts.update(unanswered))

    assert await read(store, lambda u: u.prompts.by_token("tok-1")) == unanswered


async def test_updating_an_unknown_prompt_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.prompts.update(prompt("tok-1", id=999)))
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.prompts.update(prompt("tok-1")))


# Contact requests


def contact(pupil_id: str = "p1", minutes: int = 0, **changes: object) -> ContactRequest:
    """A request at Ekbackaskolan, made `minutes` after NOW."""
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "guardian_id": "g1",
        "topic": ContactTopic.ATTENDANCE,
        "way": ContactWay.PHONE,
        "time": ContactTime.ANY,
        "created_at": NOW + timedelta(minutes=minutes),
    } | changes
    return ContactRequest(**values)


async def add_contacts(
    store: UnitOfWorkFactory, *requests: ContactRequest
) -> list[ContactRequest]:
    async def add(u):
        return [await u.contact_requests.add(r) for r in requests]

    return await committed(store, add)


async def test_an_added_contact_request_gets_an_id_and_reads_back_as_added(
    store: UnitOfWorkFactory,
) -> None:
    plain = contact()
    full = contact(
        "p3",
        guardian_id="g2",
        topic=ContactTopic.WELLBEING,
        way=ContactWay.MEETING,
        time=ContactTime.AFTERNOON,
        created_at=datetime(2025, 11, 10, 8, 5, 1, 500, tzinfo=STOCKHOLM),
        status=RequestStatus.DONE,
        taken_by="s2",
        taken_at=datetime(2025, 11, 10, 9, 0, tzinfo=STOCKHOLM),
        done_at=datetime(2025, 11, 11, 14, 30, tzinfo=STOCKHOLM),
    )
    [first, second] = await add_contacts(store, plain, full)

    assert first == dataclasses.replace(plain, id=first.id)
    assert second == dataclasses.replace(full, id=second.id)
    assert None not in (first.id, second.id) and first.id != second.id
    assert await read(store, lambda u: u.contact_requests.get(first.id)) == first
    assert await read(store, lambda u: u.contact_requests.get(second.id)) == second


async def test_an_unknown_contact_request_is_none(store: UnitOfWorkFactory) -> None:
    assert await read(store, lambda u: u.contact_requests.get(999)) is None


async def test_a_contact_request_is_taken_and_done(store: UnitOfWorkFactory) -> None:
    [added, other] = await add_contacts(store, contact(), contact("p2"))
    taken = dataclasses.replace(
        added,
        status=RequestStatus.TAKEN,
        taken_by="s2",
        taken_at=datetime(2025, 11, 10, 9, 15, tzinfo=STOCKHOLM),
    )
    await committed(store, lambda u: u.contact_requests.update(taken))
    assert await read(store, lambda u: u.contact_requests.get(added.id)) == taken

    done = dataclasses.replace(taken, status=RequestStatus.DONE, done_at=NOW + timedelta(hours=5))
    await committed(store, lambda u: u.contact_requests.update(done))
    assert await read(store, lambda u: u.contact_requests.get(added.id)) == done
    assert await read(store, lambda u: u.contact_requests.get(other.id)) == other


async def test_updating_an_unknown_contact_request_raises(store: UnitOfWorkFactory) -> None:
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.contact_requests.update(contact(id=999)))
    with pytest.raises(KeyError):
        await committed(store, lambda u: u.contact_requests.update(contact()))


async def test_open_contact_requests_are_not_done_oldest_first(store: UnitOfWorkFactory) -> None:
    added = await add_contacts(
        store,
        contact("p1", 30),
        contact("p2", 10, status=RequestStatus.TAKEN, taken_by="s2"),
        contact("p1", 20, status=RequestStatus.DONE),
        contact("p3", 0),  # pupil not asked about
        contact("p1", 5, school_key=FJELL.key),  # the other school's p1
        contact("p2", 10),  # made at the same instant as an earlier one: then by id
        # Made first, though its local clock shows the latest time.
        contact("p1", created_at=datetime(2025, 11, 10, 8, 45, tzinfo=STOCKHOLM)),
    )

    listed = await read(store, lambda u: u.contact_requests.list_open(EKBACKA.key, ["p1", "p2"]))

    assert listed == [added[6], added[1], added[5], added[0]]


async def test_a_done_request_leaves_the_open_ones(store: UnitOfWorkFactory) -> None:
    [first, second] = await add_contacts(store, contact("p1", 0), contact("p1", 1))
    done = dataclasses.replace(first, status=RequestStatus.DONE, done_at=NOW)

    await committed(store, lambda u: u.contact_requests.update(done))

    assert await read(store, lambda u: u.contact_requests.list_open(EKBACKA.key, ["p1"])) == [
        second
    ]


async def test_no_pupils_have_no_open_requests(store: UnitOfWorkFactory) -> None:
    await add_contacts(store, contact("p1"))

    assert await read(store, lambda u: u.contact_requests.list_open(EKBACKA.key, [])) == []
    assert await read(store, lambda u: u.contact_requests.list_open(FJELL.key, ["p1"])) == []


# Concerns


def concern(pupil_id: str = "p1", minutes: int = 0, **changes: object) -> GuardianConcern:
    values: dict = {
        "school_key": EKBACKA.key,
        "pupil_id": pupil_id,
        "guardian_id": "g1",
        "kind": ConcernKind.HARD_TO_GET_TO_SCHOOL,
        "created_at": NOW + timedelta(minutes=minutes),
    } | changes
    return GuardianConcern(**values)


async def add_concerns(
    store: UnitOfWorkFactory, *concerns: GuardianConcern
) -> list[GuardianConcern]:
    async def add(u):
        return [await u.concerns.add(c) for c in concerns]

    return await committed(store, add)


async def test_an_added_concern_gets_an_id_and_reads_back_as_added(
    store: UnitOfWorkFactory,
) -> None:
    raised = concern(
        "p3", guardian_id="g2", created_at=datetime(2025, 11, 10, 8, 1, 2, 3, tzinfo=STOCKHOLM)
    )
    [added, other] = await add_concerns(store, raised, concern("p3"))

    assert added == dataclasses.replace(raised, id=added.id)
    assert None not in (added.id, other.id) and added.id != other.id
    assert await read(store, lambda u: u.concerns.list_for_pupil(EKBACKA.key, "p3")) == [
        added,
        other,
    ]


async def test_a_pupils_concerns_are_listed_oldest_first(store: UnitOfWorkFactory) -> None:
    added = await add_concerns(
        store,
        concern("p1", 30),
        concern("p1", 10, guardian_id="g2"),
        concern("p2", 0),  # another pupil
        concern("p1", 0, school_key=FJELL.key),  # the other school's p1
        concern("p1", 10),  # the same instant as an earlier one: then by id
        # Raised first, though its local clock shows the latest time.
        concern("p1", created_at=datetime(2025, 11, 10, 8, 45, tzinfo=STOCKHOLM)),
    )

    listed = await read(store, lambda u: u.concerns.list_for_pupil(EKBACKA.key, "p1"))

    assert listed == [added[5], added[1], added[4], added[0]]
    assert await read(store, lambda u: u.concerns.list_for_pupil(FJELL.key, "p1")) == [added[3]]
    assert await read(store, lambda u: u.concerns.list_for_pupil(EKBACKA.key, "p3")) == []


# Retention


async def test_what_was_created_before_a_moment_is_deleted_per_school(
    store: UnitOfWorkFactory,
) -> None:
    await add_prompts(
        store,
        prompt("old", created_at=NOW),
        prompt("new", pupil_id="p2", created_at=NOW + timedelta(hours=1)),
    )
    await add_contacts(store, contact(minutes=0), contact(minutes=90))
    await add_concerns(store, concern(minutes=0), concern(minutes=90))
    cutoff = NOW + timedelta(minutes=30)

    async def delete_old(u) -> list[int]:
        return [
            await u.prompts.delete_created_before(EKBACKA.key, cutoff),
            await u.contact_requests.delete_created_before(EKBACKA.key, cutoff),
            await u.concerns.delete_created_before(EKBACKA.key, cutoff),
            await u.concerns.delete_created_before(FJELL.key, NOW + timedelta(days=9)),
        ]

    assert await committed(store, delete_old) == [1, 1, 1, 0]
    assert await read(store, lambda u: u.prompts.by_token("old")) is None
    assert (await read(store, lambda u: u.prompts.by_token("new"))) is not None
    remaining = await read(store, lambda u: u.concerns.list_for_pupil(EKBACKA.key, "p1"))
    assert [c.created_at for c in remaining] == [NOW + timedelta(minutes=90)]
