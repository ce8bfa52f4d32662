"""Sweden, step 3 at the review date (000: 474–496): on the morning a step-2 case's plan is
reviewed, if step 2 still held at the last evaluation, the principals are asked whether to
raise it; once per case and day, and not when step 2 no longer holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

from routine.case_tasks import TaskKind, task_due
from routine.cases import Case
from routine.model import Country, Language, Pupil, Role, School, StaffMember
from routine.thresholds import RuleHit
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory

SCHOOL = School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)
MONDAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 7, 15, tzinfo=UTC)
FRIDAY = date(2026, 11, 20)


class Clock:
    def now(self) -> datetime:
        return NOW


async def world(*, held_on: date | None) -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.pupils.save(Pupil("se", "P1", "Elsa Berg", "7A"))
        await uow.staff.save(
            StaffMember("se", "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), None, "U-S1")
        )
        await uow.staff.save(
            StaffMember("se", "S3", "Eva Rydberg", frozenset({Role.PRINCIPAL}), (), None, "U-EVA")
        )
        [case] = await uow.cases.add_new(
            [Case("se", "P1", "se.step2", NOW, "rule:se.step2", "S1", "S1")]
        )
        await uow.case_tasks.add_new(
            [task_due(SCHOOL, case.id, TaskKind.REVIEW, "S1", MONDAY, NOW, source_ref="r")]
        )
        if held_on is not None:
            hit = RuleHit("se", "P1", "se.step2", date(2026, 10, 26), held_on, {"count": 3})
            await uow.rule_hits.add_new([hit], NOW)
        await uow.commit()
    return factory


async def run(factory: FakeUnitOfWorkFactory) -> str:
    result = await JOBS["case-reminders"].run(JobContext(factory, Clock()), "se", MONDAY)
    return result.summary


def asked(factory: FakeUnitOfWorkFactory) -> list:
    return [m for m in factory.store.outbox.values() if m.kind == "step3-review"]


async def test_the_principal_is_asked_once_when_step_2_still_holds() -> None:
    factory = await world(held_on=FRIDAY)
    assert (await run(factory)).endswith("; 1 step-2 review(s) for the principals (1 queued)")
    [message] = asked(factory)
    assert message.recipient == "U-EVA"
    assert "Elsa Berg (7A)" in message.text
    assert (await run(factory)).endswith("(0 queued)")
    assert len(asked(factory)) == 1


async def test_nobody_is_asked_when_step_2_no_longer_holds() -> None:
    factory = await world(held_on=None)
    assert "step-2 review" not in await run(factory)
    assert asked(factory) == []
    # A hit long before the review date is not "still".
    old = await world(held_on=date(2026, 11, 2))
    assert "step-2 review" not in await run(old)
