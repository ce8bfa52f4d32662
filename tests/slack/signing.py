"""Requests as Slack sends them: signed with v0 HMAC-SHA256 of `v0:{timestamp}:{body}`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode

SIGNING_SECRET = "fake-signing-secret-for-tests"


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature(secret, stamp, body),
    }


def event_body(event: dict[str, Any], *, team: str, event_id: str) -> tuple[str, str]:
    """An Events API callback: (body, content type)."""
    envelope = {
        "type": "event_callback",
        "team_id": team,
        "api_app_id": "A0NARVARO",
        "event": event,
        "event_id": event_id,
        "event_time": int(time.time()),
    }
    return json.dumps(envelope), "application/json"


def interaction_body(payload: dict[str, Any]) -> tuple[str, str]:
    """An interactivity request (block_actions, view_submission): a form with `payload`."""
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


def post(
    url: str,
    body: str,
    content_type: str,
    *,
    headers: dict[str, str] | None = None,
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
) -> tuple[int, str]:
    """POST as Slack does (signed unless `headers` replace the signature); (status, body)."""
    sent = {"Content-Type": content_type} | signed_headers(
        body, secret=secret, timestamp=timestamp
    )
    sent |= headers or {}
    request = urllib.request.Request(url, data=body.encode(), headers=sent, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
