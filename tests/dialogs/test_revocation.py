"""Access taken away holds from the next event on, for every role."""

from __future__ import annotations

from datetime import date

from dialogs.i18n import _, use_locale
from routine.revocation import end_staff_access, pupil_left, unlink_guardian
from routine.roll_call import open_roll_calls
from tests.dialogs.conftest import MONDAY_MORNING, SCHOOLS

MONDAY = date(2026, 11, 23)


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def test_a_staff_member_who_left_is_a_stranger_from_the_next_event(chat_as, world) -> None:
    mentor = chat_as("se-S1")
    (_menu,) = [r for r in await mentor.send("hej") if r.buttons]
    async with world() as uow:
        revoked = await end_staff_access(uow, school_key="se", staff_id="S1")
        await uow.commit()
    assert revoked.accounts == ("test:se-S1",)
    replies = await mentor.send("hej")
    assert all("Karin Ek" not in r.text for r in replies)
    assert not any(r.buttons for r in replies)
    async with world() as uow:
        assert await uow.staff.get("se", "S1") is None
        roll_calls = await open_roll_calls(uow, SCHOOLS["se"], MONDAY, MONDAY_MORNING)
    # Their class has no mentor now: no roll call goes to them (7B's still opens).
    assert [r.class_name for r in roll_calls] == ["7B"]


async def test_an_unlinked_guardian_chat_no_longer_reaches_the_children(chat_as, world) -> None:
    guardian = chat_as("se-G1")
    await guardian.send("hej")
    async with world() as uow:
        await unlink_guardian(
            uow, school_key="se", guardian_id="G1", pupil_id=None, now=MONDAY_MORNING
        )
        await uow.commit()
    replies = await guardian.send(f"[{sv('Report an absence')}]")
    text = " ".join(r.text for r in replies)
    assert "Elsa" not in text and "Olle" not in text
    assert not any(b.label == sv("Report an absence") for r in replies for b in r.buttons)


async def test_a_guardian_whose_link_ended_no_longer_sees_that_pupil(chat_as, world) -> None:
    async with world() as uow:
        await unlink_guardian(
            uow, school_key="se", guardian_id="G1", pupil_id="P2", now=MONDAY_MORNING
        )
        await uow.commit()
    guardian = chat_as("se-G1")
    await guardian.send("hej")
    replies = await guardian.send(f"[{sv('Report an absence')}]")
    shown = " ".join([r.text for r in replies] + [b.label for r in replies for b in r.buttons])
    assert "Olle Berg" not in shown
    assert "Elsa Berg" in shown or "Elsa" in shown


async def test_a_pupil_who_left_is_on_no_roll_call(world) -> None:
    async with world() as uow:
        await pupil_left(uow, school_key="se", pupil_id="P3")
        await uow.commit()
        pupils = await uow.school_day.class_lists("se", ["7A"])
    assert [p.pupil_id for p in pupils] == ["P1"]
