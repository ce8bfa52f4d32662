"""Reports that come after the cut-off, or are for days without school."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from dialogs.i18n import _, format_clock, format_day, use_locale
from tests.dialogs.conftest import FixedClock


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


async def give_mentors_slack(world) -> None:
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        await uow.commit()


async def report_elsa_ill_today(chat) -> list:
    await chat.send("hej")
    for step in ["[" + sv("Report an absence") + "]", "[Elsa Berg]"]:
        await chat.send(step)
    for label in ["Ill", "Today", "The whole day", "No note"]:
        await chat.send(f"[{sv(label)}]")
    return await chat.send(f"[{sv('Send report')}]")


async def test_a_report_after_the_cut_off_is_also_told_to_the_mentor(chat_as, world) -> None:
    await give_mentors_slack(world)  # the clock says 08:30 in Stockholm; the cut-off is 08:00
    replies = await report_elsa_ill_today(chat_as("se-G1"))
    with use_locale("sv"):
        late = _("Your report came after {time}, so we are also telling {name}'s mentor now.")
        late = late.format(time=format_clock(datetime(2026, 1, 1, 8).time()), name="Elsa Berg")
    assert [r.text for r in replies[1:2]] == [late]
    (message,) = world.store.outbox.values()
    assert (message.recipient, message.kind) == ("U-S1", "late-report")
    assert "Elsa Berg" in message.text and "Anna Berg" in message.text


async def test_a_report_before_the_cut_off_needs_no_extra_word(
    chat_as, world, clock: FixedClock
) -> None:
    await give_mentors_slack(world)
    clock.moment = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)  # 07:30 in Stockholm
    replies = await report_elsa_ill_today(chat_as("se-G1"))
    assert len(replies) == 2 and world.store.outbox == {}


async def test_on_a_saturday_today_is_not_offered_and_weekend_days_are_refused(
    chat_as, clock: FixedClock
) -> None:
    clock.moment = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)  # Saturday
    chat = chat_as("se-G1")
    await chat.send("hej")
    await chat.send(f"[{sv('Report an absence')}]")
    await chat.send("[Elsa Berg]")
    (when,) = await chat.send(f"[{sv('Ill')}]")
    assert [b.label for b in when.buttons] == [sv("Other days"), sv("Cancel")]
    # Why "today" is missing is said, not left to guess.
    assert when.text == "När? Det är ingen skola i dag, så välj bland de kommande dagarna."
    (first_day,) = await chat.send(f"[{sv('Other days')}]")
    assert first_day.buttons[0].label.startswith("mån")
    refused, again = await chat.send("29/11")
    with use_locale("sv"):
        sunday = format_day(datetime(2026, 11, 29).date())
    assert refused.text == sv("There is no school on {day}. Please choose a school day.").format(
        day=sunday
    )
    assert again.text == first_day.text  # the same question again
