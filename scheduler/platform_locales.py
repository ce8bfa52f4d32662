"""Staff who never wrote to the bot: their Slack locale, asked once (`users.info`).

A member's platform locale is otherwise remembered from their last event, so someone who never
wrote would get their first roll call in the school file's or the school's language. Before the
morning's jobs, the school's staff whose locale nobody knows and whose account was never asked
(`StaffMember.needs_platform_locale`) are asked: the staff read with one query, the calls made
outside any transaction, the answers remembered with one compare-and-set UPDATE (an event that
told a locale meanwhile wins). An answer in a language we do not write is remembered as asked
too, so each account is asked once. A failure is logged by its error's name only (nothing
personal) and that member is asked again on the next run; a rate limit ends the run and the rest
wait for the next. Nothing waits for this job: a member without an answer gets the next language
in `StaffMember.speaks`.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from routine.model import Language, StaffMember
from routine.ports import PlatformLocales, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Asked this long before the roll call, so that the morning's messages find the answers.
LEAD = timedelta(hours=1)
# At most this many calls a run: a school of any size is asked within a few mornings.
MAX_PER_RUN = 300


def ask_time(roll_call: time) -> time:
    """`LEAD` before the roll call, never before midnight (which would be the day before)."""
    day = date(2000, 1, 2)  # any day: only the time of day counts
    moment = datetime.combine(day, roll_call)
    return max(moment - LEAD, datetime.combine(day, time(0))).time()


def language_of(locale: str | None) -> Language | None:
    """ "nb-NO" is bokmål; "en-US" none of ours."""
    try:
        return Language.parse(locale or "")
    except ValueError:
        return None


@dataclass
class Asked:
    waiting: int = 0
    answers: dict[str, Language | None] = field(default_factory=dict)
    failures: Counter[str] = field(default_factory=Counter)
    rate_limited: bool = False
    remembered: int = 0

    def summary(self) -> str:
        known = sum(1 for language in self.answers.values() if language is not None)
        text = (
            f"{self.waiting} staff member(s) without a known platform locale; "
            f"{len(self.answers)} answered ({known} in one of our languages), "
            f"{self.remembered} remembered"
        )
        if self.failures:
            text += f"; {sum(self.failures.values())} failed, asked again on the next run"
        if self.rate_limited:
            text += "; rate limited, the rest are asked on the next run"
        return text


async def ask(locales: PlatformLocales, staff: list[StaffMember]) -> Asked:
    waiting = [member for member in staff if member.needs_platform_locale()]
    asked = Asked(waiting=len(waiting))
    for member in waiting[:MAX_PER_RUN]:
        answer = await locales.locale_of(member.slack_user_id)
        if answer.wait is not None:
            asked.rate_limited = True
            break
        if answer.failed:
            asked.failures[answer.failed] += 1
            continue
        asked.answers[member.staff_id] = language_of(answer.locale)
    return asked


async def ask_and_remember(
    uow_factory: UnitOfWorkFactory,
    locales: PlatformLocales,
    school_key: str,
    staff: list[StaffMember],
    now: datetime,
) -> Asked:
    asked = await ask(locales, staff)
    if asked.failures:
        errors = ", ".join(f"{name} ×{n}" for name, n in sorted(asked.failures.items()))
        log.warning(
            "no platform locale for %d staff member(s) of %s (%s): asked again on the next run",
            sum(asked.failures.values()),
            school_key,
            errors,
        )
    if asked.answers:
        async with uow_factory() as uow:
            asked.remembered = await uow.staff.remember_platform_languages(
                school_key, asked.answers, now
            )
            await uow.commit()
    return asked
