"""Leave requests decided on Slack through the engine: each decider gets the request with grant
and refuse, a decision is told to the guardian, the mentor and every decider, a second decider
changes nothing, and the guardian sees the answer.

The clock stands at Monday 23 November 2026, 08:30; see conftest.py for the people.
"""

from __future__ import annotations

import dataclasses

import pytest

from dialogs.i18n import _, ngettext, use_locale
from routine.leave import LeaveRequest, LeaveStatus
from routine.model import ChatAccount, Role, StaffMember
from routine.outbox import OutboxMessage
from tests.dialogs.leave_world import ask_for_leave_for_elsa
from tests.dialogs.test_leave_flow import MENU_SV
from tests.dialogs.transcript import press, submit, with_form
from tests.fakes import FakeUnitOfWorkFactory


@pytest.fixture
async def deciders(world: FakeUnitOfWorkFactory) -> FakeUnitOfWorkFactory:
    """Eva (S3) and a second principal, Lars (S5), on Slack; Anna on Telegram too; Karin (S1)
    and Jonas (S2) mentors on Slack."""
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        lars = StaffMember(
            "se", "S5", "Lars Ek", frozenset({Role.PRINCIPAL}), slack_user_id="U-S5"
        )
        await uow.staff.save(lars)
        await uow.accounts.save(ChatAccount("test", "se-S5", "se", "staff", "S5"))
        await uow.accounts.save(ChatAccount("telegram", "4711", "se", "guardian", "G1"))
        await uow.commit()
    return world


async def _ask_for_elsa(chat_as) -> None:
    await ask_for_leave_for_elsa(chat_as("se-G1"))


def outbox(world: FakeUnitOfWorkFactory, kind: str) -> list[OutboxMessage]:
    return sorted(
        (m for m in world.store.outbox.values() if m.kind == kind), key=lambda m: m.id or 0
    )


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def test_each_decider_gets_the_request_with_grant_and_refuse(chat_as, deciders) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    sent = outbox(deciders, "leave-request")
    assert sorted(m.recipient for m in sent) == ["U-S3", "U-S5"]
    first = sent[0]
    assert first.slot == f"leave:{request.id}"
    assert first.text.splitlines() == [
        "Ansökan om ledighet från Anna Berg för Elsa Berg (7A).",
        "Dagar: tisdag 24 november 2026 till torsdag 26 november 2026 (3 skoldagar)",
        "Orsak: Farmors 90-årsdag",
    ]
    assert [b.id for b in first.buttons] == [f"l.{request.id}.grant", f"l.{request.id}.refuse"]


async def test_a_grant_is_told_to_the_guardian_the_mentor_and_every_decider(
    chat_as, deciders
) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    eva = chat_as("se-S3")
    form = with_form(await press(eva, f"l.{request.id}.grant"))
    assert [f.name for f in form.form.fields] == ["comment"]
    replies = await submit(eva, form, comment="Ha det så roligt!")

    assert replies[0].text == sv("Leave granted. The guardian and the mentors are told.")
    stored: LeaveRequest = deciders.store.leave_requests[request.id]
    assert (stored.status, stored.decided_by, stored.comment) == (
        LeaveStatus.GRANTED,
        "S3",
        "Ha det så roligt!",
    )
    (guardian_message,) = outbox(deciders, "leave-decision")
    assert (guardian_message.platform, guardian_message.recipient) == ("telegram", "4711")
    assert guardian_message.text == (
        "Skolan har beviljat ledighet för Elsa Berg: tisdag 24 november 2026 till torsdag "
        "26 november 2026.\nSkolans kommentar: Ha det så roligt!"
    )
    # Elsa is in 7A: Karin's class, not Jonas's.
    assert [m.recipient for m in outbox(deciders, "leave-granted")] == ["U-S1"]
    latest = {m.recipient: m for m in outbox(deciders, "leave-request")}
    assert sorted(latest) == ["U-S3", "U-S5"]
    for message in latest.values():
        assert message.buttons == ()
        assert "Beviljad av Eva Rydberg." in message.text
        assert "Kommentar: Ha det så roligt!" in message.text


async def test_a_second_decider_is_told_who_decided_and_changes_nothing(chat_as, deciders) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    eva, lars = chat_as("se-S3"), chat_as("se-S5")
    eva_form = with_form(await press(eva, f"l.{request.id}.refuse"))
    lars_form = with_form(await press(lars, f"l.{request.id}.grant"))
    await submit(eva, eva_form, comment="")
    late = await submit(lars, lars_form, comment="")
    again = await press(lars, f"l.{request.id}.grant")

    told = sv("This request is already decided.") + " Avslagen av Eva Rydberg."
    assert late[0].text == told
    assert again[0].text == told
    assert deciders.store.leave_requests[request.id].status is LeaveStatus.REFUSED
    (guardian_message,) = outbox(deciders, "leave-decision")
    assert guardian_message.text.startswith(
        "Skolan kunde tyvärr inte bevilja ledighet för Elsa Berg"
    )
    assert outbox(deciders, "leave-granted") == []


async def test_a_press_by_someone_who_does_not_decide_leave_does_nothing(
    chat_as, deciders
) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    replies = await press(chat_as("se-S1"), f"l.{request.id}.grant")
    assert replies[0].text == sv("This button has expired.")
    assert all(r.form is None for r in replies)
    forged = await press(chat_as("se-S3"), "l.999.grant")
    assert forged[0].text == sv("This button has expired.")
    assert deciders.store.leave_requests[request.id].status is LeaveStatus.PENDING


async def test_a_too_long_comment_is_asked_again_and_kept(chat_as, deciders) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    eva = chat_as("se-S3")
    form = with_form(await press(eva, f"l.{request.id}.grant"))
    too_long = "Trevlig resa! " * 30
    replies = await submit(eva, form, comment=too_long)

    with use_locale("sv"):
        told = ngettext(
            "The comment is too long: at most {count} character, please.",
            "The comment is too long: at most {count} characters, please.",
            300,
        ).format(count=300)
    assert replies[0].text == told
    assert with_form(replies).form.fields[0].initial == (too_long.strip(),)
    assert deciders.store.leave_requests[request.id].status is LeaveStatus.PENDING
    done = await submit(eva, with_form(replies), comment="Trevlig resa!")
    assert done[0].text == sv("Leave granted. The guardian and the mentors are told.")


async def test_the_guardian_sees_the_answer_when_asking_again(chat_as, deciders) -> None:
    await _ask_for_elsa(chat_as)
    (request,) = deciders.store.leave_requests.values()
    eva = chat_as("se-S3")
    await submit(eva, with_form(await press(eva, f"l.{request.id}.refuse")), comment="")
    await chat_as("se-G1").verify(
        f"""
    > /menu
    < Hej Anna Berg! Vad vill du göra?
    {MENU_SV}
    > [Ansök om ledighet]
    < • Ledighet avslagen för Elsa Berg: tisdag 24 november 2026 till torsdag 26 november 2026
    [Ny ansökan om ledighet] [Avbryt]
    > [Ny ansökan om ledighet]
    < Vilket barn gäller det?
    [Elsa Berg] [Olle Berg] [Avbryt]
        """
    )
