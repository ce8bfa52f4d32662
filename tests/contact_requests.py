"""Contact requests the tests of several layers ask for (the escalation job, staff follow-ups,
the races for one taker and the lost claims)."""

from __future__ import annotations

from datetime import datetime

from routine.requests import ContactRequest, ContactTime, ContactTopic, ContactWay


def attendance_call(
    school_key: str, pupil_id: str, guardian_id: str, created_at: datetime
) -> ContactRequest:
    """A guardian asks to be called, any time, about the pupil's attendance."""
    return ContactRequest(
        school_key,
        pupil_id,
        guardian_id,
        ContactTopic.ATTENDANCE,
        ContactWay.PHONE,
        ContactTime.ANY,
        created_at=created_at,
    )


def call_about_elsa(created_at: datetime) -> ContactRequest:
    """Anna asks to be called, any time, about Elsa's attendance."""
    return attendance_call("se", "P1", "G1", created_at)
