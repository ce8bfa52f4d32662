"""Step 1, the same day: everyone absent without a report is followed up.

Each guardian who can be reached in chat is asked ("<name> is absent today and we have no
report"), a follow-up is opened for the pupil, and each mentor's list of the day is brought up
to date. The unreported-absence job does this when the roll call is due; a roll call taken later
in the day does it again for whoever it adds. Doing it twice asks nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dialogs.i18n import _, format_day, use_locale
from dialogs.live import refresh_follow_ups
from dialogs.notices import GUARDIAN_PLATFORM
from dialogs.prompts import prompt_buttons
from routine.attendance import guardians_of, unreported_absent_pupils, without_granted_leave
from routine.follow_up import open_follow_up
from routine.guardian_requests import ask_about_absence
from routine.leave import LeaveStatus
from routine.model import ChatAccount, Guardian, Pupil, School
from routine.outbox import OutboxMessage, idempotency_key
from routine.ports import UnitOfWork
from routine.requests import AbsencePrompt


@dataclass(frozen=True)
class FollowedUp:
    pupils: int
    queued: int
    already: int


async def follow_up_unreported(
    uow: UnitOfWork, school: School, day: date, now: datetime
) -> FollowedUp:
    marks = await uow.marks.list_for_day(school.key, day)
    reports = await uow.reports.list_covering(school.key, sorted({m.pupil_id for m in marks}), day)
    guardians = await uow.guardians.list_for_school(school.key)
    leave = await uow.leave_requests.list_between(
        school.key, day, day, statuses=[LeaveStatus.GRANTED]
    )
    queued = already = followed = 0
    for pupil_id in without_granted_leave(unreported_absent_pupils(marks, reports), leave, day):
        pupil = await uow.pupils.get(school.key, pupil_id)
        if pupil is None:
            continue
        reachable = False
        for guardian in guardians_of(pupil_id, guardians):
            for message in await _ask(uow, school, guardian, pupil, day, now):
                reachable = True
                added = await uow.outbox.add(message)
                queued, already = queued + added, already + (not added)
        await open_follow_up(
            uow, school_key=school.key, pupil_id=pupil_id, day=day, reachable=reachable, now=now
        )
        followed += 1
    lists = await refresh_follow_ups(uow, school, day, now)
    return FollowedUp(followed, queued + lists.queued, already + lists.unchanged)


async def _ask(
    uow: UnitOfWork, school: School, guardian: Guardian, pupil: Pupil, day: date, now: datetime
) -> list[OutboxMessage]:
    accounts = await uow.accounts.list_for_person(school.key, "guardian", guardian.guardian_id)
    chats = [a for a in accounts if a.platform == GUARDIAN_PLATFORM and a.reachable]
    if not chats:
        return []
    prompt = await ask_about_absence(
        uow,
        school_key=school.key,
        pupil_id=pupil.pupil_id,
        guardian_id=guardian.guardian_id,
        day=day,
        now=now,
    )
    return [unreported_prompt(school, guardian, chat, pupil, prompt, now) for chat in chats]


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
    with use_locale(guardian.language.value):
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
