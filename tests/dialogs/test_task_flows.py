"""A case's tasks in the chat: [Done] under the reminder asks what happened and whether to
adjust the plan, logs the answer on the case and re-renders the reminder in place; a forged
or foreign press does nothing; /handover hands every open task to a colleague; the Home tab
(/today) lists this week's and overdue tasks with their buttons."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.case_reminders import REMINDER_KIND, refresh_reminders
from dialogs.events import Incoming
from dialogs.i18n import _, use_locale
from routine.case_tasks import CaseTask, TaskKind, TaskStatus
from routine.cases import Case, EventKind
from routine.model import ChatAccount, Role, StaffMember
from routine.outbox import DeliveryStatus
from tests.dialogs.conftest import MONDAY_MORNING
from tests.dialogs.transcript import press, submit, with_form
from tests.fakes import FakeUnitOfWorkFactory

MONDAY = date(2026, 11, 23)


def sv(message: str) -> str:
    with use_locale("sv"):
        return _(message)


@pytest.fixture
async def tasks(world: FakeUnitOfWorkFactory) -> tuple[Case, list[CaseTask]]:
    """Nils (S4, coordinator) follows Elsa's case: a review overdue, an update due today."""
    async with world() as uow:
        [case] = await uow.cases.add_new(
            [Case("se", "P1", "se.step2", MONDAY_MORNING, "by_hand", "S4", "S4")]
        )
        stored = await uow.case_tasks.add_new(
            [
                CaseTask(
                    "se", case.id, TaskKind.REVIEW, "", "S4", MONDAY - timedelta(3), MONDAY_MORNING
                ),
                CaseTask("se", case.id, TaskKind.NOTHING_NEW, "", "S4", MONDAY, MONDAY_MORNING),
            ]
        )
        await uow.commit()
    return case, stored


async def sent_reminder(world: FakeUnitOfWorkFactory) -> None:
    """The morning's reminder, delivered (so that a press edits it)."""
    async with world() as uow:
        school = await uow.schools.get("se")
        await refresh_reminders(uow, school, MONDAY, MONDAY_MORNING)
        await uow.commit()
    for message in list(world.store.outbox.values()):
        if message.kind == REMINDER_KIND:
            world.store.outbox[message.id] = message.__class__(
                **{**message.__dict__, "status": DeliveryStatus.SENT, "ref": "D1:1"}
            )


def versions(world: FakeUnitOfWorkFactory) -> list:
    return sorted(
        (m for m in world.store.outbox.values() if m.kind == REMINDER_KIND), key=lambda m: m.id
    )


async def test_done_asks_what_happened_logs_it_and_edits_the_reminder(
    chat_as, world, tasks
) -> None:
    case, (review, _update) = tasks
    # Nils has no Slack id in these tests: give him one, so that he gets the reminder.
    async with world() as uow:
        nils = next(s for s in await uow.staff.list_for_school("se") if s.staff_id == "S4")
        await uow.staff.save(nils.__class__(**{**nils.__dict__, "slack_user_id": "U4"}))
        await uow.commit()
    await sent_reminder(world)
    [first] = versions(world)
    assert len(first.buttons) == 2
    nils_chat = chat_as("se-S4")
    form = with_form(await press(nils_chat, first.buttons[0].id))
    assert [f.name for f in form.form.fields] == ["what", "plan"]
    assert (
        sv("Plan, try, reflect, adjust: what happened, and does the plan need adjusting?")
        in form.text
    )
    empty = await submit(nils_chat, form, what="  ", plan="keep")
    # The engine asks for the required field; nothing is stored.
    with use_locale("sv"):
        asked = _("Please fill in: {fields}").format(fields=_("What happened?"))
    assert asked in [r.text for r in empty]
    replies = await submit(nils_chat, with_form(empty), what="Möte med familjen.", plan="adjust")
    assert sv("Saved in the log. A task to adjust the plan is set for the next school day.") in [
        r.text for r in replies
    ]
    async with world() as uow:
        assert (await uow.case_tasks.get(review.id)).status is TaskStatus.DONE
        [event] = (await uow.cases.events_of([case.id]))[case.id]
    assert event.kind is EventKind.TASK_DONE
    assert (event.detail["outcome"], event.detail["plan"]) == ("Möte med familjen.", "adjust")
    # The same slot again: the reminder is edited in place, without the done task and with
    # the new one to adjust the plan (due tomorrow).
    second = versions(world)[-1]
    assert second.slot == first.slot and len(versions(world)) == 2
    assert first.buttons[0].id not in [b.id for b in second.buttons]
    assert first.buttons[1].id in [b.id for b in second.buttons] and len(second.buttons) == 2
    # Pressing the old button again: already done.
    again = await press(nils_chat, first.buttons[0].id)
    assert sv("This task is already done.") in [r.text for r in again]


async def test_a_forged_or_foreign_press_does_nothing(chat_as, world, tasks) -> None:
    _case, (review, _update) = tasks
    expired = sv("This button has expired.")
    assert expired in [r.text for r in await press(chat_as("se-S1"), "t.999.done.20261123")]
    # Jonas, mentor of another class, is not on Elsa's case.
    form = with_form(await press(chat_as("se-S2"), f"t.{review.id}.done.20261123"))
    replies = await submit(chat_as("se-S2"), form, what="x", plan="keep")
    assert expired in [r.text for r in replies]
    async with world() as uow:
        assert (await uow.case_tasks.get(review.id)).is_open
    # A malformed day is no button of ours.
    replies = await press(chat_as("se-S4"), f"t.{review.id}.done.20261399")
    assert expired in [r.text for r in replies]


async def test_handover_moves_every_open_task_to_a_colleague(chat_as, world, tasks) -> None:
    case, _stored = tasks
    nils = chat_as("se-S4")
    [question] = [r for r in await nils.engine.handle(Incoming(key=nils.key, text="/handover"))]
    with use_locale("sv"):
        from dialogs.i18n import ngettext

        asked = ngettext(
            "You have {count} open follow-up task. Who takes it over?",
            "You have {count} open follow-up tasks. Who takes them over?",
            2,
        ).format(count=2)
    assert question.text == asked
    eva = next(b for b in question.buttons if b.label == "Eva Rydberg")
    replies = await nils.engine.handle(Incoming(key=nils.key, button=eva.id))
    assert any("Eva Rydberg" in r.text for r in replies)
    async with world() as uow:
        owners = {t.owner_id for t in (await uow.case_tasks.of_cases([case.id]))[case.id]}
        [event] = (await uow.cases.events_of([case.id]))[case.id]
        assert "S3" in (await uow.cases.get(case.id)).members
    assert owners == {"S3"}
    assert event.kind is EventKind.TASKS_HANDED and event.actor == "staff:S4"
    nothing = await nils.engine.handle(Incoming(key=nils.key, text="/handover"))
    assert sv("You have no open follow-up tasks to hand over.") in [r.text for r in nothing]


async def test_the_home_tab_lists_this_weeks_and_overdue_tasks(chat_as, world, tasks) -> None:
    _case, stored = tasks
    async with world() as uow:
        # Next week's task is not listed yet.
        await uow.case_tasks.add_new(
            [
                CaseTask(
                    "se",
                    stored[0].case_id,
                    TaskKind.REVIEW,
                    "",
                    "S4",
                    MONDAY + timedelta(7),
                    MONDAY_MORNING,
                )
            ]
        )
        await uow.commit()
    nils = chat_as("se-S4")
    [today, *_menu] = await nils.engine.handle(Incoming(key=nils.key, text="/today"))
    assert sv("Your follow-up tasks this week and overdue:") in today.text
    done_buttons = [b for b in today.buttons if b.id.startswith("t.")]
    assert [b.id.split(".")[1] for b in done_buttons] == [str(t.id) for t in stored]
    # Karin has no tasks: her Home tab says nothing of them.
    [hers, *_rest] = await chat_as("se-S1").engine.handle(
        Incoming(key=chat_as("se-S1").key, text="/today")
    )
    assert sv("Your follow-up tasks this week and overdue:") not in hers.text


async def test_a_danish_coordinator_records_the_learning_environment(chat_as, world) -> None:
    async with world() as uow:
        await uow.staff.save(StaffMember("dk", "T1", "Louise Holm", frozenset({Role.COORDINATOR})))
        await uow.staff.save(StaffMember("dk", "H1", "Birgit Lund", frozenset({Role.PRINCIPAL})))
        await uow.accounts.save(ChatAccount("test", "dk-T1", "dk", "staff", "T1"))
        [case] = await uow.cases.add_new(
            [Case("dk", "P1", "dk.stage1", MONDAY_MORNING, "by_hand", "T1", "T1")]
        )
        await uow.commit()
    louise = chat_as("dk-T1")
    [pick] = await louise.engine.handle(Incoming(key=louise.key, text="/learningenvironment"))
    [emil] = [b for b in pick.buttons if b.label == "Emil Hansen (6A)"]
    [confirm] = await louise.engine.handle(Incoming(key=louise.key, button=emil.id))
    with use_locale("da"):
        yes = _("Yes, record it")
    [button] = [b for b in confirm.buttons if b.label == yes]
    replies = await louise.engine.handle(Incoming(key=louise.key, button=button.id))
    # Monday 23 November + 10 working days: Monday 7 December; the abbreviated month's full
    # stop ends the sentence ("dec.", not "dec..").
    said = "Registreret i sagens log. Handlingsplanen skal være klar senest man. 7. dec."
    assert said in [r.text for r in replies]
    async with world() as uow:
        [task] = (await uow.case_tasks.of_cases([case.id]))[case.id]
        [event] = (await uow.cases.events_of([case.id]))[case.id]
    assert (task.kind, task.owner_id) == (TaskKind.DK_ACTION_PLAN, "H1")
    assert event.kind is EventKind.LEARNING_ENVIRONMENT
    # Not a Swedish school's command.
    nils = chat_as("se-S4")
    [answer, *_rest] = await nils.engine.handle(
        Incoming(key=nils.key, text="/learningenvironment")
    )
    assert answer.text == sv("I don't know that command.")


async def test_a_mentor_named_on_a_task_does_it_with_tasks(chat_as, world, tasks) -> None:
    """Karin is a mentor: the menu offers her tasks, as /tasks does, with the task a plan row
    gave her."""
    case, _stored = tasks
    async with world() as uow:
        [mine] = await uow.case_tasks.add_new(
            [
                CaseTask(
                    "se", case.id, TaskKind.PLAN_ROW, "Morgonsamtal", "S1", MONDAY, MONDAY_MORNING
                )
            ]
        )
        await uow.commit()
    karin = chat_as("se-S1")
    [*_greeting, menu] = await karin.engine.handle(Incoming(key=karin.key, text="hej"))
    labels = [b.label for b in menu.buttons]
    assert {sv("My follow-up tasks"), sv("Hand over my tasks")} <= set(labels)
    [by_menu] = await karin.engine.handle(
        Incoming(key=karin.key, button=menu.buttons[labels.index(sv("My follow-up tasks"))].id)
    )
    [listing] = await karin.engine.handle(Incoming(key=karin.key, text="/tasks"))
    assert [b.label for b in by_menu.buttons] == [b.label for b in listing.buttons]
    assert listing.buttons[0].label.startswith("Elsa Berg (7A): Morgonsamtal")
    form = with_form(
        await karin.engine.handle(Incoming(key=karin.key, button=listing.buttons[0].id))
    )
    replies = await submit(karin, form, what="Pratade med Elsa.", plan="keep")
    assert sv("Saved in the log. Thank you!") in [r.text for r in replies]
    async with world() as uow:
        assert not (await uow.case_tasks.get(mine.id)).is_open
