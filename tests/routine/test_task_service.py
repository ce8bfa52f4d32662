"""Acting on a case's tasks on the fakes: doing one logs what happened on the case (and sets a
task to adjust the plan when asked), handing over moves every open task and logs it on each
case, and the rules set the Danish contact, the action plan and the "nothing new" update."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from routine.case_service import Outcome
from routine.case_tasks import CaseTask, TaskKind, TaskStatus
from routine.cases import Case, EventKind
from routine.model import CaseRules, Country, Language, Pupil, Role, School, StaffMember
from routine.task_service import (
    due_by_school_day,
    finish_task,
    hand_over,
    learning_environment,
    rule_tasks,
    set_nothing_new_tasks,
)
from routine.thresholds import RuleHit
from tests.fakes import FakeUnitOfWorkFactory

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
FRIDAY = date(2026, 12, 4)
DK = School("dk", "Skovbo Skole", Country.DK, "Europe/Copenhagen", Language.DA, cases=CaseRules())
TOVHOLDER = StaffMember("dk", "t1", "Mette", frozenset({Role.COORDINATOR}))
MENTOR = StaffMember("dk", "m1", "Jens", frozenset({Role.MENTOR}), ("6A",))
OTHER = StaffMember("dk", "m2", "Ole", frozenset({Role.MENTOR}), ("6B",))
HEAD = StaffMember("dk", "h1", "Birgit", frozenset({Role.PRINCIPAL}))


async def a_case() -> tuple[FakeUnitOfWorkFactory, Case]:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(DK)
        for member in (TOVHOLDER, MENTOR, OTHER, HEAD):
            await uow.staff.save(member)
        await uow.pupils.save(Pupil("dk", "P1", "Ida", "6A"))
        [case] = await uow.cases.add_new(
            [Case("dk", "P1", "dk.stage1", NOW, "by_hand", "t1", "t1")]
        )
        await uow.commit()
    return factory, case


async def a_task(factory, case: Case, owner: str = "t1") -> CaseTask:
    async with factory() as uow:
        [task] = await uow.case_tasks.add_new(
            [CaseTask("dk", case.id, TaskKind.REVIEW, "", owner, FRIDAY, NOW)]
        )
        await uow.commit()
    return task


async def log(factory, case: Case) -> list:
    async with factory() as uow:
        return (await uow.cases.events_of([case.id])).get(case.id, [])


async def test_doing_a_task_logs_what_happened_on_the_case() -> None:
    factory, case = await a_case()
    task = await a_task(factory, case)
    async with factory() as uow:
        result = await finish_task(uow, task.id, TOVHOLDER, "Talte med mor.", False, NOW, FRIDAY)
        await uow.commit()
    assert result.outcome is Outcome.DONE and result.task.status is TaskStatus.DONE
    [event] = await log(factory, case)
    assert event.kind is EventKind.TASK_DONE and event.actor == "staff:t1"
    assert (event.detail["plan"], event.detail["outcome"]) == ("keep", "Talte med mor.")
    async with factory() as uow:
        again = await finish_task(uow, task.id, TOVHOLDER, "igen", False, NOW, FRIDAY)
    assert again.outcome is Outcome.REFUSED


async def test_adjusting_the_plan_sets_a_review_for_the_next_school_day() -> None:
    factory, case = await a_case()
    task = await a_task(factory, case)
    async with factory() as uow:
        await finish_task(uow, task.id, TOVHOLDER, "Virkede ikke.", True, NOW, FRIDAY)
        await uow.commit()
        tasks = (await uow.case_tasks.of_cases([case.id]))[case.id]
    [new] = [t for t in tasks if t.is_open]
    assert (new.kind, new.owner_id, new.due) == (TaskKind.REVIEW, "t1", date(2026, 12, 7))


async def test_someone_without_access_cannot_do_a_task() -> None:
    factory, case = await a_case()
    task = await a_task(factory, case)
    async with factory() as uow:
        result = await finish_task(uow, task.id, OTHER, "x", False, NOW, FRIDAY)
        await uow.commit()
    assert result.outcome is Outcome.NOT_ALLOWED
    assert await log(factory, case) == []


async def test_handing_over_moves_every_open_task_and_logs_it() -> None:
    factory, case = await a_case()
    await a_task(factory, case)
    async with factory() as uow:
        result = await hand_over(uow, TOVHOLDER, "t1", "m2", NOW)
        await uow.commit()
    assert result.outcome is Outcome.DONE and [t.owner_id for t in result.tasks] == ["m2"]
    [event] = await log(factory, case)
    assert event.kind is EventKind.TASKS_HANDED and event.detail["to"] == "m2"
    async with factory() as uow:
        assert "m2" in (await uow.cases.get(case.id)).members
        # Ole may now act on the case; a mentor may not hand over someone else's tasks.
        refused = await hand_over(uow, MENTOR, "m2", "m1", NOW)
        unknown = await hand_over(uow, HEAD, "m2", "nobody", NOW)
    assert (refused.outcome, unknown.outcome) == (Outcome.NOT_ALLOWED, Outcome.REFUSED)


async def test_the_danish_illness_rule_sets_one_contact_for_the_principal() -> None:
    factory, _case = await a_case()
    hit = RuleHit("dk", "P1", "dk.illness_15", date(2026, 11, 2), FRIDAY, {"count": 15})
    later = RuleHit("dk", "P1", "dk.illness_15", date(2026, 11, 2), FRIDAY + timedelta(3), {})
    async with factory() as uow:
        first = await rule_tasks(uow, DK, [hit], NOW)
        again = await rule_tasks(uow, DK, [later], NOW)
        other = await rule_tasks(uow, DK, [RuleHit("dk", "P1", "dk.x", FRIDAY, FRIDAY, {})], NOW)
        await uow.commit()
    [task] = first
    assert (again, other) == ([], [])
    # Held on Friday evening: due on the next school day, Monday, moved past the weekend.
    assert (task.kind, task.owner_id, task.due) == (
        TaskKind.DK_ILLNESS_CONTACT,
        "h1",
        date(2026, 12, 7),
    )
    assert task.moved_by == "weekend"


async def test_the_learning_environment_sets_an_action_plan_within_ten_working_days() -> None:
    factory, case = await a_case()
    async with factory() as uow:
        result = await learning_environment(uow, case.id, MENTOR, NOW, FRIDAY)
        await uow.commit()
    assert result.outcome is Outcome.DONE
    assert (result.task.kind, result.task.owner_id) == (TaskKind.DK_ACTION_PLAN, "h1")
    assert result.task.due == date(2026, 12, 18)
    [event] = await log(factory, case)
    assert event.kind is EventKind.LEARNING_ENVIRONMENT


def test_a_legal_deadline_in_a_break_moves_earlier() -> None:
    # Saturday 19 December: the last school day before it is Friday 18.
    assert due_by_school_day(DK, date(2026, 12, 19), FRIDAY) == (date(2026, 12, 18), "weekend")
    assert due_by_school_day(DK, date(2026, 12, 17), FRIDAY) == (date(2026, 12, 17), "")


async def test_nothing_new_is_due_n_school_days_after_the_family_last_heard() -> None:
    factory, _case = await a_case()
    async with factory() as uow:
        [task] = await set_nothing_new_tasks(uow, DK, NOW)
        assert await set_nothing_new_tasks(uow, DK, NOW) == []
        await uow.commit()
    # Opened Friday 4 December; 10 school days later.
    assert (task.kind, task.owner_id, task.due) == (TaskKind.NOTHING_NEW, "t1", date(2026, 12, 18))
    async with factory() as uow:
        await finish_task(
            uow,
            task.id,
            TOVHOLDER,
            "Skrev til familien.",
            False,
            NOW + timedelta(days=5),
            date(2026, 12, 9),
        )
        [following] = await set_nothing_new_tasks(uow, DK, NOW + timedelta(days=5))
        await uow.commit()
    assert following.due == date(2026, 12, 23)
