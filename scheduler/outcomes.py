"""What one delivery attempt makes of an outbox message: sent, tried again later, or failed.

Every attempt counts, the successful one too. A retry waits as long as the platform asked
(`retry_after`), or else as the `RetryPolicy`'s backoff says, until the policy's time limit since
the message was created: then it fails visibly, with its last error kept for the school's
operators (who can requeue it), rather than being retried for ever. A recipient who cannot be
reached (blocked the bot, left Slack) fails the message at once.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from routine.outbox import DeliveryResult, DeliveryStatus, OutboxMessage, RetryPolicy


def after_delivery(
    message: OutboxMessage, result: DeliveryResult, *, now: datetime, retry: RetryPolicy
) -> OutboxMessage:
    """The message as it stands after this attempt, ready for `OutboxRepository.record`."""
    attempts = message.attempts + 1
    if result.sent:
        return dataclasses.replace(
            message,
            status=DeliveryStatus.SENT,
            attempts=attempts,
            sent_at=now,
            next_attempt_at=None,
            ref=result.ref,
        )
    next_attempt = (
        None if result.unreachable else retry.next_attempt(attempts, now, message.created_at)
    )
    if next_attempt is None:
        return dataclasses.replace(
            message,
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=result.error,
            next_attempt_at=None,
        )
    if result.retry_after is not None:
        next_attempt = now + result.retry_after
    return dataclasses.replace(
        message,
        status=DeliveryStatus.PENDING,
        attempts=attempts,
        last_error=result.error,
        next_attempt_at=next_attempt,
    )
