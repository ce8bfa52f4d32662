"""Cases in memory: when a trigger opens one, who is appointed, who sees it, and its log."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from routine.cases import (
    Case,
    CaseEvent,
    CaseRefused,
    CaseStatus,
    EventKind,
    Origin,
    Trigger,
    advance,
    close,
    decide_openings,
    guardian_actor,
    may_act,
    may_see,
    may_see_item,
    reasons_logged,
    reopen,
    rule_actor,
    staff_actor,
    ticked,
    with_member,
)
from routine.model import Country, Language, Pupil, Role, School, StaffMember
from routine.stages import OWNERS, STAGES, country_of, first_stage, next_stage

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
SE = School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)
DK = School("dk", "Bakkeskolen", Country.DK, "Europe/Copenhagen", Language.DA)
NO = School("no", "Fjellskolen", Country.NO, "Europe/Oslo", Language.NB)


def pupil(pupil_id: str = "P1", class_name: str = "7A", school: School = SE) -> Pupil:
    return Pupil(school.key, pupil_id, pupil_id, class_name)


def staff(staff_id: str, *roles: Role, classes: tuple[str, ...] = (), school: School = SE):
    return StaffMember(school.key, staff_id, staff_id, frozenset(roles), classes)


STAFF = [
    staff("m7a", Role.MENTOR, classes=("7A",)),
    staff("m7b", Role.MENTOR, classes=("7B",)),
    staff("c1", Role.COORDINATOR),
    staff("c2", Role.COORDINATOR),
    staff("rektor", Role.PRINCIPAL),
    staff("eht", Role.PUPIL_HEALTH),
]


def hit(pupil_id: str = "P1", rule: str = "se.step2", start: date = date(2026, 11, 6)):
    return Trigger(
        pupil_id,
        Origin.RULE,
        NOW,
        rule_actor(rule),
        rule_id=rule,
        numbers={"count": 3, "known": 20, "share": 0.15},
        window_start=start,
        window_end=date(2026, 12, 4),
    )


def concern(pupil_id: str = "P1") -> Trigger:
    return Trigger(pupil_id, Origin.GUARDIAN_CONCERN, NOW, guardian_actor("g1"))


def decide(triggers, *, school=SE, open_cases=None, closed=None, logged=None, pupils=None):
    pupils = pupils or [pupil("P1"), pupil("P2", "7B"), pupil("P3")]
    return decide_openings(
        school,
        {p.pupil_id: p for p in pupils},
        STAFF,
        open_cases or {},
        closed or {},
        logged or {},
        triggers,
    )


def test_a_hit_opens_a_case_at_the_countrys_first_stage_with_its_owner() -> None:
    [(case, trigger)] = decide([hit()]).new
    assert (case.pupil_id, case.stage, case.status, case.opened_by) == (
        "P1",
        "se.step2",
        CaseStatus.OPEN,
        "rule:se.step2",
    )
    # Step 2's owner is the mentor, and only the pupil's class's mentor.
    assert case.owner_id == "m7a"
    assert case.coordinator_id == "c1"
    assert trigger.detail()["numbers"] == {"count": 3, "known": 20, "share": 0.15}


def test_two_triggers_for_one_pupil_open_one_case() -> None:
    openings = decide([hit(), hit(rule="se.other"), concern()])
    assert [c.pupil_id for c, _ in openings.new] == ["P1"]
    assert openings.unchanged == 2


def test_coordinators_share_the_new_cases() -> None:
    openings = decide([hit("P1"), hit("P2"), hit("P3")])
    assert [c.coordinator_id for c, _ in openings.new] == ["c1", "c2", "c1"]
    # The 7B pupil's owner is 7B's mentor.
    assert [c.owner_id for c, _ in openings.new] == ["m7a", "m7b", "m7a"]


def test_without_a_coordinator_the_owner_coordinates() -> None:
    openings = decide_openings(SE, {"P1": pupil()}, [STAFF[0]], {}, {}, {}, [hit()])
    [(case, _)] = openings.new
    assert (case.owner_id, case.coordinator_id) == ("m7a", "m7a")


def open_case(case_id: int = 7, pupil_id: str = "P1", **changes) -> Case:
    case = Case("se", pupil_id, "se.step2", NOW - timedelta(days=3), "rule:se.step2", "m7a", "c1")
    return dataclasses.replace(case, id=case_id, **changes)


def test_a_rule_that_holds_again_is_logged_once_on_the_open_case() -> None:
    case = open_case()
    first = decide([hit()], open_cases={"P1": case}, logged={7: set()})
    assert first.new == []
    [event] = first.logged
    assert (event.case_id, event.kind, event.detail["reason"]) == (
        7,
        EventKind.TRIGGER,
        "rule:se.step2",
    )
    # The next night the rolling window holds again: nothing new.
    again = decide([hit()], open_cases={"P1": case}, logged={7: {"rule:se.step2"}})
    assert (again.new, again.logged, again.unchanged) == ([], [], 1)
    # A concern is a new reason, logged once.
    worried = decide([concern()], open_cases={"P1": case}, logged={7: {"rule:se.step2"}})
    assert [e.detail["reason"] for e in worried.logged] == ["guardian_concern"]


def test_after_closing_only_new_evidence_opens_a_case() -> None:
    closed = open_case(status=CaseStatus.CLOSED, closed_at=datetime(2026, 11, 20, tzinfo=UTC))
    # The window began before the closing: the closing weighed those days.
    weighed = decide([hit(start=date(2026, 11, 6))], closed={"P1": closed})
    assert (weighed.new, weighed.unchanged) == ([], 1)
    # On the closing day too.
    same_day = decide([hit(start=date(2026, 11, 20))], closed={"P1": closed})
    assert same_day.new == []
    # A window that began after it, or a concern, opens a new case.
    later = decide([hit(start=date(2026, 11, 23))], closed={"P1": closed})
    assert len(later.new) == 1
    assert len(decide([concern()], closed={"P1": closed}).new) == 1


def test_a_pupil_who_left_gets_no_case() -> None:
    left = dataclasses.replace(pupil(), active=False)
    openings = decide([hit()], pupils=[left])
    assert (openings.new, openings.unchanged) == ([], 1)


@pytest.mark.parametrize(
    ("school", "first", "owner"),
    # Norway's concern is the attendance team's: the coordinator with the fewest cases.
    [(SE, "se.step2", "m7a"), (NO, "no.concern", "c1"), (DK, "dk.detection", "m7a")],
)
def test_each_country_opens_at_its_first_stage(school: School, first: str, owner: str) -> None:
    people = [dataclasses.replace(s, school_key=school.key) for s in STAFF]
    [(case, _)] = decide_openings(
        school, {"P1": pupil(school=school)}, people, {}, {}, {}, [concern()]
    ).new
    assert (case.stage, case.owner_id, case.school_key) == (first, owner, school.key)
    # Denmark: a tovholder from the start (004: 774–775).
    assert case.coordinator_id == "c1"


def test_the_stages_in_order_and_their_owners() -> None:
    assert first_stage(Country.DK) == "dk.detection"
    assert next_stage(Country.SE, "se.step2") == "se.step3"
    assert next_stage(Country.SE, "se.step3") is None
    assert {s for stages in STAGES.values() for s in stages} == set(OWNERS)
    assert all(country_of(s) is c for c, stages in STAGES.items() for s in stages)
    assert OWNERS["se.step3"] is Role.PRINCIPAL


def test_who_sees_a_case() -> None:
    case = open_case()
    p = pupil()
    by_id = {s.staff_id: s for s in STAFF}
    seen = {s.staff_id for s in STAFF if may_see(s, case, p)}
    # Owner (the class's mentor), coordinator, principal; not the other mentor, not the other
    # coordinator, not pupil health until informed.
    assert seen == {"m7a", "c1", "rektor"}
    informed = dataclasses.replace(case, health_informed_at=NOW)
    assert may_see(by_id["eht"], informed, p)
    assert may_see(by_id["c2"], with_member(case, "c2"), p)
    # Another school's principal sees nothing.
    other = dataclasses.replace(by_id["rektor"], school_key="dk")
    assert not may_see(other, case, p)
    # A closed case is seen but not acted on.
    done = close(case, NOW)
    assert may_see(by_id["m7a"], done, p) and not may_act(by_id["m7a"], done, p)


def test_only_the_principal_sees_principal_only_items() -> None:
    assert may_see_item(STAFF[4], principal_only=True)
    assert not any(may_see_item(s, principal_only=True) for s in STAFF if s.staff_id != "rektor")
    assert all(may_see_item(s, principal_only=False) for s in STAFF)


def tick(kind: EventKind, item: str, minutes: int, stage: str = "se.step2") -> CaseEvent:
    return CaseEvent(
        7,
        NOW + timedelta(minutes=minutes),
        kind,
        staff_actor("m7a"),
        {"stage": stage, "item": item},
    )


def test_the_ticks_are_the_logs_last_word_per_item() -> None:
    events = [
        tick(EventKind.TICKED, "meeting", 1),
        tick(EventKind.TICKED, "causes", 2),
        tick(EventKind.UNTICKED, "meeting", 3),
        tick(EventKind.TICKED, "inform", 4, stage="se.step3"),
    ]
    assert set(ticked(events, "se.step2")) == {"causes"}
    assert set(ticked(events, "se.step3")) == {"inform"}
    opened = CaseEvent(7, NOW, EventKind.OPENED, "rule:se.step2", {"reason": "rule:se.step2"})
    assert reasons_logged([opened, *events]) == {"rule:se.step2"}


def test_the_lifecycle() -> None:
    case = open_case()
    assert advance(case).stage == "se.step3"
    with pytest.raises(CaseRefused):
        advance(advance(case))
    closed = close(case, NOW)
    assert (closed.status, closed.closed_at) == (CaseStatus.CLOSED, NOW)
    with pytest.raises(CaseRefused):
        close(closed, NOW)
    with pytest.raises(CaseRefused):
        advance(closed)
    again = reopen(closed)
    assert again.is_open and again.closed_at is None and again.stage == "se.step2"
    with pytest.raises(CaseRefused):
        reopen(again)


def test_without_anyone_in_the_stages_role_the_mentor_holds_the_case() -> None:
    people = [dataclasses.replace(s, school_key=NO.key) for s in STAFF if s.staff_id == "m7a"]
    [(case, _)] = decide_openings(
        NO, {"P1": pupil(school=NO)}, people, {}, {}, {}, [concern()]
    ).new
    assert (case.owner_id, case.coordinator_id) == ("m7a", "m7a")
