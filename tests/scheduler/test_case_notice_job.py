"""`evaluate-thresholds` at a Danish school asks the heads once per pupil and quarter, on fakes
and on both SQL backends; two heads pressing [Approve and send] at once, in two processes,
send the notice once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from dialogs.case_notices import (
    GUARDIAN_NOTICE_KIND,
    HEAD_NOTICE_KIND,
    Decision,
    decide_notice,
)
from routine.model import (
    ChatAccount,
    Country,
    Guardian,
    Language,
    Pupil,
    Role,
    School,
    SchoolClass,
    StaffMember,
)
from routine.notices_dk import NoticeKind, NoticeStatus
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWorkFactory
from routine.record import school_days
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.hits_support import imported_absences

SCHOOL = School("dk", "Skovbakke Skole", Country.DK, "Europe/Copenhagen", Language.DA)
END = date(2026, 12, 4)
NEXT = date(2026, 12, 7)
HEADS = (
    StaffMember("dk", "S1", "Birgitte Holm", frozenset({Role.PRINCIPAL}), slack_user_id="U1"),
    StaffMember("dk", "S2", "Anders Lund", frozenset({Role.PRINCIPAL}), slack_user_id="U2"),
)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment


async def set_up(factory: UnitOfWorkFactory) -> None:
    """The quarter's registers for 6A: Emil (P1) absent without lawful reason on 6 of its
    school days (over 10 %), Ida (P2) on 10 (over 15 %), Ole (P3) never. Emil's guardian
    Mette is in chat; Ida's guardian Lars is not."""
    days = school_days(SCHOOL, date(2026, 10, 1), NEXT)
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.classes.save(SchoolClass("dk", "6A"))
        for code in default_absence_codes(SCHOOL):
            await uow.codes.save(code)
        for pupil_id, name in (("P1", "Emil Hansen"), ("P2", "Ida Jensen"), ("P3", "Ole Berg")):
            await uow.pupils.save(Pupil("dk", pupil_id, name, "6A"))
        await uow.guardians.save(
            Guardian("dk", "G1", "Mette Hansen", Language.DA, pupil_ids=("P1",))
        )
        await uow.guardians.save(
            Guardian("dk", "G2", "Lars Jensen", Language.DA, "+45 1234", pupil_ids=("P2",))
        )
        await uow.accounts.save(ChatAccount("telegram", "4711", "dk", "guardian", "G1"))
        for head in HEADS:
            await uow.staff.save(head)
        await uow.roll_calls.add_imported(
            "dk", [("6A", d) for d in days], datetime(2026, 10, 1, tzinfo=UTC)
        )
        absent = [("P1", d) for d in days[:6]] + [("P2", d) for d in days[:10]]
        await uow.marks.add_many(imported_absences("dk", absent))
        await uow.commit()


async def run(factory: UnitOfWorkFactory, day: date) -> str:
    now = datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=16)
    result = await JOBS["evaluate-thresholds"].run(JobContext(factory, Clock(now)), "dk", day)
    return result.summary


async def messages(factory: UnitOfWorkFactory, kind: str) -> list[OutboxMessage]:
    async with factory() as uow:
        return [m for m in await uow.outbox.list(school_key="dk") if m.kind == kind]


async def check_the_night(factory: UnitOfWorkFactory) -> None:
    await set_up(factory)
    first = await run(factory, END)
    assert "dk.unlawful_10 2 (2 new)" in first and "dk.unlawful_15 1 (1 new)" in first
    assert first.endswith("; head's notices: 3 new, 6 message(s) queued")
    async with factory() as uow:
        cases = await uow.cases.open_cases("dk")
        notices = await uow.case_notices.of_cases([c.id for c in cases])
    by_pupil = {c.id: c.pupil_id for c in cases}
    assert sorted((by_pupil[n.case_id], n.kind, n.quarter) for n in notices) == [
        ("P1", NoticeKind.PARENTS, "2026Q4"),
        ("P2", NoticeKind.COUNCIL, "2026Q4"),
        ("P2", NoticeKind.PARENTS, "2026Q4"),
    ]
    heads = await messages(factory, HEAD_NOTICE_KIND)
    assert sorted(m.recipient for m in heads) == ["U1", "U1", "U1", "U2", "U2", "U2"]
    # The next school day the rules hold again, over a longer window: the same hits, updated
    # in place, and nothing twice.
    second = await run(factory, NEXT)
    assert "dk.unlawful_10 2 (0 new)" in second and "head's notices" not in second
    assert len(await messages(factory, HEAD_NOTICE_KIND)) == 6
    assert await messages(factory, GUARDIAN_NOTICE_KIND) == []


async def test_the_night_asks_the_heads_once_on_fakes() -> None:
    await check_the_night(FakeUnitOfWorkFactory())


async def test_the_night_asks_the_heads_once_on_sql(uow_factory: UnitOfWorkFactory) -> None:
    await check_the_night(uow_factory)


async def test_two_heads_approving_at_once_send_once(uow_factory: UnitOfWorkFactory) -> None:
    await set_up(uow_factory)
    await run(uow_factory, END)
    async with uow_factory() as uow:
        [case] = await uow.cases.open_cases("dk", ["P1"])
        [notice] = await uow.case_notices.of_cases([case.id])
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)

    async def approve(head: StaffMember) -> Decision:
        async with uow_factory() as uow:
            result = await decide_notice(uow, SCHOOL, notice.id, NoticeKind.PARENTS, head, now)
            await uow.commit()
        return result.decision

    decisions = await asyncio.gather(*(approve(head) for head in (*HEADS, *HEADS)))
    assert sorted(decisions) == [Decision.ALREADY] * 3 + [Decision.DONE]
    [sent] = await messages(uow_factory, GUARDIAN_NOTICE_KIND)
    assert (sent.platform, sent.recipient) == ("telegram", "4711")
    async with uow_factory() as uow:
        stored = await uow.case_notices.get(notice.id)
        log = (await uow.cases.events_of([case.id]))[case.id]
    assert stored.status is NoticeStatus.APPROVED and stored.decided_by in ("S1", "S2")
    assert [e.kind.value for e in log].count("notice_approved") == 1
    assert [e.kind.value for e in log].count("notice_sent") == 1
