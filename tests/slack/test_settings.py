"""Slack's settings, and the app manifest operators paste into Slack."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings

MANIFEST = Path(__file__).parents[2] / "slack" / "manifest.yml"


def settings(**values: str) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_slack_is_off_without_a_token() -> None:
    assert not settings().slack_enabled
    assert settings().slack_api_url == "https://slack.com/api/"


def test_over_http_the_token_needs_the_signing_secret() -> None:
    with pytest.raises(ValidationError, match=r"over HTTP needs .*NARVARO_SLACK_SIGNING_SECRET"):
        settings(slack_bot_token="xoxb-1")
    on = settings(slack_bot_token="xoxb-1", slack_signing_secret="s")
    assert (on.slack_enabled, on.slack_socket_mode) == (True, False)


def test_the_api_url_ends_with_a_slash_for_the_method_names() -> None:
    assert settings(slack_api_url="http://127.0.0.1:9/api").slack_api_url == (
        "http://127.0.0.1:9/api/"
    )


def test_socket_mode_needs_no_signing_secret() -> None:
    on = settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1")
    assert (on.slack_enabled, on.slack_socket_mode) == (True, True)


def test_socket_mode_needs_an_app_level_token() -> None:
    # The bot token pasted twice is the likely mistake.
    with pytest.raises(ValidationError, match="starts with xapp-") as refused:
        settings(slack_bot_token="xoxb-1", slack_app_token="xoxb-1")
    # Its own error says enough: no second one about the signing secret.
    assert len(refused.value.errors()) == 1


def test_socket_mode_needs_the_bot_token_too() -> None:
    with pytest.raises(ValidationError, match="NARVARO_SLACK_BOT_TOKEN"):
        settings(slack_app_token="xapp-1")


def test_the_manifest_asks_for_what_the_app_uses() -> None:
    text = MANIFEST.read_text()
    for needed in (
        "chat:write", "im:history", "im:read", "im:write", "users:read", "commands",
        "message.im", "app_home_opened", "command: /narvaro", "is_enabled: true",
    ):  # fmt: skip
        assert needed in text, needed
    urls = [line.split(":", 1)[1].strip() for line in text.splitlines() if "url:" in line]
    assert urls == ["https://YOUR-HOST/slack/events"] * 3
