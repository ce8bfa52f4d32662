"""What guardians ask of the school beyond a report: answers to "is your child absent?"
prompts, requests to be contacted, and the concern that it is hard to get the child to school.

Each is stored first and then reaches a person: sensitive matters go to people, never to a
form (domain guide §6).
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime


class PromptAnswer(enum.StrEnum):
    ILL = "ill"
    OTHER = "other"
    CALL_ME = "call_me"
    MISTAKE = "mistake"


@dataclass(frozen=True)
class AbsencePrompt:
    """'<Name> is absent today and we have no report', asked of one guardian about one day.

    The buttons under it carry only the token: the answer is checked against the prompt stored
    here and the chat that presses it."""

    token: str
    school_key: str
    pupil_id: str
    guardian_id: str
    day: date
    created_at: datetime
    answer: PromptAnswer | None = None
    answered_at: datetime | None = None
    id: int | None = None


def new_token() -> str:
    return secrets.token_urlsafe(9)


class ContactTopic(enum.StrEnum):
    ATTENDANCE = "attendance"
    WELLBEING = "wellbeing"
    OTHER = "other"


class ContactWay(enum.StrEnum):
    PHONE = "phone"
    MESSAGE = "message"
    MEETING = "meeting"


class ContactTime(enum.StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    ANY = "any"


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    TAKEN = "taken"
    DONE = "done"


@dataclass(frozen=True)
class ContactRequest:
    school_key: str
    pupil_id: str
    guardian_id: str
    topic: ContactTopic
    way: ContactWay
    time: ContactTime
    created_at: datetime
    status: RequestStatus = RequestStatus.OPEN
    taken_by: str = ""
    taken_at: datetime | None = None
    done_at: datetime | None = None
    escalated_at: datetime | None = None
    id: int | None = None


class ConcernKind(enum.StrEnum):
    # The Norwegian routine's trigger 7: a guardian reports a constant struggle to get the
    # pupil to school (domain guide §3).
    HARD_TO_GET_TO_SCHOOL = "hard_to_get_to_school"


@dataclass(frozen=True)
class GuardianConcern:
    school_key: str
    pupil_id: str
    guardian_id: str
    kind: ConcernKind
    created_at: datetime
    id: int | None = None
