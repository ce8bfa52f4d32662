"""A guardian who blocked the bot: the chat stops counting, the mentors are told to phone."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.i18n import _, use_locale
from dialogs.reachability import chat_unreachable
from routine.model import (
    AttendanceMark,
    ChatAccount,
    Guardian,
    Language,
    MarkKind,
    Pupil,
    Role,
    SchoolClass,
    StaffMember,
)
from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage
from scheduler.dispatcher import Dispatcher, RateLimit
from scheduler.jobs import JOBS, JobContext
from tests.fakes import FakeUnitOfWorkFactory
from tests.scheduler.support import SCHOOL, START, FakeTime, RecordingSender

MONDAY = date(2026, 11, 23)


@pytest.fixture
async def world() -> FakeUnitOfWorkFactory:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await uow.schools.save(SCHOOL)
        await uow.classes.save(SchoolClass(SCHOOL.key, "7A"))
        await uow.pupils.save(Pupil(SCHOOL.key, "P1", "Elsa Berg", "7A"))
        await uow.guardians.save(
            Guardian(SCHOOL.key, "G1", "Anna Berg", Language.SV, "070-123", pupil_ids=("P1",))
        )
        await uow.accounts.save(ChatAccount("telegram", "1001", SCHOOL.key, "guardian", "G1"))
        await uow.staff.save(
            StaffMember(
                SCHOOL.key, "S1", "Karin Ek", frozenset({Role.MENTOR}), ("7A",), slack_user_id="U1"
            )
        )
        await uow.commit()
    return factory


def prompt_to_anna() -> OutboxMessage:
    return OutboxMessage(
        "k1", "telegram", "1001", "Elsa ...", "unreported-prompt", SCHOOL.key, created_at=START
    )


def phone_instead() -> str:
    with use_locale("sv"):
        return _(
            "{guardian} ({pupil}'s guardian) can no longer be reached in chat. "
            "Please phone instead: {phone}"
        ).format(guardian="Anna Berg", pupil="Elsa Berg", phone="070-123")


async def test_the_mentor_is_told_once_to_phone_instead(world: FakeUnitOfWorkFactory) -> None:
    async with world() as uow:
        first = await chat_unreachable(uow, prompt_to_anna(), START)
        second = await chat_unreachable(uow, prompt_to_anna(), START)
        await uow.commit()
    assert (first, second) == (1, 0)
    assert world.store.accounts[("telegram", "1001")].reachable is False
    (told,) = world.store.outbox.values()
    assert (told.platform, told.recipient, told.text) == ("slack", "U1", phone_instead())


async def test_a_blocked_delivery_fails_and_marks_the_chat_in_the_same_transaction(
    world: FakeUnitOfWorkFactory,
) -> None:
    time = FakeTime()
    async with world() as uow:
        await uow.outbox.add(prompt_to_anna())
        await uow.commit()
    blocked = RecordingSender(time, lambda _m: DeliveryResult.never("blocked"))
    dispatcher = Dispatcher(
        world,
        {"telegram": blocked},
        time,
        worker="w",
        sleep=time.sleep,
        monotonic=time.monotonic,
        limits={"telegram": RateLimit(100, 0)},
        on_unreachable=chat_unreachable,
    )
    await dispatcher.run_once()
    statuses = {m.kind: m.status for m in world.store.outbox.values()}
    assert statuses == {
        "unreported-prompt": DeliveryStatus.FAILED,
        "guardian-unreachable": DeliveryStatus.PENDING,
    }
    assert world.store.accounts[("telegram", "1001")].reachable is False


async def test_an_unreachable_chat_gets_no_prompt_and_the_mentor_is_told_to_phone(
    world: FakeUnitOfWorkFactory,
) -> None:
    async with world() as uow:
        await uow.accounts.save(
            ChatAccount("telegram", "1001", SCHOOL.key, "guardian", "G1", reachable=False)
        )
        await uow.marks.add(AttendanceMark(SCHOOL.key, "P1", MONDAY, MarkKind.ABSENT))
        await uow.commit()

    class Clock:
        def now(self):
            return START

    await JOBS["unreported-absences"].run(JobContext(world, Clock()), SCHOOL.key, MONDAY)
    (mentor_list,) = world.store.outbox.values()
    with use_locale("sv"):
        phone = _("no guardian can be reached in chat: please phone.")
    assert mentor_list.recipient == "U1" and phone in mentor_list.text
