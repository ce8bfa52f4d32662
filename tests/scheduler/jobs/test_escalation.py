"""The contact-escalation job on the fakes: requests nobody took in time go to the coordinators,
in the school day only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from routine.model import Role, StaffMember
from routine.requests import ContactRequest, ContactTime, ContactTopic, ContactWay, RequestStatus
from scheduler.jobs import JOBS, JobContext
from tests.contact_requests import call_about_elsa
from tests.scheduler.jobs.support import MONDAY, NOW, queued, run


async def test_contact_requests_nobody_took_in_time_go_to_the_coordinators(factory) -> None:
    async with factory() as uow:
        await uow.staff.save(
            StaffMember("se", "S4", "Lena Holm", frozenset({Role.COORDINATOR}), slack_user_id="U4")
        )
        waited = await uow.contact_requests.add(
            call_about_elsa(NOW - timedelta(hours=2, minutes=1))
        )
        for created, status in (
            (NOW - timedelta(minutes=90), RequestStatus.OPEN),
            (NOW - timedelta(hours=5), RequestStatus.TAKEN),
        ):
            await uow.contact_requests.add(
                ContactRequest(
                    "se",
                    "P2",
                    "G3",
                    ContactTopic.WELLBEING,
                    ContactWay.MESSAGE,
                    ContactTime.MORNING,
                    created_at=created,
                    status=status,
                )
            )
        await uow.commit()

    first = await run(factory, "contact-escalation")
    second = await run(factory, "contact-escalation")
    (message,) = [m for m in queued(factory) if m.kind == "contact-escalated"]

    assert first == "1 request(s) escalated; 1 message(s) queued, 0 already queued"
    assert second == "0 request(s) escalated; 0 message(s) queued, 0 already queued"
    assert factory.store.contact_requests[waited.id].escalated_at == NOW
    assert message.recipient == "U4"
    assert "Elsa Berg" in message.text and "Anna Berg" in message.text
    # No possessive built from a name, and the labels in lower case inside the sentence.
    assert message.text.startswith("Ingen har tagit förfrågan från Anna Berg än.")
    assert "Hur: per telefon." in message.text
    assert [b.id for b in message.buttons] == [f"c.{waited.id}.take", f"c.{waited.id}.done"]


async def test_requests_are_not_escalated_outside_the_school_day(factory) -> None:
    async with factory() as uow:
        await uow.contact_requests.add(call_about_elsa(NOW - timedelta(hours=12)))
        await uow.commit()

    class Evening:
        def now(self) -> datetime:
            return datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm

    result = await JOBS["contact-escalation"].run(JobContext(factory, Evening()), "se", MONDAY)
    assert result.summary.startswith("0 request(s) escalated")
