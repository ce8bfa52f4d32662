"""Steps that bring someone into a case, on fakes: pupil health is told once and sees the case
from then on; step 3 is raised by hand, the principal owns it and gets the step-3 decisions
(the report to social services only a principal sees); the review prompt raises it too."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from dialogs.case_steps import (
    inform_pupil_health,
    raise_to_step3,
    step3_review_prompts,
)
from dialogs.events import Incoming
from routine.case_service import Outcome, case_for
from routine.cases import Case, EventKind
from routine.guides import guide_for
from routine.model import ChatAccount, Language, Role, StaffMember
from tests.dialogs.conftest import SCHOOLS
from tests.fakes import FakeUnitOfWorkFactory

SE = SCHOOLS["se"]
NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
HEALTH = StaffMember(
    "se", "S6", "Lena Ström", frozenset({Role.PUPIL_HEALTH}), slack_user_id="U-S6"
)
# A second pupil health member who reads Norwegian, and a third not on Slack.
HEALTH_NB = StaffMember(
    "se",
    "S7",
    "Kari Dahl",
    frozenset({Role.PUPIL_HEALTH}),
    language=Language.NB,
    slack_user_id="U-S7",
)
HEALTH_OFFLINE = StaffMember("se", "S8", "Per Sand", frozenset({Role.PUPIL_HEALTH}))


@pytest.fixture
async def se_case(world: FakeUnitOfWorkFactory) -> tuple[FakeUnitOfWorkFactory, int]:
    """Elsa (7A) has a case at step 2, owned by her mentor Karin (S1); everyone on Slack."""
    async with world() as uow:
        for member in await uow.staff.list_for_school("se"):
            await uow.staff.save(dataclasses.replace(member, slack_user_id=f"U-{member.staff_id}"))
        for member in (HEALTH, HEALTH_NB, HEALTH_OFFLINE):
            await uow.staff.save(member)
        [case] = await uow.cases.add_new(
            [Case("se", "P1", "se.step2", NOW, "rule:se.step2", "S1", "S4")]
        )
        await uow.commit()
    return world, case.id


async def staff(factory: FakeUnitOfWorkFactory, staff_id: str) -> StaffMember:
    async with factory() as uow:
        member = await uow.staff.get("se", staff_id)
    assert member is not None
    return member


def sent(factory: FakeUnitOfWorkFactory, kind: str) -> list:
    found = (m for m in factory.store.outbox.values() if m.kind == kind)
    return sorted(found, key=lambda m: m.id or 0)


def logged(factory: FakeUnitOfWorkFactory, kind: EventKind) -> list:
    return [e for e in factory.store.case_events if e.kind is kind]


async def test_pupil_health_is_told_once_and_sees_the_case_from_then_on(se_case) -> None:
    factory, case_id = se_case
    karin, lena = await staff(factory, "S1"), await staff(factory, "S6")
    async with factory() as uow:
        assert await case_for(uow, case_id, lena) is None
        result = await inform_pupil_health(uow, SE, case_id, karin, NOW)
        await uow.commit()
    assert result.outcome is Outcome.DONE
    messages = sent(factory, "pupil-health")
    assert sorted(m.recipient for m in messages) == ["U-S6", "U-S7"]
    swedish = next(m for m in messages if m.recipient == "U-S6")
    norwegian = next(m for m in messages if m.recipient == "U-S7")
    step2 = guide_for("se.step2").name
    assert swedish.text == (
        f"Karin Ek har informerat elevhälsan om Elsa Berg (7A). Aktuellt steg: {step2.sv}. "
        "Du kan följa arbetet härifrån."
    )
    assert norwegian.text.startswith(
        "Karin Ek har informert helsesykepleier og PPT om Elsa Berg (7A)."
    )
    assert step2.nb in norwegian.text
    async with factory() as uow:
        seen = await case_for(uow, case_id, lena)
        # Informing again changes nothing and sends nothing.
        again = await inform_pupil_health(uow, SE, case_id, karin, NOW)
        await uow.commit()
    assert seen is not None and seen[0].health_informed_at == NOW
    assert again.outcome is Outcome.UNCHANGED
    assert len(sent(factory, "pupil-health")) == 2
    assert len(logged(factory, EventKind.PUPIL_HEALTH_INFORMED)) == 1


async def test_only_those_who_may_act_inform_pupil_health(se_case) -> None:
    factory, case_id = se_case
    # Pupil health itself, before being informed, and a mentor of another class.
    for staff_id in ("S6", "S2"):
        async with factory() as uow:
            result = await inform_pupil_health(
                uow, SE, case_id, await staff(factory, staff_id), NOW
            )
            await uow.commit()
        assert result.outcome is Outcome.NOT_ALLOWED
    assert sent(factory, "pupil-health") == []
    assert [e.actor for e in logged(factory, EventKind.REFUSED)] == ["staff:S6", "staff:S2"]


async def test_the_mentor_raises_step_3_and_the_principal_owns_it(se_case) -> None:
    factory, case_id = se_case
    karin = await staff(factory, "S1")
    async with factory() as uow:
        result = await raise_to_step3(uow, SE, case_id, karin, NOW)
        await uow.commit()
    assert result.outcome is Outcome.DONE
    case = factory.store.cases[case_id]
    assert (case.stage, case.owner_id, case.members) == ("se.step3", "S3", ("S1",))
    [event] = logged(factory, EventKind.STAGE_CHANGED)
    assert event.detail == {"stage": "se.step3", "from": "se.step2"}
    # One message for one step: the principal's card, whose checklist is the step-3 decisions.
    assert sent(factory, "step3") == []
    [card] = [m for m in sent(factory, "case-card") if m.recipient == "U-S3"]
    assert card.slot == f"case:{case_id}:se.step3"
    checklist = guide_for("se.step3").checklist
    lines = card.text.splitlines()
    assert "Ansvarig: Eva Rydberg" in lines
    # Every step-3 decision, in the principal's language, the principal-only one included.
    assert [f"{n}. ☐ {entry.text.sv}" for n, entry in enumerate(checklist, 1)] == [
        line for line in lines if line[:1].isdigit()
    ]
    assert any(entry.principal_only for entry in checklist)
    # The mentor's card leaves that one out.
    [mentor] = [m for m in sent(factory, "case-card") if m.recipient == "U-S1"]
    secret = next(e for e in checklist if e.principal_only)
    assert secret.text.sv not in mentor.text
    # Raising again is refused: the case is no longer at step 2.
    queued = len(factory.store.outbox)
    async with factory() as uow:
        again = await raise_to_step3(uow, SE, case_id, karin, NOW)
        await uow.commit()
    assert again.outcome is Outcome.REFUSED
    assert len(factory.store.outbox) == queued


async def test_the_review_prompt_asks_the_principal_and_the_button_raises(
    se_case, chat_as
) -> None:
    factory, case_id = se_case
    async with factory() as uow:
        await uow.accounts.save(ChatAccount("test", "se-S3", "se", "staff", "S3"))
        case = await uow.cases.get(case_id)
        queued = await step3_review_prompts(uow, SE, [case], NOW)
        # The same day again: once.
        again = await step3_review_prompts(uow, SE, [case], NOW)
        await uow.commit()
    assert (queued, again) == (1, 0)
    [prompt] = sent(factory, "step3-review")
    assert prompt.recipient == "U-S3"
    assert "Elsa Berg (7A)" in prompt.text
    [button] = prompt.buttons
    assert (button.id, button.label) == (f"s3.{case_id}", "Lyft till steg 3")
    eva = chat_as("se-S3")
    replies = await eva.engine.handle(Incoming(key=eva.key, button=button.id))
    step3 = guide_for("se.step3").name.sv
    assert f"Elsa Berg är nu i ”{step3}”." in [r.text for r in replies]
    case = factory.store.cases[case_id]
    assert (case.stage, case.owner_id, case.members) == ("se.step3", "S3", ("S1",))
    # A replayed press changes nothing and says so.
    replies = await eva.engine.handle(Incoming(key=eva.key, button=button.id))
    assert any(r.text.startswith("Ingenting ändrades: Elsa Berg") for r in replies)
    # A case that is no longer at step 2 is not prompted.
    async with factory() as uow:
        assert await step3_review_prompts(uow, SE, [factory.store.cases[case_id]], NOW) == 0
