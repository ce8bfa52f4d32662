"""Check-then-act races, at the same time and on real databases: one invite code links one
account, one contact request has one taker, and a double press of "Send report" stores one
report. Each claim is a compare-and-set that checks the rows it changed."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from dialogs.engine import Engine
from dialogs.events import ConversationKey, Incoming
from dialogs.flows import all_flows
from dialogs.i18n import _, use_locale
from routine.guardian_requests import take_contact_request
from routine.invites import InviteRefused, issue_invite, redeem_invite
from routine.model import ReportStatus
from routine.ports import UnitOfWorkFactory
from routine.requests import RequestStatus
from tests.contact_requests import attendance_call
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed
from tests.dialogs.transcript import Chat

ATTEMPTS = 10


def da(message: str) -> str:
    with use_locale("da"):
        return _(message)


async def test_one_invite_code_links_one_account(uow_factory: UnitOfWorkFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        code, _invite = await issue_invite(
            uow, school_key="dk", guardian_id="G1", now=MONDAY_MORNING, ttl=timedelta(hours=1)
        )

    async def redeem(chat: int) -> bool:
        try:
            async with uow_factory() as uow:
                await redeem_invite(
                    uow, code=code, platform="telegram", account_id=str(chat), now=MONDAY_MORNING
                )
                await uow.commit()
                return True
        except InviteRefused:
            return False
        except Exception:  # the database refused a concurrent write: that one lost too
            return False

    linked = await asyncio.gather(*(redeem(1000 + n) for n in range(ATTEMPTS)))
    assert sum(linked) == 1
    async with uow_factory() as uow:
        accounts = await uow.accounts.list_for_person("dk", "guardian", "G1")
    assert len([a for a in accounts if a.platform == "telegram"]) == 1


async def test_one_contact_request_has_one_taker(uow_factory: UnitOfWorkFactory) -> None:
    await seed(uow_factory)
    async with uow_factory() as uow:
        request = await uow.contact_requests.add(attendance_call("dk", "P1", "G1", MONDAY_MORNING))
        staff = [s for s in await uow.staff.list_for_school("dk")]
        await uow.commit()

    async def take(n: int) -> str | None:
        member = staff[n % len(staff)]
        try:
            async with uow_factory() as uow:
                taken = await take_contact_request(
                    uow, request_id=request.id, staff=member, now=MONDAY_MORNING
                )
                await uow.commit()
                return None if taken is None else member.staff_id
        except Exception:
            return None

    takers = [t for t in await asyncio.gather(*(take(n) for n in range(ATTEMPTS))) if t]
    assert len(takers) == 1
    async with uow_factory() as uow:
        stored = await uow.contact_requests.get(request.id)
    assert (stored.status, stored.taken_by) == (RequestStatus.TAKEN, takers[0])


async def test_a_double_press_of_send_stores_one_report(uow_factory: UnitOfWorkFactory) -> None:
    await seed(uow_factory)
    engine = Engine(uow_factory=uow_factory, flows=all_flows(), clock=FixedClock(MONDAY_MORNING))
    guardian = Chat(engine, ConversationKey(platform="test", chat="dk-G1", user="dk-G1"))
    await guardian.send("hej")
    for step in ["Report an absence", "Ill", "Today", "The whole day", "No note"]:
        await guardian.send(f"[{da(step)}]")
    (send,) = [b for b in guardian.buttons if b.label == da("Send report")]
    press = Incoming(key=guardian.key, button=send.id)
    answers = await asyncio.gather(*(engine.handle(press) for _ in range(2)))
    async with uow_factory() as uow:
        reports = await uow.reports.list_covering("dk", ["P1"], MONDAY_MORNING.date())
    assert [r.status for r in reports] == [ReportStatus.ACTIVE]
    texts = [reply.text for replies in answers for reply in replies]
    receipt = da("Thank you. The school has received your report. Reference number: {ref}.")
    assert sum(text.startswith(receipt.split("{")[0]) for text in texts) == 1
    assert da("This button has expired.") in texts
