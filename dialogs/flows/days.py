"""Asking for a day: the choices offered, reading the answer (a press or a typed date), and the
example shown when a typed date cannot be read. Shared by the flows that ask for days (an
absence report, a leave request)."""

from __future__ import annotations

from datetime import date, timedelta

from dialogs.flow import Answer, Choice, Context, Retry
from dialogs.i18n import _, example_day
from dialogs.labels import day_label
from dialogs.parsing import parse_day

# School days offered as buttons when a day is asked for.
DAYS_OFFERED = 7


def day_choices(days: list[date], today: date) -> tuple[Choice, ...]:
    return tuple(Choice(day.isoformat(), day_label(day, today)) for day in days)


def chosen_day(ctx: Context, answer: Answer) -> date | None:
    if answer.choice is not None:
        return date.fromisoformat(answer.choice)
    return parse_day(answer.text or "", ctx.today)


def unreadable_date(ctx: Context) -> Retry:
    message = _("I could not read that date. Please write it like {example}.")
    return Retry(message.format(example=example_date(ctx)))


def example_date(ctx: Context) -> str:
    return example_day(ctx.today + timedelta(days=1))
