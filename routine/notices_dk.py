"""What the Danish absence rules ask of the head, per pupil and quarter.

- Unlawful absence of 10 % or more within a quarter: "skal skolelederen orientere forældrene om
  fraværet og de mulige økonomiske sanktioner ved 15 pct. ulovligt fravær eller derover"
  (004: 2462–2465). The head approves the factual notice to the parents with one press; it is
  then sent once to each guardian a chat reaches, and the others are listed for a letter or a
  call.
- 15 % or more: "skolens leder underretter kommunalbestyrelsen" (004: 2467–2470). The head
  gets the task, and records when it was done.

A quarter-to-date rule holds night after night with a new window end (`routine.thresholds`),
so a notice is kept once per case, kind and quarter (`CaseNotice`); its decision is a
compare-and-set from PENDING, so it is taken once however many presses or processes.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from routine.cases import Case
from routine.model import Role, StaffMember
from routine.thresholds import RuleHit


class NoticeKind(enum.StrEnum):
    # The factual notice to the parents at 10 % (004: 2462–2465).
    PARENTS = "dk.parents"
    # The head notifies the municipal council at 15 % (004: 2467–2470).
    COUNCIL = "dk.council"


class NoticeStatus(enum.StrEnum):
    PENDING = "pending"
    # PARENTS: approved by the head and queued to the guardians.
    APPROVED = "approved"
    # COUNCIL: the head recorded that the council was notified.
    DONE = "done"


RULE_NOTICES: dict[str, NoticeKind] = {
    "dk.unlawful_10": NoticeKind.PARENTS,
    "dk.unlawful_15": NoticeKind.COUNCIL,
}

DECIDED: dict[NoticeKind, NoticeStatus] = {
    NoticeKind.PARENTS: NoticeStatus.APPROVED,
    NoticeKind.COUNCIL: NoticeStatus.DONE,
}


@dataclass(frozen=True)
class CaseNotice:
    """One thing the head must do for a case in a quarter; unique per case, kind, quarter."""

    case_id: int
    school_key: str
    pupil_id: str
    kind: NoticeKind
    # "2026Q4": the calendar quarter the rule's window lies in.
    quarter: str
    created_at: datetime
    # The rule's numbers the night it first held: count, known, school_days, share.
    numbers: Mapping[str, float] = field(default_factory=dict)
    status: NoticeStatus = NoticeStatus.PENDING
    decided_by: str = ""
    decided_at: datetime | None = None
    id: int | None = None

    @property
    def pending(self) -> bool:
        return self.status is NoticeStatus.PENDING


def quarter_key(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def notices_due(
    hits: Iterable[RuleHit], cases: Mapping[str, Case], now: datetime
) -> list[CaseNotice]:
    """The notices the night's new hits ask for: one per pupil, kind and quarter, on the
    pupil's case (open, else the last closed); storage keeps the ones it has already, so a
    later night, or a new case in the same quarter, adds nothing."""
    found: dict[tuple[str, NoticeKind, str], CaseNotice] = {}
    for hit in sorted(hits, key=lambda h: (h.pupil_id, h.rule_id, h.window_end)):
        kind = RULE_NOTICES.get(hit.rule_id)
        case = cases.get(hit.pupil_id)
        if kind is None or case is None or case.id is None:
            continue
        quarter = quarter_key(hit.window_start)
        found.setdefault(
            (hit.pupil_id, kind, quarter),
            CaseNotice(
                case.id,
                case.school_key,
                hit.pupil_id,
                kind,
                quarter,
                now,
                numbers=dict(hit.numbers),
            ),
        )
    return list(found.values())


def may_decide(staff: StaffMember, notice: CaseNotice) -> bool:
    """Only the head decides: a principal of the notice's school."""
    return staff.school_key == notice.school_key and staff.has_role(Role.PRINCIPAL)


def heads(staff: Iterable[StaffMember], school_key: str) -> list[StaffMember]:
    return sorted(
        (s for s in staff if s.school_key == school_key and s.has_role(Role.PRINCIPAL)),
        key=lambda s: s.staff_id,
    )
