"""The owner of a new stage is told: when a case reaches a stage the principal owns (SE step 3,
NO the multidisciplinary meeting and the referral) or the coordinator owns (DK mapping and
measures), those it is for get the case's card as a new message, in their language, once per
case and stage; a mentor's stage tells no principal; a replayed press sends nothing."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import pytest

from dialogs.case_card import refresh_case_cards
from dialogs.events import Reply
from dialogs.flows import staff_concern
from dialogs.i18n import _, use_locale
from dialogs.stage_change import change_stage
from routine.cases import Case, EventKind
from routine.guides import GUIDES
from routine.model import ChatAccount, Language, Role, StaffMember
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWorkFactory
from tests.dialogs.cases_world import MORE_STAFF, open_the_cases
from tests.dialogs.conftest import SCHOOLS, seed
from tests.dialogs.transcript import Chat, press
from tests.fakes import FakeUnitOfWorkFactory

# A second Norwegian principal, who reads Swedish.
SECOND_PRINCIPAL = StaffMember(
    "no",
    "S4",
    "Stina Alm",
    frozenset({Role.PRINCIPAL}),
    language=Language.SV,
    slack_user_id="U-no-S4",
)


@pytest.fixture
async def cases(world: FakeUnitOfWorkFactory) -> dict[str, int]:
    async with world() as uow:
        await uow.staff.save(SECOND_PRINCIPAL)
        await uow.accounts.save(ChatAccount("test", "no-S4", "no", "staff", "S4"))
        await uow.commit()
    opened = await open_the_cases(world)
    return {key: case.id for key, case in opened.items() if case.id is not None}


def cards(world: FakeUnitOfWorkFactory, recipient: str) -> list[OutboxMessage]:
    return sorted(
        (
            m
            for m in world.store.outbox.values()
            if m.kind == "case-card" and m.recipient == recipient
        ),
        key=lambda m: m.id or 0,
    )


def on_screen(world: FakeUnitOfWorkFactory, recipient: str) -> list[str]:
    """The recipient's case-card messages on screen, oldest first: each slot is one message,
    its later versions edit it in place."""
    return list(dict.fromkeys(m.slot for m in cards(world, recipient)))


def newest(world: FakeUnitOfWorkFactory, recipient: str, slot: str) -> OutboxMessage:
    return [m for m in cards(world, recipient) if m.slot == slot][-1]


async def move_on(chat: Chat, button_id: str) -> list[Reply]:
    """Press a card's [Next stage] and confirm it: a move is always asked first."""
    asked = await press(chat, button_id)
    # Yes, No, Cancel: the first moves it on.
    assert len(asked[-1].buttons) == 3
    return await press(chat, asked[-1].buttons[0].id)


def stage_line(stage: str, language: Language) -> str:
    return GUIDES[stage].name.in_language(language)


async def test_at_the_opening_the_first_stages_owner_has_the_card(world, cases) -> None:
    # Norway's concern is the coordinator's: they got its card when the case opened.
    assert on_screen(world, "U-no-S2") == [f"case:{cases['no']}"]
    # Sweden's step 2 and Denmark's detection are the mentor's.
    assert on_screen(world, "U-se-S1") == [f"case:{cases['se']}"]
    assert on_screen(world, "U-dk-S1") == [f"case:{cases['dk']}"]
    # No principal is told of a stage that is not theirs.
    assert on_screen(world, "U-se-S3") == on_screen(world, "U-no-S3") == []


async def test_norway_the_meeting_and_the_referral_tell_each_principal(
    world, cases, chat_as
) -> None:
    case_id = cases["no"]
    # To early effort: the mentor's stage. The mentor now leads it; no principal is told.
    moved = await move_on(chat_as("no-S2"), f"cs.{case_id}.next.no.concern")
    assert moved[0].text == "Saken er flyttet til neste steg."
    assert world.store.cases[case_id].owner_id == "S1"
    assert on_screen(world, "U-no-S3") == on_screen(world, "U-no-S4") == []
    # To the multidisciplinary meeting: each principal gets one new message, in their language.
    await move_on(chat_as("no-S1"), f"cs.{case_id}.next.no.early_effort")
    meeting = f"case:{case_id}:no.meeting"
    assert on_screen(world, "U-no-S3") == [meeting]
    assert on_screen(world, "U-no-S4") == [meeting]
    norwegian = newest(world, "U-no-S3", meeting).text.splitlines()
    swedish = newest(world, "U-no-S4", meeting).text.splitlines()
    assert f"Steg: {stage_line('no.meeting', Language.NB)}" in norwegian
    assert f"Steg: {stage_line('no.meeting', Language.SV)}" in swedish
    # The first principal leads it (appointed as at the opening: the lowest id).
    assert world.store.cases[case_id].owner_id == "S3"
    assert "Ansvarlig: Randi Lie" in norwegian
    # The coordinator and the mentor keep their cards, edited in place.
    assert on_screen(world, "U-no-S2") == [f"case:{case_id}"]
    assert on_screen(world, "U-no-S1") == [f"case:{case_id}"]
    # A replayed press (the card of a stage the case has left) moves nothing and sends nothing.
    queued = len(world.store.outbox)
    again = await press(chat_as("no-S1"), f"cs.{case_id}.next.no.early_effort")
    assert again[0].text == nb("This button has expired.")
    assert len(world.store.outbox) == queued
    # To the referral, by the principal who is not its lead: she leads it, and both are told.
    await move_on(chat_as("no-S4"), f"cs.{case_id}.next.no.meeting")
    referral = f"case:{case_id}:no.referral"
    assert world.store.cases[case_id].owner_id == "S4"
    for principal in ("U-no-S3", "U-no-S4"):
        assert on_screen(world, principal) == [meeting, referral]
        # The meeting's card says where the case went, and has no buttons left.
        retired = newest(world, principal, meeting)
        assert retired.buttons == ()
    assert newest(world, "U-no-S4", meeting).text.splitlines()[1] == (
        f"Ärendet har gått vidare till ”{stage_line('no.referral', Language.SV)}”. "
        "Se det nya meddelandet nedan."
    )
    # The referral's decisions the principal alone sees are on the principals' cards.
    secret = next(i for i in GUIDES["no.referral"].checklist if i.principal_only)
    assert secret.text.nb in newest(world, "U-no-S3", referral).text
    assert secret.text.nb not in newest(world, "U-no-S1", f"case:{case_id}").text


async def test_denmark_the_tovholder_is_told_of_mapping_and_of_measures(
    world, cases, chat_as
) -> None:
    case_id = cases["dk"]
    first = f"case:{case_id}"
    await move_on(chat_as("dk-S1"), f"cs.{case_id}.next.dk.detection")
    mapping = f"case:{case_id}:dk.mapping"
    # The tovholder coordinates the mapping (004: 1636–1639): she leads it and is told.
    assert world.store.cases[case_id].owner_id == "S2"
    assert on_screen(world, "U-dk-S2") == [first, mapping]
    card = newest(world, "U-dk-S2", mapping).text.splitlines()
    assert f"Trin: {stage_line('dk.mapping', Language.DA)}" in card
    assert newest(world, "U-dk-S2", first).buttons == ()
    # The mentor who led detection stays on the case, on the card they had.
    assert on_screen(world, "U-dk-S1") == [first]
    assert world.store.cases[case_id].members == ("S1",)
    await move_on(chat_as("dk-S2"), f"cs.{case_id}.next.dk.mapping")
    assert on_screen(world, "U-dk-S2") == [first, mapping, f"case:{case_id}:dk.measures"]
    assert on_screen(world, "U-dk-S1") == [first]
    queued = len(world.store.outbox)
    await press(chat_as("dk-S2"), f"cs.{case_id}.next.dk.mapping")
    assert len(world.store.outbox) == queued


async def test_sweden_step_3_tells_the_principal_once(world, cases, chat_as) -> None:
    case_id = cases["se"]
    await move_on(chat_as("se-S1"), f"cs.{case_id}.next.se.step2")
    step3 = f"case:{case_id}:se.step3"
    assert on_screen(world, "U-se-S3") == [step3]
    # One message for one step: no separate DM besides the card.
    assert [m for m in world.store.outbox.values() if m.recipient == "U-se-S3"] == cards(
        world, "U-se-S3"
    )
    assert on_screen(world, "U-se-S1") == on_screen(world, "U-se-S4") == [f"case:{case_id}"]
    queued = len(world.store.outbox)
    await press(chat_as("se-S6"), f"cs.{case_id}.next.se.step2")
    assert len(world.store.outbox) == queued
    # Cards queued again later (a tick) edit the principal's new card, not a third message.
    item = next(i for i in GUIDES["se.step3"].checklist if not i.principal_only)
    await press(chat_as("se-S3"), f"cs.{case_id}.tick.{item.id}@se.step3")
    assert on_screen(world, "U-se-S3") == [step3]


# Two processes at once, on real databases ----------------------------------------------------

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_two_presses_at_once_tell_the_principals_once(
    uow_factory: UnitOfWorkFactory,
) -> None:
    await seed(uow_factory)
    school = SCHOOLS["no"]
    async with uow_factory() as uow:
        for member in (
            StaffMember("no", "S2", "Per Dahl", frozenset({Role.COORDINATOR})),
            StaffMember("no", "S3", "Randi Lie", frozenset({Role.PRINCIPAL})),
            SECOND_PRINCIPAL,
        ):
            await uow.staff.save(member)
        for member in await uow.staff.list_for_school("no"):
            slack = f"U-no-{member.staff_id}"
            await uow.staff.save(dataclasses.replace(member, slack_user_id=slack))
        [case] = await uow.cases.add_new(
            [Case("no", "P1", "no.early_effort", NOW, "rule:no.x", "S1", "S2")]
        )
        await refresh_case_cards(uow, school, [case], NOW)
        await uow.commit()
    assert case.id is not None
    async with uow_factory() as uow:
        mentor = await uow.staff.get("no", "S1")
    assert mentor is not None

    async def move() -> bool:
        try:
            async with uow_factory() as uow:
                result = await change_stage(
                    uow, school, case.id or 0, mentor, "no.early_effort", NOW
                )
                await uow.commit()
                return result.done
        except Exception:  # the database refused a concurrent write: that one lost too
            return False

    moved = await asyncio.gather(*(move() for _ in range(6)))
    assert sum(moved) == 1
    async with uow_factory() as uow:
        queued = await uow.outbox.list()
        stored = await uow.cases.get(case.id)
        log = (await uow.cases.events_of([case.id]))[case.id]
    assert stored is not None and stored.stage == "no.meeting"
    assert len([e for e in log if e.kind is EventKind.STAGE_CHANGED]) == 1
    for principal in ("U-no-S3", "U-no-S4"):
        told = [m for m in queued if m.recipient == principal and m.kind == "case-card"]
        assert [m.slot for m in told] == [f"case:{case.id}:no.meeting"]


# A case opened by a concern, not by the night's rules --------------------------------------


async def on_slack(world: FakeUnitOfWorkFactory) -> None:
    async with world() as uow:
        for member in MORE_STAFF:
            await uow.staff.save(member)
        for member in await uow.staff.list_for_school("no"):
            slack = f"U-no-{member.staff_id}"
            await uow.staff.save(dataclasses.replace(member, slack_user_id=slack))
        await uow.commit()


async def choose(chat: Chat, *labels: str) -> list[Reply]:
    replies: list[Reply] = []
    for label in labels:
        replies = await chat.send(f"[{label}]")
    return replies


def nb(message: str) -> str:
    with use_locale("nb"):
        return _(message)


async def test_a_mentor_s_concern_opens_a_case_whose_coordinator_gets_the_card(
    world, chat_as
) -> None:
    await on_slack(world)
    mentor = chat_as("no-S1")
    await mentor.send("hei")
    with use_locale("nb"):
        seen = str(next(iter(staff_concern.SEEN.values())))
    replies = await choose(
        mentor,
        nb("I am worried about a pupil"),
        "Ola Nordmann",
        seen,
        nb("Without a note"),
        nb("Save the concern"),
    )
    assert replies[0].text == nb("Saved. A case has been opened for {name}.").format(
        name="Ola Nordmann"
    )
    # Norway's concern is the coordinator's stage: the card reaches them as the case opens.
    [case] = world.store.cases.values()
    assert on_screen(world, "U-no-S2") == [f"case:{case.id}"]
    assert on_screen(world, "U-no-S3") == []


async def test_a_guardian_s_concern_opens_a_case_whose_coordinator_gets_the_card(
    world, chat_as
) -> None:
    await on_slack(world)
    guardian = chat_as("no-G1")
    await guardian.send("hei")
    await choose(guardian, nb("It is hard to get my child to school"))
    await choose(guardian, nb("Yes, please tell the school"))
    [case] = world.store.cases.values()
    assert on_screen(world, "U-no-S2") == [f"case:{case.id}"]
    card = cards(world, "U-no-S2")[-1].text
    assert nb("A guardian said it is hard to get the child to school.") in card


async def test_the_last_stage_has_no_next(world, cases, chat_as) -> None:
    case_id = cases["dk"]
    await move_on(chat_as("dk-S1"), f"cs.{case_id}.next.dk.detection")
    await move_on(chat_as("dk-S2"), f"cs.{case_id}.next.dk.mapping")
    queued = len(world.store.outbox)
    last = await press(chat_as("dk-S2"), f"cs.{case_id}.next.dk.measures")
    assert last[0].text == "Sagen er allerede på sidste trin."
    assert len(world.store.outbox) == queued
    assert world.store.cases[case_id].stage == "dk.measures"
