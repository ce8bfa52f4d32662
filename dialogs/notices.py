"""Messages that tell a person something happened, rendered for them and put in the outbox.

Staff read on Slack, guardians on Telegram. The idempotency key names the event, so telling
the same thing twice is impossible.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from dialogs.i18n import N_, LazyString, _, use_locale
from dialogs.labels import describe_part, mid_sentence
from dialogs.staff_view import reason_for_staff, sees_reasons
from routine.model import AbsenceReport, ChatAccount, Guardian, Pupil, School, StaffMember
from routine.outbox import OutboxMessage, OutgoingButton, idempotency_key
from routine.requests import (
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    PromptAnswer,
)

GUARDIAN_PLATFORM = "telegram"
# [I'll take it] and [Done] under a contact request; dialogs/contact_actions.py handles them.
CONTACT_PREFIX = "c."
CONTACT_ACTIONS = {"take": N_("I'll take it"), "done": N_("Done")}
STAFF_PLATFORM = "slack"

TOPICS = {
    ContactTopic.ATTENDANCE: N_("Attendance"),
    ContactTopic.WELLBEING: N_("Wellbeing"),
    ContactTopic.OTHER: N_("Something else"),
}
WAYS = {
    ContactWay.PHONE: N_("By phone"),
    ContactWay.MESSAGE: N_("By message"),
    ContactWay.MEETING: N_("In a meeting"),
}
TIMES = {
    ContactTime.MORNING: N_("In the morning"),
    ContactTime.AFTERNOON: N_("In the afternoon"),
    ContactTime.ANY: N_("Any time"),
}


def request_buttons(request_id: int) -> tuple[OutgoingButton, ...]:
    """In the current locale: render inside the reader's `use_locale`."""
    return tuple(
        OutgoingButton(f"{CONTACT_PREFIX}{request_id}.{action}", str(label))
        for action, label in CONTACT_ACTIONS.items()
    )


def staff_language(school: School, member: StaffMember) -> str:
    """The one language of everything `member` reads, scheduled or in answer."""
    return member.speaks(school).value


def to_staff(
    school: School, member: StaffMember, kind: str, text: str, subject: str, now: datetime
) -> OutboxMessage:
    recipient = member.slack_user_id
    return OutboxMessage(
        key=idempotency_key(kind, f"{STAFF_PLATFORM}:{recipient}", school.key, subject),
        platform=STAFF_PLATFORM,
        recipient=recipient,
        text=text,
        kind=kind,
        school_key=school.key,
        created_at=now,
    )


def prompt_answered(
    school: School,
    mentor: StaffMember,
    pupil: Pupil,
    guardian: Guardian,
    answer: PromptAnswer,
    subject: str,
    now: datetime,
) -> OutboxMessage:
    with use_locale(staff_language(school, mentor)):
        names = {"guardian": guardian.name, "pupil": pupil.name}
        if answer in (PromptAnswer.ILL, PromptAnswer.OTHER) and not sees_reasons(school):
            # The school keeps reasons from staff: the answer says absent, not why.
            text = _("{guardian} answered about {pupil}: absent today.").format(**names)
            return to_staff(school, mentor, f"prompt-answer-{answer.value}", text, subject, now)
        text = {
            PromptAnswer.ILL: _("{guardian} answered about {pupil}: ill today."),
            PromptAnswer.OTHER: _(
                "{guardian} answered about {pupil}: absent today for another reason."
            ),
            PromptAnswer.CALL_ME: _("{guardian} asks to be called today about {pupil}'s absence."),
            PromptAnswer.MISTAKE: _(
                "{guardian} says there must be a mistake: {pupil} should be at school today. "
                "Please find out where {pupil} is now."
            ),
        }[answer].format(**names)
    return to_staff(school, mentor, f"prompt-answer-{answer.value}", text, subject, now)


def late_report(
    school: School,
    mentor: StaffMember,
    pupil: Pupil,
    guardian: Guardian,
    report: AbsenceReport,
    now: datetime,
) -> OutboxMessage:
    with use_locale(staff_language(school, mentor)):
        names = {"guardian": guardian.name, "pupil": pupil.name, "when": describe_part(report)}
        reason = reason_for_staff(school, report.reason)
        if reason is None:
            text = _("{guardian} reported {pupil} absent today after the cut-off, {when}.")
        else:
            text = _(
                "{guardian} reported {pupil} absent today after the cut-off: {reason}, {when}."
            )
        text = text.format(reason=reason, **names)
    return to_staff(school, mentor, "late-report", text, str(report.id), now)


def contact_requested(
    school: School,
    mentor: StaffMember,
    pupil: Pupil,
    guardian: Guardian,
    request: ContactRequest,
    now: datetime,
) -> OutboxMessage:
    text = N_(
        "{guardian} asks to be contacted about {pupil}. Topic: {topic}. How: {way}. When: {time}."
    )
    return _about_request(school, mentor, "contact-request", text, pupil, guardian, request, now)


def contact_escalated(
    school: School,
    coordinator: StaffMember,
    pupil: Pupil,
    guardian: Guardian,
    request: ContactRequest,
    now: datetime,
) -> OutboxMessage:
    """To a coordinator: a guardian has waited too long. They may take it themselves."""
    text = N_(
        "Nobody has taken the request from {guardian} to be contacted about {pupil} (class "
        "{class_name}) yet. Topic: {topic}. How: {way}. When: {time}."
    )
    return _about_request(
        school, coordinator, "contact-escalated", text, pupil, guardian, request, now
    )


def _about_request(
    school: School,
    member: StaffMember,
    kind: str,
    text: LazyString,
    pupil: Pupil,
    guardian: Guardian,
    request: ContactRequest,
    now: datetime,
) -> OutboxMessage:
    """A contact request told to staff in their language, with [I'll take it] and [Done]."""
    with use_locale(staff_language(school, member)):
        rendered = str(text).format(
            guardian=guardian.name,
            pupil=pupil.name,
            class_name=pupil.class_name,
            topic=mid_sentence(TOPICS[request.topic]),
            way=mid_sentence(WAYS[request.way]),
            time=mid_sentence(TIMES[request.time]),
        )
        buttons = request_buttons(request.id or 0)
    message = to_staff(school, member, kind, rendered, str(request.id), now)
    return dataclasses.replace(message, buttons=buttons)


def concern_reported(
    school: School,
    mentor: StaffMember,
    pupil: Pupil,
    guardian: Guardian,
    subject: str,
    now: datetime,
) -> OutboxMessage:
    with use_locale(staff_language(school, mentor)):
        text = _(
            "{guardian} says it is hard to get {pupil} to school. Please contact the "
            "guardian soon."
        ).format(guardian=guardian.name, pupil=pupil.name)
    return to_staff(school, mentor, "concern", text, subject, now)


def contact_taken(
    guardian: Guardian,
    account: ChatAccount,
    staff: StaffMember,
    pupil: Pupil,
    request: ContactRequest,
    now: datetime,
) -> OutboxMessage:
    with use_locale(guardian.speaks.value):
        text = _("{staff} at the school has your request about {pupil} and will contact you.")
        text = text.format(staff=staff.name, pupil=pupil.name)
    recipient = f"{account.platform}:{account.account_id}"
    return OutboxMessage(
        key=idempotency_key("contact-taken", recipient, guardian.school_key, str(request.id)),
        platform=account.platform,
        recipient=account.account_id,
        text=text,
        kind="contact-taken",
        school_key=guardian.school_key,
        created_at=now,
    )
