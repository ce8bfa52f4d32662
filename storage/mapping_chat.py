"""Rows to domain objects and back for the chat side: chat accounts, invites, conversations, the
outbox, and guardians' requests (prompts, contact requests, concerns).
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from routine.model import ChatAccount, Conversation, InviteCode
from routine.outbox import DeliveryStatus, OutboxMessage, OutgoingButton
from routine.requests import (
    AbsencePrompt,
    ConcernKind,
    ContactRequest,
    ContactTime,
    ContactTopic,
    ContactWay,
    GuardianConcern,
    PromptAnswer,
    RequestStatus,
)
from storage.orm_base import as_utc
from storage.orm_chat import ConversationRow, OutboxRow
from storage.orm_people import ChatAccountRow, InviteCodeRow
from storage.orm_requests import AbsencePromptRow, ContactRequestRow, GuardianConcernRow

# Chat accounts, invites, conversations


def account_from_row(row: ChatAccountRow) -> ChatAccount:
    return ChatAccount(
        platform=row.platform,
        account_id=row.account_id,
        school_key=row.school_key,
        person_kind=row.person_kind,
        person_id=row.person_id,
        reachable=row.reachable,
    )


def account_to_row(account: ChatAccount, row: ChatAccountRow) -> None:
    row.platform = account.platform
    row.account_id = account.account_id
    row.school_key = account.school_key
    row.person_kind = account.person_kind
    row.person_id = account.person_id
    row.reachable = account.reachable


def invite_from_row(row: InviteCodeRow) -> InviteCode:
    return InviteCode(
        school_key=row.school_key,
        guardian_id=row.guardian_id,
        code_hash=row.code_hash,
        expires_at=row.expires_at,
        used_at=row.used_at,
        id=row.id,
    )


def invite_to_row(invite: InviteCode) -> InviteCodeRow:
    return InviteCodeRow(
        school_key=invite.school_key,
        guardian_id=invite.guardian_id,
        code_hash=invite.code_hash,
        expires_at=as_utc(invite.expires_at),
        used_at=None if invite.used_at is None else as_utc(invite.used_at),
    )


def conversation_from_row(row: ConversationRow) -> Conversation:
    # A copy: callers change a conversation's data in place, and the row must not follow.
    return Conversation(
        key=row.key,
        flow=row.flow,
        state=row.state,
        data=copy.deepcopy(row.data),
        version=row.version,
    )


# The outbox


def outbox_from_row(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        key=row.key,
        platform=row.platform,
        recipient=row.recipient,
        text=row.text,
        kind=row.kind,
        school_key=row.school_key,
        buttons=tuple(OutgoingButton(b["id"], b["label"]) for b in row.buttons),
        created_at=row.created_at,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        sent_at=row.sent_at,
        slot=row.slot,
        ref=row.ref,
        id=row.id,
    )


def outbox_columns(message: OutboxMessage) -> dict[str, Any]:
    """The message's columns, for INSERT and UPDATE statements (id and lease left out)."""
    return {
        "key": message.key,
        "platform": message.platform,
        "recipient": message.recipient,
        "text": message.text,
        "kind": message.kind,
        "school_key": message.school_key,
        "buttons": [{"id": b.id, "label": b.label} for b in message.buttons],
        "created_at": _utc_or_none(message.created_at),
        "status": message.status.value,
        "attempts": message.attempts,
        "next_attempt_at": _utc_or_none(message.next_attempt_at),
        "last_error": message.last_error,
        "sent_at": _utc_or_none(message.sent_at),
        "slot": message.slot,
        "ref": message.ref,
    }


# Guardians' requests


def prompt_from_row(row: AbsencePromptRow) -> AbsencePrompt:
    return AbsencePrompt(
        token=row.token,
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        day=row.day,
        created_at=row.created_at,
        answer=None if row.answer is None else PromptAnswer(row.answer),
        answered_at=row.answered_at,
        id=row.id,
    )


def prompt_to_row(prompt: AbsencePrompt, row: AbsencePromptRow) -> None:
    row.token = prompt.token
    row.school_key = prompt.school_key
    row.pupil_id = prompt.pupil_id
    row.guardian_id = prompt.guardian_id
    row.day = prompt.day
    row.created_at = as_utc(prompt.created_at)
    row.answer = None if prompt.answer is None else prompt.answer.value
    row.answered_at = _utc_or_none(prompt.answered_at)


def contact_request_from_row(row: ContactRequestRow) -> ContactRequest:
    return ContactRequest(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        topic=ContactTopic(row.topic),
        way=ContactWay(row.way),
        time=ContactTime(row.time),
        created_at=row.created_at,
        status=RequestStatus(row.status),
        taken_by=row.taken_by,
        taken_at=row.taken_at,
        done_at=row.done_at,
        escalated_at=row.escalated_at,
        id=row.id,
    )


def contact_request_to_row(request: ContactRequest, row: ContactRequestRow) -> None:
    row.school_key = request.school_key
    row.pupil_id = request.pupil_id
    row.guardian_id = request.guardian_id
    row.topic = request.topic.value
    row.way = request.way.value
    row.time = request.time.value
    row.created_at = as_utc(request.created_at)
    row.status = request.status.value
    row.taken_by = request.taken_by
    row.taken_at = _utc_or_none(request.taken_at)
    row.done_at = _utc_or_none(request.done_at)
    row.escalated_at = _utc_or_none(request.escalated_at)


def concern_from_row(row: GuardianConcernRow) -> GuardianConcern:
    return GuardianConcern(
        school_key=row.school_key,
        pupil_id=row.pupil_id,
        guardian_id=row.guardian_id,
        kind=ConcernKind(row.kind),
        created_at=row.created_at,
        id=row.id,
    )


def concern_to_row(concern: GuardianConcern) -> GuardianConcernRow:
    return GuardianConcernRow(
        school_key=concern.school_key,
        pupil_id=concern.pupil_id,
        guardian_id=concern.guardian_id,
        kind=concern.kind.value,
        created_at=as_utc(concern.created_at),
    )


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else as_utc(moment)
