"""The loser of a compare-and-set reads what the database holds, not what its own unit of work
read before the claim: the same member of staff taking a contact request from two chats at
once hears "you have it" in the one and "you have already taken it" in the other, never that
someone else has it. On SQLite and PostgreSQL through the real unit of work.

The flows hold no ORM row between reads, so the session's identity map (weak) has let go of
the row by the time of the claim; `tests/storage/test_lost_claim_reads.py` holds one, which is
where a stale read showed before `storage.read_cache` expired it."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

from dialogs.engine import Engine
from dialogs.events import ConversationKey, Incoming
from dialogs.flows import all_flows
from routine.guardian_requests import take_contact_request
from routine.invites import hash_code, issue_invite
from routine.model import ChatAccount
from routine.ports import UnitOfWorkFactory
from routine.requests import RequestStatus
from tests.contact_requests import call_about_elsa
from tests.dialogs.concurrent_world import Interleaved, tr
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed

TAKEN = "You have taken the request. The guardian is told that you will contact them."
MINE = "You have already taken this request."
THEIRS = "Someone else has already taken that request."
# Interleavings tried: in most of them one press reads the request before the other takes it.
SEEDS = 6


async def _request(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory() as uow:
        request = await uow.contact_requests.add(call_about_elsa(MONDAY_MORNING))
        await uow.commit()
    assert request.id is not None
    return request.id


async def test_one_member_of_staff_taking_from_two_chats_at_once_is_told_they_have_it(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        # se-S1's second chat: the same user in another conversation (a channel and a DM).
        await uow.accounts.save(ChatAccount("test", "se-S1-b", "se", "staff", "S1"))
        await uow.commit()
    keys = [
        ConversationKey(platform="test", chat="se-S1", user="se-S1"),
        ConversationKey(platform="test", chat="se-S1-b", user="se-S1"),
    ]
    heard: list[str] = []
    for n in range(SEEDS):
        request_id = await _request(uow_factory)
        rnd = random.Random(n)
        # Two engines: two processes on one database.
        engines = [
            Engine(
                uow_factory=Interleaved(uow_factory, rnd),
                flows=all_flows(),
                clock=FixedClock(MONDAY_MORNING),
            )
            for _e in range(2)
        ]
        press = f"c.{request_id}.take"
        answers = await asyncio.gather(
            *(
                engine.handle(Incoming(key=key, button=press))
                for engine, key in zip(engines, keys, strict=True)
            )
        )
        said = {tr("sv", text): text for text in (TAKEN, MINE, THEIRS)}
        # What each chat was told about the request (the menu that follows aside).
        told = sorted(said[r.text] for replies in answers for r in replies if r.text in said)
        assert told == sorted([TAKEN, MINE]), (n, told)
        heard.extend(told)
        async with uow_factory() as uow:
            stored = await uow.contact_requests.get(request_id)
        assert stored is not None
        assert (stored.status, stored.taken_by) == (RequestStatus.TAKEN, "S1")
    assert len(heard) == 2 * SEEDS


async def test_after_a_lost_take_the_same_unit_of_work_reads_the_winner(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Deterministic: the loser read the request, then another unit of work took it."""
    await seed(uow_factory)
    request_id = await _request(uow_factory)
    async with uow_factory() as loser:
        staff = await loser.staff.get("se", "S1")
        assert staff is not None
        before = await loser.contact_requests.get(request_id)
        assert before is not None and before.status is RequestStatus.OPEN
        async with uow_factory() as winner:
            assert await winner.contact_requests.take(request_id, "S3", MONDAY_MORNING)
            await winner.commit()
        assert await take_contact_request(
            loser, request_id=request_id, staff=staff, now=MONDAY_MORNING
        ) is None  # fmt: skip
        after = await loser.contact_requests.get(request_id)
        assert after is not None
        assert (after.status, after.taken_by) == (RequestStatus.TAKEN, "S3")


async def test_after_a_lost_claim_of_an_invite_code_the_code_reads_as_used(
    uow_factory: UnitOfWorkFactory,
) -> None:
    """The same rule for every claim: here the invite code, read by a select, not a get."""
    await seed(uow_factory)
    async with uow_factory() as uow:
        code, invite = await issue_invite(
            uow, school_key="dk", guardian_id="G1", now=MONDAY_MORNING, ttl=timedelta(hours=1)
        )
        await uow.commit()
    assert invite.id is not None
    later = MONDAY_MORNING + timedelta(minutes=1)
    async with uow_factory() as loser:
        found = await loser.invites.find_by_hash(hash_code(code))
        assert found is not None and found.used_at is None
        async with uow_factory() as winner:
            assert await winner.invites.mark_used(invite.id, later)
            await winner.commit()
        assert not await loser.invites.mark_used(invite.id, later)
        again = await loser.invites.find_by_hash(hash_code(code))
        assert again is not None and again.used_at == later
