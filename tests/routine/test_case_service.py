"""Acting on a case on the fakes: allowed changes are stored and logged once, a person who may
not act changes nothing and is logged, a stale read loses."""

from __future__ import annotations

from datetime import UTC, datetime

from routine.case_service import Outcome, case_for, change_case, informing_pupil_health
from routine.cases import Case, EventKind, advance, close
from routine.model import Country, Language, Pupil, Role, School, StaffMember
from tests.fakes import FakeUnitOfWorkFactory

NOW = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
SE = School("se", "Ekbackens skola", Country.SE, "Europe/Stockholm", Language.SV)
MENTOR = StaffMember("se", "m7a", "Mira", frozenset({Role.MENTOR}), ("7A",))
OTHER = StaffMember("se", "m7b", "Olle", frozenset({Role.MENTOR}), ("7B",))
HEALTH = StaffMember("se", "eht", "Eva", frozenset({Role.PUPIL_HEALTH}))


async def a_case() -> tuple[FakeUnitOfWorkFactory, int]:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SE)
        await uow.pupils.save(Pupil("se", "P1", "Alva", "7A"))
        [case] = await uow.cases.add_new([Case("se", "P1", "se.step2", NOW, "rule:se.step2")])
        await uow.commit()
    assert case.id is not None
    return factory, case.id


async def test_an_allowed_change_is_stored_and_logged() -> None:
    factory, case_id = await a_case()
    async with factory() as uow:
        result = await change_case(uow, case_id, MENTOR, advance, EventKind.STAGE_CHANGED, NOW)
        await uow.commit()
    assert result.outcome is Outcome.DONE and result.case.stage == "se.step3"
    async with factory() as uow:
        [event] = (await uow.cases.events_of([case_id]))[case_id]
    assert (event.kind, event.actor) == (EventKind.STAGE_CHANGED, "staff:m7a")


async def test_someone_who_may_not_act_changes_nothing_and_is_logged() -> None:
    factory, case_id = await a_case()
    async with factory() as uow:
        result = await change_case(uow, case_id, OTHER, advance, EventKind.STAGE_CHANGED, NOW)
        missing = await change_case(uow, 999, OTHER, advance, EventKind.STAGE_CHANGED, NOW)
        assert await case_for(uow, case_id, OTHER) is None
        await uow.commit()
    assert (result.outcome, missing.outcome) == (Outcome.NOT_ALLOWED, Outcome.NOT_ALLOWED)
    async with factory() as uow:
        assert (await uow.cases.get(case_id)).stage == "se.step2"
        [event] = (await uow.cases.events_of([case_id]))[case_id]
    assert (event.kind, event.actor, dict(event.detail)) == (
        EventKind.REFUSED,
        "staff:m7b",
        {"tried": "stage_changed"},
    )


async def test_pupil_health_sees_the_case_once_informed() -> None:
    factory, case_id = await a_case()
    async with factory() as uow:
        assert await case_for(uow, case_id, HEALTH) is None
        informed = await change_case(
            uow, case_id, MENTOR, informing_pupil_health(NOW), EventKind.PUPIL_HEALTH_INFORMED, NOW
        )
        again = await change_case(
            uow, case_id, MENTOR, informing_pupil_health(NOW), EventKind.PUPIL_HEALTH_INFORMED, NOW
        )
        assert await case_for(uow, case_id, HEALTH) is not None
    assert (informed.outcome, again.outcome) == (Outcome.DONE, Outcome.UNCHANGED)


async def test_a_closed_case_refuses_and_a_stale_read_loses() -> None:
    factory, case_id = await a_case()
    async with factory() as uow:
        await change_case(uow, case_id, MENTOR, lambda c: close(c, NOW), EventKind.CLOSED, NOW)
        result = await change_case(uow, case_id, MENTOR, advance, EventKind.STAGE_CHANGED, NOW)
    assert result.outcome is Outcome.NOT_ALLOWED  # a closed case is not acted on

    factory, case_id = await a_case()
    async with factory() as uow:
        stale = await uow.cases.get(case_id)
        await uow.cases.update(advance(stale))
        moved = await change_case(
            uow, case_id, MENTOR, lambda c: stale, EventKind.OWNER_SET, NOW, {"to": "x"}
        )
    assert moved.outcome is Outcome.MOVED
