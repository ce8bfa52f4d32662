"""What the daily jobs say, rendered for each reader in their own language.

Guardians read on Telegram, staff on Slack. Guardian-facing text never shows internal labels
(domain guide §5): it says what the school knows and invites an answer, without blame.
"""

from __future__ import annotations

from datetime import date, datetime

from dialogs.i18n import _, format_day, use_locale
from dialogs.notices import staff_language, to_staff
from dialogs.prompts import prompt_buttons
from routine.model import ChatAccount, Guardian, Pupil, School, StaffMember
from routine.outbox import OutboxMessage, idempotency_key
from routine.requests import AbsencePrompt


def unreported_prompt(
    school: School,
    guardian: Guardian,
    account: ChatAccount,
    pupil: Pupil,
    prompt: AbsencePrompt,
    now: datetime,
) -> OutboxMessage:
    """With the four answers as buttons; the prompt is stored, so a press can be checked."""
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


def unreported_list(
    school: School,
    mentor: StaffMember,
    pupils: list[tuple[Pupil, bool]],
    day: date,
    now: datetime,
) -> OutboxMessage:
    """`pupils` pairs each pupil with whether any guardian could be asked in chat."""
    with use_locale(staff_language(school, mentor)):
        lines = [_("Absent without a report today, {day}:").format(day=format_day(day))]
        for pupil, reachable in pupils:
            line = f"• {pupil.name} ({pupil.class_name})"
            if not reachable:
                line += " — " + _("no guardian can be reached in chat: please phone")
            lines.append(line)
        lines.append(_("Step 1 of the routine: contact the guardians today."))
    return to_staff(school, mentor, "unreported-list", "\n".join(lines), day.isoformat(), now)


def roll_call_reminder(
    school: School, mentor: StaffMember, classes: list[str], day: date, now: datetime
) -> OutboxMessage:
    with use_locale(staff_language(school, mentor)):
        text = _("Good morning! Time for the roll call in {classes}.").format(
            classes=", ".join(classes)
        )
    return to_staff(school, mentor, "roll-call", text, day.isoformat(), now)
