"""Dated tasks in the domain: due dates on school days (and what moved them), counting school
days late, and one agenda per person."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest

from routine.case_tasks import (
    WEEKEND,
    CaseTask,
    TaskKind,
    TaskRefused,
    TaskStatus,
    add_school_days,
    add_working_days,
    agendas,
    done,
    due_on_school_day,
    escalated,
    handed_to,
    plan_tasks,
    replaced_by,
    school_days_after,
    why_no_school,
)
from routine.model import Country, DateSpan, Language, School, SchoolCalendar

NOW = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
SKOLAN = School(
    "se-a",
    "A-skolan",
    Country.SE,
    "Europe/Stockholm",
    Language.SV,
    calendar=SchoolCalendar(
        terms=(
            DateSpan(date(2026, 8, 17), date(2026, 12, 18), "Hösttermin"),
            DateSpan(date(2027, 1, 11), date(2027, 6, 11), "Vårtermin"),
        ),
        breaks=(DateSpan(date(2026, 11, 2), date(2026, 11, 6), "Höstlov"),),
        days_off=(date(2026, 12, 11),),
    ),
)


def test_a_school_day_stays() -> None:
    assert due_on_school_day(SKOLAN, date(2026, 12, 3)) == (date(2026, 12, 3), "")


def test_a_weekend_moves_to_monday() -> None:
    assert due_on_school_day(SKOLAN, date(2026, 12, 5)) == (date(2026, 12, 7), WEEKEND)


def test_a_break_moves_past_its_end_and_names_it() -> None:
    # The weekend before the break is part of no break: the break is named from its first day.
    assert due_on_school_day(SKOLAN, date(2026, 11, 3)) == (date(2026, 11, 9), "Höstlov")


def test_a_public_holiday_is_named() -> None:
    # Twelfth day (6 January 2027) falls in the gap between terms, but is named as the holiday.
    day, why = due_on_school_day(SKOLAN, date(2027, 1, 6))
    assert day == date(2027, 1, 11)
    assert why == why_no_school(SKOLAN, date(2027, 1, 6)) == "Trettondedag jul"


def test_between_terms_and_days_off() -> None:
    assert due_on_school_day(SKOLAN, date(2026, 12, 21))[0] == date(2027, 1, 11)
    assert due_on_school_day(SKOLAN, date(2026, 12, 11)) == (date(2026, 12, 14), "day off")


def test_school_days_skip_weekends_breaks_and_days_off() -> None:
    # Thu 10 Dec + 2 school days: Fri 11 is a day off, so Mon 14 and Tue 15.
    assert add_school_days(SKOLAN, date(2026, 12, 10), 2) == date(2026, 12, 15)
    assert school_days_after(SKOLAN, date(2026, 12, 10), date(2026, 12, 15)) == 2
    assert school_days_after(SKOLAN, date(2026, 12, 10), date(2026, 12, 10)) == 0
    assert school_days_after(SKOLAN, date(2026, 10, 30), date(2026, 11, 9)) == 1


def test_working_days_count_breaks_but_not_holidays() -> None:
    # From Fri 30 Oct: the autumn break's weekdays count, All Saints' Day is a Saturday.
    assert add_working_days(SKOLAN, date(2026, 10, 30), 10) == date(2026, 11, 13)
    # From Tue 22 Dec: 23, 24, then Christmas Day (a holiday) and the weekend are skipped.
    assert add_working_days(SKOLAN, date(2026, 12, 22), 3) == date(2026, 12, 28)


def _task(due: date, owner: str = "s1", task_id: int = 1) -> CaseTask:
    return CaseTask("se-a", 7, TaskKind.REVIEW, "", owner, due, NOW, id=task_id)


def test_agendas_per_owner_overdue_today_and_soon() -> None:
    today = date(2026, 12, 10)
    tasks = [
        _task(date(2026, 12, 8), task_id=1),
        _task(today, task_id=2),
        _task(date(2026, 12, 14), task_id=3),
        # Beyond two school days (Fri 11 is a day off, so the horizon is Tue 15).
        _task(date(2026, 12, 16), task_id=4),
        _task(today, "s2", task_id=5),
        done(_task(today, task_id=6), "staff:s1", NOW, ""),
    ]
    found = agendas(SKOLAN, tasks, today, 2)
    mine = found["s1"]
    assert [t.id for t in mine.overdue] == [1]
    assert [t.id for t in mine.today] == [2]
    assert [t.id for t in mine.soon] == [3]
    assert [t.id for t in found["s2"].tasks()] == [5]


def test_escalated_after_exactly_m_school_days() -> None:
    task = _task(date(2026, 12, 9))
    assert escalated(SKOLAN, [task], date(2026, 12, 14), 3) == []
    assert escalated(SKOLAN, [task], date(2026, 12, 15), 3) == [task]


def test_a_done_task_cannot_be_done_or_handed_again() -> None:
    finished = done(_task(date(2026, 12, 9)), "staff:s1", NOW, "ok")
    assert finished.status is TaskStatus.DONE
    with pytest.raises(TaskRefused):
        done(finished, "staff:s1", NOW, "")
    with pytest.raises(TaskRefused):
        handed_to(finished, "s2")


def test_a_plans_rows_and_review_become_tasks() -> None:
    rows = [
        ("Morgonsamtal med mentor", "s7", date(2026, 12, 5)),  # a Saturday
        ("Eleven skriver dagbok", "", date(2026, 12, 9)),  # the pupil: the coordinator follows
    ]
    tasks = plan_tasks(SKOLAN, 7, "c1", 3, rows, date(2026, 12, 16), NOW)
    assert [(t.kind, t.owner_id, t.due, t.moved_by, t.source_ref) for t in tasks] == [
        (TaskKind.PLAN_ROW, "s7", date(2026, 12, 7), WEEKEND, "plan:3:row:1"),
        (TaskKind.PLAN_ROW, "c1", date(2026, 12, 9), "", "plan:3:row:2"),
        (TaskKind.REVIEW, "c1", date(2026, 12, 16), "", "plan:3:review"),
    ]
    assert tasks[0].title == "Morgonsamtal med mentor" and tasks[2].title == ""


def test_a_new_plan_version_cancels_what_it_no_longer_has() -> None:
    old = [
        dataclasses.replace(t, id=n)
        for n, t in enumerate(
            plan_tasks(SKOLAN, 7, "c1", 3, [("A", "", date(2026, 12, 9))], date(2026, 12, 16), NOW)
        )
    ]
    new = plan_tasks(SKOLAN, 7, "c1", 3, [("A", "", date(2026, 12, 10))], date(2026, 12, 16), NOW)
    assert [t.id for t in replaced_by(old, new)] == [0]
