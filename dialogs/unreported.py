"""Step 1, the same day: everyone absent without a report is followed up.

Each guardian who can be reached in chat is asked ("<name> is absent today and we have no
report"), a follow-up is opened for the pupil, and each mentor's list of the day is brought up
to date. The unreported-absence job does this when the roll call is due; a roll call taken later
in the day does it again for whoever it adds. Doing it twice asks nobody twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from dialogs.follow_up_list import refresh_follow_ups
from dialogs.i18n import _, format_day, use_locale
from dialogs.notices import GUARDIAN_PLATFORM
from dialogs.prompts import prompt_buttons
from routine.attendance import unreported_absent_pupils, without_granted_leave
from routine.follow_up import FollowUp, reported_to_follow_up
from routine.leave import LeaveStatus
from routine.model import ChatAccount, Guardian, Pupil, School
from routine.outbox import OutboxMessage, idempotency_key
from routine.ports import UnitOfWork
from routine.requests import AbsencePrompt, new_token


@dataclass(frozen=True)
class FollowedUp:
    pupils: int
    queued: int
    already: int


async def follow_up_unreported(
    uow: UnitOfWork, school: School, day: date, now: datetime
) -> FollowedUp:
    """One pass for the whole school: a few queries for the day's absent pupils, their
    guardians and chats, then bulk writes of prompts, follow-ups and messages."""
    marks = await uow.marks.list_for_day(school.key, day)
    reports = await uow.reports.list_overlapping(school.key, day, day)
    # Reported, but not valid by the report alone: on the list, and nobody asked again.
    leave = await uow.leave_requests.list_between(
        school.key, day, day, statuses=[LeaveStatus.GRANTED]
    )
    unreported = without_granted_leave(unreported_absent_pupils(marks, reports), leave, day)
    # The pupils reported and those not, read at once: the unit of work keeps them for both.
    await uow.school_day.pupils(school.key, {r.pupil_id for r in reports}.union(unreported))
    # Pupils on leave the principal granted are absent with permission: nobody is asked why.
    judged = without_granted_leave(
        await reported_to_follow_up(uow, school, day, marks, reports), leave, day
    )
    pupils = {p.pupil_id: p for p in await uow.school_day.pupils(school.key, unreported)}
    guardians = await uow.school_day.guardians_of(school.key, list(pupils))
    chats = reachable_chats(
        await uow.school_day.chat_accounts(
            school.key, "guardian", [g.guardian_id for g in guardians]
        )
    )
    asked = to_ask(pupils, guardians, chats)
    await uow.school_day.add_prompts(prompts_for(asked, day, now))
    prompts = {
        (p.pupil_id, p.guardian_id): p for p in await uow.school_day.prompts(school.key, day)
    }
    added = await uow.outbox.add_many(prompt_messages(school, asked, chats, prompts, now))
    await uow.school_day.open_follow_ups(follow_ups_for(school, day, now, pupils, asked, judged))
    lists = await refresh_follow_ups(uow, school, day, now)
    queued = sum(added)
    return FollowedUp(
        len(pupils) + len(judged),
        queued + lists.queued,
        len(added) - queued + lists.unchanged,
    )


Asked = list[tuple[Pupil, Guardian]]


def reachable_chats(accounts: Iterable[ChatAccount]) -> dict[tuple[str, str], list[ChatAccount]]:
    """The guardians' chats a prompt can go to, by (school key, guardian id)."""
    chats: dict[tuple[str, str], list[ChatAccount]] = defaultdict(list)
    for account in accounts:
        if account.platform == GUARDIAN_PLATFORM and account.reachable:
            chats[(account.school_key, account.person_id)].append(account)
    return chats


def to_ask(
    pupils: dict[str, Pupil],
    guardians: Iterable[Guardian],
    chats: dict[tuple[str, str], list[ChatAccount]],
) -> Asked:
    """Each of these (one school's) pupils with each guardian of theirs who has a chat."""
    return [
        (pupils[pupil_id], guardian)
        for guardian in guardians
        if chats.get((guardian.school_key, guardian.guardian_id))
        for pupil_id in guardian.pupil_ids
        if pupil_id in pupils
    ]


def prompts_for(asked: Asked, day: date, now: datetime) -> list[AbsencePrompt]:
    return [
        AbsencePrompt(new_token(), p.school_key, p.pupil_id, g.guardian_id, day, created_at=now)
        for p, g in asked
    ]


def prompt_messages(
    school: School,
    asked: Asked,
    chats: dict[tuple[str, str], list[ChatAccount]],
    prompts: dict[tuple[str, str], AbsencePrompt],
    now: datetime,
) -> list[OutboxMessage]:
    """The prompt, as stored (a prompt asked before keeps its token), to each chat."""
    return [
        unreported_prompt(
            school, guardian, chat, pupil, prompts[(pupil.pupil_id, guardian.guardian_id)], now
        )
        for pupil, guardian in asked
        for chat in chats[(guardian.school_key, guardian.guardian_id)]
    ]


def follow_ups_for(
    school: School,
    day: date,
    now: datetime,
    pupils: Iterable[str],
    asked: Asked,
    judged: Iterable[str],
) -> list[FollowUp]:
    """A follow-up for each unreported absence (reachable if a guardian was asked in chat)
    and for each reported one whose reason staff must follow up."""
    reachable = {pupil.pupil_id for pupil, _guardian in asked}
    return [
        FollowUp(school.key, pupil_id, day, now, pupil_id in reachable) for pupil_id in pupils
    ] + [FollowUp(school.key, pupil_id, day, now, True) for pupil_id in judged]


def unreported_prompt(
    school: School,
    guardian: Guardian,
    account: ChatAccount,
    pupil: Pupil,
    prompt: AbsencePrompt,
    now: datetime,
) -> OutboxMessage:
    """With the four answers as buttons; the prompt is stored, so a press can be checked.
    Guardian-facing: what the school knows and an invitation to answer, without blame."""
    with use_locale(guardian.speaks.value):
        text = _(
            "{name} is absent today, {day}, and the school has not received a report. "
            "Please let us know why, or ask us to call you."
        ).format(name=pupil.name, day=format_day(prompt.day))
        buttons = prompt_buttons(prompt.token)
    recipient = f"{account.platform}:{account.account_id}"
    return OutboxMessage(
        key=idempotency_key(
            "unreported", recipient, school.key, pupil.pupil_id, prompt.day.isoformat()
        ),
        platform=account.platform,
        recipient=account.account_id,
        text=text,
        kind="unreported-prompt",
        school_key=school.key,
        buttons=buttons,
        created_at=now,
    )
