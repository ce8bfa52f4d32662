"""When a guardian cannot be reached in chat any more (they blocked the bot), the mentors of
their children are told to phone instead, and the chat stops counting as a way to reach them."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from dialogs.i18n import _, use_locale
from dialogs.notices import staff_language, to_staff
from routine.attendance import mentors_of
from routine.outbox import OutboxMessage
from routine.ports import UnitOfWork


async def chat_unreachable(uow: UnitOfWork, message: OutboxMessage, now: datetime) -> int:
    """Mark the chat unreachable and queue a word to each mentor; how many were told.

    Told once: only when the chat goes from reachable to unreachable."""
    account = await uow.accounts.get(message.platform, message.recipient)
    if account is None or not account.reachable or account.person_kind != "guardian":
        return 0
    await uow.accounts.save(dataclasses.replace(account, reachable=False))
    guardian = await uow.guardians.get(account.school_key, account.person_id)
    school = await uow.schools.get(account.school_key)
    if guardian is None or school is None:
        return 0
    staff = await uow.staff.list_for_school(school.key)
    told = 0
    for pupil_id in guardian.pupil_ids:
        pupil = await uow.pupils.get(school.key, pupil_id)
        if pupil is None:
            continue
        for mentor in mentors_of(pupil, staff):
            if not mentor.slack_user_id:
                continue
            with use_locale(staff_language(school, mentor)):
                text = _(
                    "{guardian} ({pupil}'s guardian) can no longer be reached in chat. "
                    "Please phone instead: {phone}"
                ).format(guardian=guardian.name, pupil=pupil.name, phone=guardian.phone or "–")
            subject = f"{guardian.guardian_id}:{pupil.pupil_id}:{now.date().isoformat()}"
            told += await uow.outbox.add(
                to_staff(school, mentor, "guardian-unreachable", text, subject, now)
            )
    return told
