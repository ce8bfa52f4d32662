"""The "nothing new" update: the coordinator's prompt, the ready message, and the presses.

When a family has not heard from the school for a while (`routine.family_updates`), the case's
coordinator (the owner where there is none) gets one DM, kept current as an outbox slot: the
ready message as each guardian will read it, in the guardian's language, and [Send it],
[Write my own], [We have talked]. One press sends the ready message to every chat that reaches
the pupil's guardians; "Write my own" opens a form whose text is sent as typed. Each is logged
on the case, and the DM then says who did what, without buttons. The buttons carry
`nn.<case id>.<action>`; only those who may act on the case are heard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs.flow import Context, StartFlow
from dialogs.guardian_reach import Reach, load_reach
from dialogs.i18n import N_, _, format_day, ngettext, use_locale
from dialogs.live import live_message
from dialogs.notices import staff_language
from dialogs.parsing import is_id
from routine.case_service import Outcome, change_case
from routine.case_tasks import TaskKind
from routine.case_tasks import done as task_done
from routine.cases import Case, EventKind
from routine.family_updates import Quiet
from routine.model import ChatAccount, Guardian, Pupil, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.ports import UnitOfWork
from routine.task_service import last_heard

PREFIX = "nn."
SEND, OWN, TALKED = "send", "own", "talked"
ACTIONS = {
    SEND: N_("Send it"),
    OWN: N_("Write my own"),
    TALKED: N_("We have talked"),
}
DONE_LINES = {
    SEND: N_("{name} sent the update."),
    OWN: N_("{name} sent an update in their own words."),
    TALKED: N_("{name} has talked with the family."),
}


def ready_message(school: School, pupil: Pupil) -> str:
    """In the current locale: warm, short, and with nothing internal."""
    return _(
        "Hello! A short update from {school} about {pupil}: there is nothing new since we were "
        "last in touch, and we are carrying on as we agreed. You are always welcome to contact "
        "us."
    ).format(school=school.name, pupil=pupil.name)


def prompt_slot(case: Case) -> str:
    return f"nothing-new:{case.id}"


def prompt_text(
    school: School, pupil: Pupil, guardians: Sequence[Guardian], since: datetime
) -> str:
    """For the coordinator, in their language (the current locale); the ready message in each
    guardian's language."""
    day = since.astimezone(ZoneInfo(school.timezone)).date()
    lines = [
        _(
            "The family of {pupil} ({class_name}) has not heard from the school since {day}. "
            "A short update keeps them in the loop, also when nothing is new."
        ).format(pupil=pupil.name, class_name=pupil.class_name, day=format_day(day)),
        _("Ready to send, as the guardians will read it:"),
    ]
    for language in sorted({g.speaks.value for g in guardians}):
        with use_locale(language):
            text = ready_message(school, pupil)
        lines.append(f"> {text}")
    return "\n".join(lines)


def prompt_message(
    school: School,
    member: StaffMember,
    case: Case,
    pupil: Pupil,
    guardians: Sequence[Guardian],
    since: datetime,
    now: datetime,
    *,
    done: str = "",
) -> OutboxMessage:
    """The coordinator's DM: with the buttons while nobody has acted, with `done` after."""
    assert case.id is not None
    with use_locale(staff_language(school, member)):
        text = prompt_text(school, pupil, guardians, since)
        buttons: tuple[OutgoingButton, ...] = ()
        if done:
            text += "\n" + done
        else:
            buttons = tuple(
                OutgoingButton(f"{PREFIX}{case.id}.{action}", str(label))
                for action, label in ACTIONS.items()
            )
    return live_message(school, member, "nothing-new", prompt_slot(case), text, buttons, now)


def to_guardian(
    school: School, account: ChatAccount, case: Case, text: str, now: datetime
) -> OutboxMessage:
    recipient = f"{account.platform}:{account.account_id}"
    return OutboxMessage(
        key=idempotency_key("family-update", recipient, school.key, str(case.id), now.isoformat()),
        platform=account.platform,
        recipient=account.account_id,
        text=text,
        kind="family-update",
        school_key=school.key,
        created_at=now,
    )


def _guardians(reach: Reach) -> list[Guardian]:
    return [*(guardian for guardian, _chats in reach.reached.values()), *reach.unreached]


async def prompt_coordinators(
    uow: UnitOfWork, school: School, quiet: Sequence[Quiet], now: datetime
) -> int:
    """One prompt per quiet case to its coordinator (or owner); how many were queued. A few
    queries for all the cases: staff once, pupils, guardians and chats in one batch each."""
    if not quiet:
        return 0
    staff = {s.staff_id: s for s in await uow.staff.list_for_school(school.key)}
    pupil_ids = {q.case.pupil_id for q in quiet}
    pupils = {p.pupil_id: p for p in await uow.school_day.pupils(school.key, pupil_ids)}
    guardians = await uow.school_day.guardians_of(school.key, pupil_ids)
    queued = 0
    for item in quiet:
        case = item.case
        member = staff.get(case.coordinator_id) or staff.get(case.owner_id)
        pupil = pupils.get(case.pupil_id)
        if member is None or pupil is None or not member.slack_user_id:
            continue
        theirs = [g for g in guardians if case.pupil_id in g.pupil_ids]
        message = prompt_message(school, member, case, pupil, theirs, item.since, now)
        queued += await uow.outbox.add(message)
    return queued


# Presses ------------------------------------------------------------------------------------


def parse(button_id: str) -> tuple[int, str] | None:
    if not button_id.startswith(PREFIX):
        return None
    case_id, _dot, action = button_id.removeprefix(PREFIX).partition(".")
    if not is_id(case_id) or action not in ACTIONS:
        return None
    return int(case_id), action


async def press(ctx: Context, case_id: int, action: str) -> StartFlow | None:
    staff = ctx.actor.staff
    if staff is None:
        ctx.say(_("This button has expired."))
        return None
    if action == OWN:
        # The form's flow checks the case again when the text is sent.
        return StartFlow("family_update", {"case": case_id})
    if action == SEND:
        return await send_update(ctx, case_id, None)
    result = await change_case(
        ctx.uow, case_id, staff, lambda c: c, EventKind.FAMILY_CONTACTED, ctx.now
    )
    if result.outcome is not Outcome.DONE:
        ctx.say(_("This case is closed or no longer yours."))
        return None
    await _mark_done(ctx, result.case, result.pupil, TALKED)
    ctx.say(_("Noted: you have talked with the family."))
    return None


async def send_update(ctx: Context, case_id: int, own_text: str | None) -> None:
    """The ready message (or `own_text`, as typed) to every chat reaching the guardians."""
    staff = ctx.actor.staff
    assert staff is not None
    result = await change_case(
        ctx.uow,
        case_id,
        staff,
        lambda c: c,
        EventKind.FAMILY_UPDATED,
        ctx.now,
        {"by": "own" if own_text else "ready"},
    )
    if result.outcome is not Outcome.DONE or result.case is None or result.pupil is None:
        ctx.say(_("This case is closed or no longer yours."))
        return
    school, case, pupil = ctx.actor.school, result.case, result.pupil
    reach = await load_reach(ctx.uow, school, pupil)
    sent = 0
    for guardian, chats in reach.reached.values():
        if own_text:
            text = own_text
        else:
            with use_locale(guardian.speaks.value):
                text = ready_message(school, pupil)
        for account in chats:
            sent += await ctx.uow.outbox.add(to_guardian(school, account, case, text, ctx.now))
    await _mark_done(ctx, case, pupil, OWN if own_text else SEND)
    unreached = [g.name for g in reach.unreached]
    if sent:
        ctx.say(
            ngettext(
                "Sent to the guardians in {count} chat.",
                "Sent to the guardians in {count} chats.",
                sent,
            ).format(count=sent)
        )
    else:
        # "Sent in 0 chats" read as if it had gone somewhere; said alone, it names what.
        ctx.say(_("The update has not been sent to any chat."))
    if unreached:
        ctx.say(
            _("No chat reaches {names}: please tell them by letter or in a call.").format(
                names=", ".join(sorted(unreached))
            )
        )


async def _mark_done(ctx: Context, case: Case | None, pupil: Pupil | None, action: str) -> None:
    """The case's "nothing new" task done, and the coordinator's prompt edited in place to say
    who did what."""
    if case is None or pupil is None:
        return
    actor = ctx.actor.staff
    assert actor is not None
    tasks = (await ctx.uow.case_tasks.of_cases([case.id or 0])).get(case.id or 0, [])
    for task in tasks:
        if task.kind is TaskKind.NOTHING_NEW and task.is_open:
            await ctx.uow.case_tasks.update(task_done(task, actor.staff_id, ctx.now, action))
    school = ctx.actor.school
    staff = {s.staff_id: s for s in await ctx.uow.staff.list_for_school(school.key)}
    member = staff.get(case.coordinator_id) or staff.get(case.owner_id)
    if member is None or not member.slack_user_id:
        return
    guardians = _guardians(await load_reach(ctx.uow, school, pupil))
    with use_locale(staff_language(school, member)):
        done = str(DONE_LINES[action]).format(name=actor.name)
    events = (await ctx.uow.cases.events_of([case.id or 0])).get(case.id or 0, [])
    since = last_heard(case, [e for e in events if e.at < ctx.now])
    message = prompt_message(school, member, case, pupil, guardians, since, ctx.now, done=done)
    await ctx.uow.outbox.add(message)
