"""Contact requests the tests of several layers ask for (the escalation job, staff follow-ups)."""

from __future__ import annotations

from datetime import datetime

from routine.requests import ContactRequest, ContactTime, ContactTopic, ContactWay


def call_about_elsa(created_at: datetime) -> ContactRequest:
    """Anna asks to be called, any time, about Elsa's attendance."""
    return ContactRequest(
        "se",
        "P1",
        "G1",
        ContactTopic.ATTENDANCE,
        ContactWay.PHONE,
        ContactTime.ANY,
        created_at=created_at,
    )
