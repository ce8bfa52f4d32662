"""routine.notices_dk: which notices the night's hits ask for, once per pupil, kind and quarter,
and who decides them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from routine.cases import Case
from routine.model import Role, StaffMember
from routine.notices_dk import (
    CaseNotice,
    NoticeKind,
    heads,
    may_decide,
    notices_due,
    quarter_key,
)
from routine.thresholds import RuleHit

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)


def hit(pupil: str, rule: str, end: date = date(2026, 12, 4), share: float = 0.12) -> RuleHit:
    start = date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    return RuleHit("dk", pupil, rule, start, end, {"count": 5, "known": 40, "share": share})


def case(pupil: str, case_id: int) -> Case:
    return Case("dk", pupil, "dk.detection", NOW, "rule:dk.unlawful_10", id=case_id)


def test_the_quarter_is_the_calendar_quarter() -> None:
    assert [quarter_key(date(2026, m, 1)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2026Q1",
        "2026Q1",
        "2026Q2",
        "2026Q2",
        "2026Q3",
        "2026Q3",
        "2026Q4",
        "2026Q4",
    ]


def test_each_danish_rule_asks_for_its_own_notice_once_per_pupil_and_quarter() -> None:
    hits = [
        hit("P1", "dk.unlawful_10"),
        hit("P1", "dk.unlawful_10", date(2026, 12, 3), share=0.11),
        hit("P2", "dk.unlawful_10", share=0.2),
        hit("P2", "dk.unlawful_15", share=0.2),
        hit("P2", "dk.unlawful_10", date(2027, 1, 8), share=0.2),
        # Not one of the head's: illness is the contact rule, and a pupil without an open case.
        hit("P1", "dk.illness_15"),
        hit("P3", "dk.unlawful_10"),
    ]
    found = notices_due(hits, {"P1": case("P1", 7), "P2": case("P2", 8)}, NOW)
    assert sorted((n.case_id, n.pupil_id, n.kind, n.quarter) for n in found) == [
        (7, "P1", NoticeKind.PARENTS, "2026Q4"),
        (8, "P2", NoticeKind.COUNCIL, "2026Q4"),
        (8, "P2", NoticeKind.PARENTS, "2026Q4"),
        (8, "P2", NoticeKind.PARENTS, "2027Q1"),
    ]
    first = next(n for n in found if n.pupil_id == "P1")
    # The numbers of the earliest window end the night saw.
    assert first.numbers == {"count": 5, "known": 40, "share": 0.11}
    assert all(n.pending and n.created_at == NOW for n in found)


def test_only_a_head_of_the_notice_s_school_decides() -> None:
    notice = CaseNotice(7, "dk", "P1", NoticeKind.PARENTS, "2026Q4", NOW)
    head = StaffMember("dk", "S2", "Birgitte Holm", frozenset({Role.PRINCIPAL}))
    mentor = StaffMember("dk", "S1", "Søren Madsen", frozenset({Role.MENTOR}), ("6A",))
    elsewhere = StaffMember("se", "S2", "Eva Rydberg", frozenset({Role.PRINCIPAL}))
    assert [may_decide(s, notice) for s in (head, mentor, elsewhere)] == [True, False, False]
    assert heads([mentor, elsewhere, head], "dk") == [head]
