"""Leave (*ledighet*, *permisjon*, *ekstraordinær frihed*): a request the principal decides.

Leave is not a report (domain guide §2). A guardian asks for days off for their child with a
short reason; the principal, or the staff role the school file names (`[leave] decided_by`),
grants or refuses it. Granted leave is valid absence with the school's `leave` code (000:
783–788; 004: 2446–2460); a refused request changes nothing in the record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

LEAVE_CODE = "leave"


class LeaveStatus(enum.StrEnum):
    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class LeaveRequest:
    school_key: str
    pupil_id: str
    guardian_id: str
    first_day: date
    last_day: date
    reason: str
    requested_at: datetime
    status: LeaveStatus = LeaveStatus.PENDING
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    # When the decider was last reminded of a request nobody has decided.
    reminded_at: datetime | None = None
    id: int | None = None

    def grants(self, day: date) -> bool:
        return self.status is LeaveStatus.GRANTED and self.first_day <= day <= self.last_day
