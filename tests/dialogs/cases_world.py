"""A world with open cases for the case-card tests: the dialogs' seed, the staff on Slack, and
one case per school opened by the nightly rules' numbers."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from dialogs.case_card import refresh_case_cards
from routine.case_opening import open_cases
from routine.cases import Case, Origin, Trigger, rule_actor
from routine.model import ChatAccount, Role, StaffMember
from tests.fakes import FakeUnitOfWorkFactory

# Sunday night before the dialogs' Monday morning.
NIGHT = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)

# One rule hit per school, with the numbers behind it.
HITS = {
    "se": ("P1", "se.step2", {"count": 3, "school_days": 20, "known": 20, "share": 0.15}),
    "no": ("P1", "no.invalid_repeated", {"count": 4, "school_days": 20}),
    "dk": ("P1", "dk.unlawful_10", {"count": 2, "school_days": 19, "known": 19, "share": 0.1053}),
}
WINDOW = (date(2026, 10, 26), date(2026, 11, 20))

# A second Swedish mentor of 7A, a coordinator and a member of staff of another school.
MORE_STAFF = [
    StaffMember("se", "S6", "Sara Vik", frozenset({Role.MENTOR}), ("7A",)),
    StaffMember("no", "S2", "Per Dahl", frozenset({Role.COORDINATOR})),
    StaffMember("no", "S3", "Randi Lie", frozenset({Role.PRINCIPAL})),
    StaffMember("dk", "S2", "Mette Krogh", frozenset({Role.COORDINATOR})),
]


def hit_trigger(school_key: str) -> Trigger:
    pupil_id, rule_id, numbers = HITS[school_key]
    return Trigger(
        pupil_id,
        Origin.RULE,
        NIGHT,
        rule_actor(rule_id),
        rule_id=rule_id,
        numbers=numbers,
        window_start=WINDOW[0],
        window_end=WINDOW[1],
    )


async def open_the_cases(world: FakeUnitOfWorkFactory) -> dict[str, Case]:
    """Staff on Slack (U-<school>-<id>), then a case per school with its cards queued, as the
    nightly job does."""
    async with world() as uow:
        for member in MORE_STAFF:
            await uow.staff.save(member)
            account = f"{member.school_key}-{member.staff_id}"
            await uow.accounts.save(
                ChatAccount("test", account, member.school_key, "staff", member.staff_id)
            )
        for school_key in HITS:
            for member in await uow.staff.list_for_school(school_key):
                slack = f"U-{school_key}-{member.staff_id}"
                await uow.staff.save(dataclasses.replace(member, slack_user_id=slack))
        opened = {}
        for school_key in HITS:
            school = await uow.schools.get(school_key)
            assert school is not None
            changes = await open_cases(uow, school, [hit_trigger(school_key)])
            await refresh_case_cards(uow, school, changes.opened, NIGHT)
            (opened[school_key],) = changes.opened
        await uow.commit()
    return opened
