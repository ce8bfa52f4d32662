"""What the tests of the staff's day share: a Swedish school's Monday with staff on Slack, Maja
reported ill and the roll calls open; Elsa absent and followed up; pressing and submitting as
staff do."""

from __future__ import annotations

import dataclasses
from datetime import date

from dialogs.i18n import _, use_locale
from routine.follow_up import open_follow_up
from routine.model import AbsenceReport, AttendanceMark, MarkKind, ReasonCategory
from routine.outbox import OutboxMessage
from routine.roll_call import RollCall, open_roll_calls
from routine.roster import default_absence_codes
from tests.dialogs.conftest import SCHOOLS, FixedClock
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)


SE = SCHOOLS["se"]


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def open_day(world: FakeUnitOfWorkFactory, clock: FixedClock) -> FakeUnitOfWorkFactory:
    """Staff on Slack; Maja (P3, 7A) reported ill by Per; roll calls open."""
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        for code in default_absence_codes(SE):
            await uow.codes.save(code)
        await uow.reports.add(
            AbsenceReport("se", "P3", "G2", ReasonCategory.ILLNESS, MONDAY, MONDAY)
        )
        await open_roll_calls(uow, SE, MONDAY, clock.now())
        await uow.commit()
    return world


def roll_call_of(world: FakeUnitOfWorkFactory, class_name: str) -> RollCall:
    return next(r for r in world.store.roll_calls.values() if r.class_name == class_name)


def slack_to(world: FakeUnitOfWorkFactory, recipient: str, kind: str) -> list[OutboxMessage]:
    return [
        m
        for m in sorted(world.store.outbox.values(), key=lambda m: m.id or 0)
        if m.recipient == recipient and m.kind == kind
    ]


async def follow_elsa(day: FakeUnitOfWorkFactory, clock: FixedClock) -> int:
    """Elsa (P1) is absent without a report, and is being followed up."""
    async with day() as uow:
        await uow.marks.add(AttendanceMark("se", "P1", MONDAY, MarkKind.ABSENT))
        follow_up = await open_follow_up(
            uow, school_key="se", pupil_id="P1", day=MONDAY, reachable=True, now=clock.now()
        )
        await uow.commit()
    assert follow_up.id is not None
    return follow_up.id
