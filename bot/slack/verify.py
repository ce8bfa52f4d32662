"""Whether a request to `/slack/events` is Slack's, decided on the raw bytes before anything
reads them, and the key that tells one signed request from its copies.

Bolt checks signatures too, but it parses the body first and takes the headers on trust: a
timestamp that is no number or a signature with non-ASCII characters made it raise (500 and a
traceback). Here every malformed header is simply a request that is not Slack's: 401, one line
in the log, and the body unread.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
# Slack's rule: a request more than five minutes old may be a replay, and is refused.
MAX_AGE_SECONDS = 5 * 60
# Seconds since 1970 have 10 digits until the year 2286; more is no timestamp of Slack's.
MAX_TIMESTAMP_DIGITS = 12


def refusal(headers: Mapping[str, str], body: bytes, secret: str, now: float) -> str | None:
    """Why the request is not Slack's (for the log: no header values, nothing of the body),
    or None if it is signed with `secret` and fresh at `now` (seconds since 1970)."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature:
        return "no signature or no timestamp"
    if not _is_number(timestamp):
        return "a timestamp that is not a number"
    if abs(now - int(timestamp)) > MAX_AGE_SECONDS:
        return "a timestamp more than five minutes away"
    if not signature.isascii():
        return "a malformed signature"
    if not hmac.compare_digest(signature.encode(), _signature(secret, timestamp, body).encode()):
        return "a wrong signature"
    return None


def request_key(headers: Mapping[str, str], body: bytes) -> str | None:
    """The same for every copy of one signed request and different for any other: the
    signature covers the timestamp and the body, so a copy can change neither. None for a
    request without a timestamp (Socket Mode's, which nobody can replay)."""
    timestamp = headers.get(TIMESTAMP_HEADER)
    if not timestamp:
        return None
    digest = hashlib.sha256(timestamp.encode("utf-8", "surrogateescape") + b":" + body)
    return "request:" + digest.hexdigest()


def _is_number(timestamp: str) -> bool:
    return timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS


def _signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
