"""The morning's roll-call jobs on the fakes: each class's roll call opens and reaches its
mentors, who are reminded while it is not in, and it is recorded as not answered when due."""

from __future__ import annotations

import dataclasses
from datetime import time

from dialogs.i18n import _, format_clock, format_day, use_locale
from routine.model import Role, StaffMember
from routine.roll_call import RollCallStatus
from tests.scheduler.jobs.support import MONDAY, NOW, queued, run


async def test_each_class_s_roll_call_opens_and_reaches_its_mentors(factory) -> None:
    summary = await run(factory, "roll-call")
    roll_calls = sorted(factory.store.roll_calls.values(), key=lambda r: r.class_name)
    messages = {m.recipient: m for m in queued(factory)}

    assert summary == "2 roll call(s) open; 2 message(s) queued, 0 already queued"
    assert [(r.class_name, r.day, r.status.value) for r in roll_calls] == [
        ("7A", MONDAY, "open"),
        ("7B", MONDAY, "open"),
    ]
    assert (messages["U1"].slot, messages["U2"].slot) == (
        "roll-call:7A:2026-11-23",
        "roll-call:7B:2026-11-23",
    )
    assert [b.id for b in messages["U1"].buttons] == [
        f"r.{roll_calls[0].id}.open",
        f"r.{roll_calls[0].id}.confirm",
    ]
    with use_locale("da"):
        reported = _("Reported by guardians:")
        absent = _("Absent: {names}").format(names="Olle Berg")
    # Olle's illness is reported: Jonas sees it, in Danish, before he starts.
    assert messages["U2"].text.splitlines()[2:4] == [reported, absent]
    assert await run(factory, "roll-call") == (
        "2 roll call(s) open; 0 message(s) queued, 2 already queued"
    )


async def test_mentors_whose_roll_call_is_not_in_are_reminded(factory) -> None:
    await run(factory, "roll-call")
    seven_a = next(r for r in factory.store.roll_calls.values() if r.class_name == "7A")
    factory.store.roll_calls[seven_a.id] = dataclasses.replace(
        seven_a, status=RollCallStatus.SUBMITTED, submitted_by="S1", submitted_at=NOW
    )
    summary = await run(factory, "roll-call-reminder")
    reminders = [m for m in queued(factory) if m.kind == "roll-call-reminder"]

    assert summary == "1 roll call(s) not in; 1 message(s) queued, 0 already queued"
    assert [m.recipient for m in reminders] == ["U2"]
    with use_locale("da"):
        expected = _(
            "Reminder: the roll call for class {name} is not in yet. It is due at {time}."
        ).format(name="7B", time=format_clock(time(9, 0)))
    assert reminders[0].text == expected


async def test_a_roll_call_not_in_when_due_is_recorded_as_not_answered(factory) -> None:
    async with factory() as uow:
        await uow.staff.save(
            StaffMember("se", "S4", "Lena Holm", frozenset({Role.COORDINATOR}), slack_user_id="U4")
        )
        await uow.commit()
    await run(factory, "roll-call")
    summary = await run(factory, "unreported-absences")
    statuses = {r.class_name: r.status for r in factory.store.roll_calls.values()}
    (summary_message,) = [m for m in queued(factory) if m.kind == "missing-roll-calls"]

    assert summary.startswith("2 roll call(s) not answered, ")
    assert statuses == {"7A": RollCallStatus.NOT_ANSWERED, "7B": RollCallStatus.NOT_ANSWERED}
    assert summary_message.recipient == "U4"
    with use_locale("sv"):
        first_line = _("Roll calls not answered by {time} on {day}: {classes}.").format(
            time=format_clock(time(9, 0)), day=format_day(MONDAY), classes="7A, 7B"
        )
    assert summary_message.text.splitlines()[0] == first_line
