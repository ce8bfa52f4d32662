"""Correcting a past day through the engine: what is kept, what is refused, who is told.

The transcripts in the three languages are in test_transcripts.py. The clock stands at Monday
23 November 2026, 08:30; see conftest.py for the people.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from dialogs.events import ConversationKey, Incoming
from routine.model import ChatAccount, Role, StaffMember

FRIDAY = date(2026, 11, 20)


async def test_a_refused_form_keeps_what_was_typed_and_stores_nothing(chat_as, world) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    await karin.send("[Rätta närvaron]")
    replies = await karin.send("{pupil=P3 | day=6/11 | status=late | reason=Kom 08.40}")

    (form,) = [reply.form for reply in replies if reply.form is not None]
    kept = {field.name: field.initial for field in form.fields}
    assert kept == {
        "pupil": ("P3",),
        "day": ("6/11",),
        "status": ("late",),
        "reason": ("Kom 08.40",),
    }
    assert world.store.corrections == {}


async def test_another_class_s_pupil_is_refused_and_nothing_changes(chat_as, world) -> None:
    """Olle (7B) is not offered to Karin (7A); a forged submission changes nothing."""
    karin = chat_as("se-S1")
    await karin.send("hej")
    await karin.send("[Rätta närvaron]")
    replies = await karin.send("{pupil=P2 | day=20/11 | status=present | reason=Fel klass}")
    assert replies[0].text == "Formuläret har ändrats. Fyll i det igen."
    assert world.store.corrections == {}


async def test_a_class_no_longer_one_s_own_is_refused_at_submit(chat_as, world) -> None:
    karin = chat_as("se-S1")
    await karin.send("hej")
    await karin.send("[Rätta närvaron]")
    async with world() as uow:
        mentor = await uow.staff.get("se", "S1")
        assert mentor is not None
        await uow.staff.save(dataclasses.replace(mentor, classes=("7B",)))
        await uow.commit()

    replies = await karin.send("{pupil=P1 | day=20/11 | status=present | reason=Var här}")

    assert replies[0].text == "Du kan bara rätta dagar för elever i dina egna klasser."
    assert replies[1].text == "Vad mer kan jag hjälpa dig med?"
    assert world.store.corrections == {}


async def test_a_correction_of_a_used_day_is_flagged_to_the_principal(
    chat_as, absence_codes, clock
) -> None:
    async with absence_codes() as uow:
        principal = await uow.staff.get("se", "S3")
        assert principal is not None
        await uow.staff.save(dataclasses.replace(principal, slack_user_id="U-EVA"))
        await uow.record_uses.add(
            # Just after midnight in Stockholm: the principal reads Saturday.
            "se",
            "P1",
            FRIDAY,
            "step-2",
            datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
        )
        await uow.commit()
    karin = chat_as("se-S1")
    await karin.send("hej")
    await karin.send("[Rätta närvaron]")

    replies = await karin.send(
        "{pupil=P1 | day=20/11 | status=absent | code=illness | reason=Läkarintyg inlämnat}"
    )

    assert replies[0].text.splitlines()[-1] == (
        "Rutinen hade redan använt den här dagen, så rektor har fått veta om rättelsen."
    )
    (stored,) = absence_codes.store.corrections.values()
    assert stored.flagged
    (message,) = absence_codes.store.outbox.values()
    assert (message.recipient, message.kind, message.created_at) == (
        "U-EVA",
        "correction-flagged",
        clock.now(),
    )
    assert message.text == (
        "Karin Ek har rättat närvaron för Elsa Berg (7A) fredag 20 november 2026: "
        "Inte registrerad → Frånvarande, giltig (Sjukdom).\n"
        "Motivering: Läkarintyg inlämnat\n"
        "Rutinen hade redan använt dagen: step-2 (lördag 21 november 2026). Kontrollera om "
        "det som beslutades eller skickades fortfarande gäller."
    )


async def test_a_principal_is_not_told_of_their_own_flagged_correction(
    chat_as, absence_codes, clock
) -> None:
    async with absence_codes() as uow:
        principal = await uow.staff.get("se", "S3")
        assert principal is not None
        await uow.staff.save(dataclasses.replace(principal, slack_user_id="U-EVA"))
        await uow.record_uses.add("se", "P1", FRIDAY, "step-2", clock.now())
        await uow.commit()
    eva = chat_as("se-S3")
    await eva.send("hej")
    await eva.send("[Rätta närvaron]")
    await eva.send("[7A]")
    await eva.send("{pupil=P1 | day=20/11 | status=absent | code=illness | reason=Intyg}")
    (stored,) = absence_codes.store.corrections.values()
    assert stored.flagged
    assert not [m for m in absence_codes.store.outbox.values() if m.recipient == "U-EVA"]


async def test_pupil_health_is_not_offered_corrections(engine, world) -> None:
    async with world() as uow:
        await uow.staff.save(StaffMember("se", "S9", "Siv Ek", frozenset({Role.PUPIL_HEALTH})))
        await uow.accounts.save(ChatAccount("test", "se-S9", "se", "staff", "S9"))
        await uow.commit()
    key = ConversationKey(platform="test", chat="se-S9", user="se-S9")
    (menu,) = await engine.handle(Incoming(key=key, text="hej"))
    assert "Rätta närvaron" not in [button.label for button in menu.buttons]
