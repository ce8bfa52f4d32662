"""The end-of-day job on the fakes: what nobody explained is invalid (unlawful in Denmark), the
coordinators hear whose guardians nobody reached, and the roll calls lose their buttons."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time

from dialogs.i18n import _, format_clock, use_locale
from routine.follow_up import ContactMeans, ContactOutcome, GuardianContact, record_contact
from routine.model import AbsenceReport, Country, Language, ReasonCategory, Role, StaffMember
from routine.roll_call import RollCallStatus
from routine.roster import default_absence_codes
from scheduler.jobs import JOBS, JobContext
from tests.scheduler.jobs.support import MONDAY, NOW, SCHOOL, queued, run


async def test_the_end_of_the_day_makes_unexplained_absence_invalid(factory) -> None:
    summary = await run(factory, "end-of-day")
    marks = {(m.pupil_id, m.lesson): m for m in factory.store.marks.values()}
    assert summary == (
        "1 explained by reports, 3 invalid, 0 without a contact with a guardian; "
        "0 message(s) queued, 0 already queued"
    )
    assert [
        (key, m.explained, m.valid, m.code)
        for key, m in sorted(marks.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
    ] == [
        (("P1", None), False, False, "invalid"),
        (("P2", "Engelska"), False, False, "invalid"),
        (("P2", "Matematik"), False, False, "invalid"),
        (("P3", None), True, True, "illness"),
        (("P4", None), False, None, None),
    ]
    assert (await run(factory, "end-of-day")).startswith("0 explained by reports, 3 invalid")


async def test_the_coordinators_hear_at_the_end_of_the_day_whose_guardians_nobody_reached(
    factory,
) -> None:
    # "Rektor ska se till att elevens vårdnadshavare underrättas samma dag" (001: 640–644).
    async with factory() as uow:
        await uow.staff.save(
            StaffMember(
                "se", "S4", "Lena Sund", frozenset({Role.COORDINATOR}), (), Language.NB, "U4"
            )
        )
        await uow.commit()
    await run(factory, "unreported-absences")
    elsa = next(f for f in factory.store.follow_ups.values() if f.pupil_id == "P1")
    async with factory() as uow:
        await record_contact(
            uow,
            follow_up=elsa,
            contact=GuardianContact(
                elsa.id, "S1", "G1", NOW, ContactMeans.PHONE, ContactOutcome.REACHED, None,
                recorded_at=NOW,
            ),
        )  # fmt: skip
        await uow.commit()
    summary = await run(factory, "end-of-day")
    assert "1 without a contact with a guardian; 1 message(s) queued" in summary
    (notice,) = [m for m in queued(factory) if m.kind == "guardians-not-reached"]
    assert notice.recipient == "U4"
    with use_locale("nb"):
        assert notice.text.splitlines()[1:] == [
            "• Maja Lind (7A)",
            _("The guardians must be told today."),
        ]
    again = await run(factory, "end-of-day")
    assert again.endswith("0 message(s) queued, 1 already queued")


async def test_in_denmark_another_reason_is_unlawful_absence(factory) -> None:
    danish = [
        c
        for c in default_absence_codes(
            SCHOOL.__class__(**{**SCHOOL.__dict__, "country": Country.DK})
        )
    ]
    async with factory() as uow:
        await uow.schools.save(dataclasses.replace(SCHOOL, country=Country.DK))
        for code in danish:
            await uow.codes.save(code)
        await uow.reports.add(
            AbsenceReport("se", "P1", "G1", ReasonCategory.OTHER, MONDAY, MONDAY)
        )
        await uow.commit()
    summary = await run(factory, "unreported-absences")
    # Unlawful absence, reported or not, is followed up the same day (004: 2474–2477).
    assert summary.startswith("0 roll call(s) not answered, 2 unreported absence(s)")
    await run(factory, "end-of-day")
    elsa = next(m for m in factory.store.marks.values() if m.pupil_id == "P1")
    assert (elsa.explained, elsa.valid, elsa.code) == (True, False, "other")


async def test_at_the_end_of_the_day_the_roll_call_messages_lose_their_buttons(factory) -> None:
    await run(factory, "roll-call")
    seven_a = next(r for r in factory.store.roll_calls.values() if r.class_name == "7A")
    factory.store.roll_calls[seven_a.id] = dataclasses.replace(
        seven_a, status=RollCallStatus.SUBMITTED, submitted_by="S1", submitted_at=NOW
    )

    class Afternoon:
        def now(self) -> datetime:
            return datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 16:00 in Stockholm

    await JOBS["end-of-day"].run(JobContext(factory, Afternoon()), "se", MONDAY)
    latest = {}
    for message in sorted(queued(factory), key=lambda m: m.id or 0):
        latest[message.recipient] = message

    assert (latest["U1"].buttons, latest["U2"].buttons) == ((), ())
    with use_locale("da"):
        not_taken = _("Not answered: no roll call was taken for this day.")
    with use_locale("sv"):
        still = _("You can change it until {time}.").format(time=format_clock(time(16, 0)))
    assert latest["U2"].text.splitlines()[-1] == not_taken
    assert "Karin Ek" in latest["U1"].text and still not in latest["U1"].text
