"""A plan's checks, its log of changed parts, and the part the guardians are sent."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from routine.plans import (
    Plan,
    PlanError,
    PlanRow,
    Responsible,
    changed_parts,
    check,
    for_guardians,
)

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
TODAY = date(2026, 12, 4)
ROWS = (
    PlanRow("Komma i tid", "Väckning kl. 7", Responsible.GUARDIANS, "", date(2026, 12, 11)),
    PlanRow("Trivas", "Samtal varje vecka", Responsible.STAFF, "s1"),
)
PLAN = Plan(
    "se",
    7,
    1,
    "Svåra morgnar.",
    "Varje dag i skolan",
    ROWS,
    date(2026, 12, 7),
    date(2027, 2, 26),
    date(2027, 1, 22),
    "s1",
    NOW,
    id=3,
)


def test_a_complete_plan_passes() -> None:
    assert check(PLAN, TODAY, ["s1"]) == []


def test_every_problem_is_named() -> None:
    broken = dataclasses.replace(
        PLAN,
        main_goal=" ",
        rows=(PlanRow("", "x", Responsible.STAFF, "nobody", date(2026, 12, 1)),),
        review=date(2027, 3, 1),
    )
    assert check(broken, TODAY, ["s1"]) == [
        PlanError.GOAL_MISSING,
        PlanError.ROW_INCOMPLETE,
        PlanError.REVIEW_OUTSIDE,
        PlanError.DEADLINE_OUTSIDE,
        PlanError.IN_THE_PAST,
        PlanError.UNKNOWN_STAFF,
    ]
    backwards = dataclasses.replace(PLAN, period_end=date(2026, 12, 1), rows=())
    assert PlanError.PERIOD_BACKWARDS in check(backwards, TODAY, ["s1"])
    assert PlanError.NO_ROWS in check(backwards, TODAY, ["s1"])
    long = dataclasses.replace(PLAN, situation="x" * 501)
    assert check(long, TODAY, ["s1"]) == [PlanError.TOO_LONG]


def test_the_log_names_the_changed_parts() -> None:
    assert changed_parts(None, PLAN) == ["new"]
    later = dataclasses.replace(PLAN, version=2, main_goal="90 %", review=date(2027, 1, 29))
    assert changed_parts(PLAN, later) == ["main_goal", "review"]


def test_the_guardians_are_not_sent_the_situation() -> None:
    part = for_guardians(PLAN)
    assert "Svåra morgnar." not in repr(part)
    assert (part.plan_id, part.main_goal, part.rows, part.review) == (
        3,
        "Varje dag i skolan",
        ROWS,
        date(2027, 1, 22),
    )
