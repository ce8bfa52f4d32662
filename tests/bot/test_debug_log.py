"""The whole service at NARVARO_LOG_LEVEL=DEBUG keeps secrets and personal data out of its log:
`narvaro run` with Telegram (webhook) and Slack (HTTP) against the fake servers, a guardian
linking with an invite code and reporting an absence with a note, a mentor writing on Slack;
then the log is searched for each secret, the code, the note, a phone number and the names."""

from __future__ import annotations

import asyncio
import logging
import socket
from pathlib import Path

import pytest

from bot.log_config import WithoutSecrets
from bot.telegram.app import WEBHOOK_PATH
from dialogs.i18n import language_name
from tests.bot.process import MONDAY_MORNING
from tests.slack.fake_slack_api import FakeSlackApi
from tests.slack.people import StaffMember
from tests.slack.signing import SIGNING_SECRET
from tests.telegram.fake_bot_api import FakeBotApi, TelegramUser
from tests.telegram.people import Person, say_in
from tests.telegram.service import load_demo_schools, module_database, running_narvaro

WEBHOOK_SECRET = "webhook-secret_that-must-stay-hidden"
NOTE = "Tandläkaren ringde i morse"
# Karin Nilsson, guardian of Alva Nilsson in 7A at Björkängen, with her phone in the roster;
# Anna Lindqvist is 7A's mentor.
PERSONAL = ["Karin Nilsson", "Alva Nilsson", "Anna Lindqvist", "070-1740610", "0701740610"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_debug_log_holds_no_secret_and_nothing_personal(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    port = free_port()
    with (
        module_database(request, "sqlite", tmp_path) as database,
        FakeBotApi().running() as telegram,
        FakeSlackApi().running() as slack,
    ):
        asyncio.run(load_demo_schools(database))
        environment = {
            "NARVARO_DATABASE_URL": database,
            "NARVARO_LOG_LEVEL": "DEBUG",
            "NARVARO_FIXED_TIME": MONDAY_MORNING,
            "NARVARO_HTTP_PORT": str(port),
            "NARVARO_TELEGRAM_TOKEN": telegram.token,
            "NARVARO_TELEGRAM_API_URL": telegram.url,
            "NARVARO_TELEGRAM_MODE": "webhook",
            "NARVARO_TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
            "NARVARO_TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "NARVARO_SLACK_BOT_TOKEN": slack.token,
            "NARVARO_SLACK_API_URL": slack.url,
            "NARVARO_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        }
        secrets = [telegram.token, slack.token, SIGNING_SECRET, WEBHOOK_SECRET]
        with running_narvaro(
            telegram, database, tmp_path, environment, ["run"], hidden=secrets
        ) as service:
            code = service.invite("se-bjorkangen", "G-SE-001")
            karin = Person(telegram, TelegramUser(630_000_001, "Karin", "sv"))
            karin.say(f"/start {code}")
            karin.press(language_name("sv"))
            karin.press(say_in("sv", "Report an absence"))
            karin.press(say_in("sv", "Medical or dental appointment"))
            karin.press(say_in("sv", "Today"))
            karin.press(say_in("sv", "The whole day"))
            (confirm,) = karin.say(NOTE)
            assert NOTE in confirm.text
            karin.press(say_in("sv", "Send report"))

            anna = StaffMember(slack, f"http://127.0.0.1:{port}/slack/events", "U0SE0001", "sv-SE")
            anna.say("hej")
            log = service.log_text()

    assert "DEBUG" in log  # the level was on
    leaked = [word for word in [*secrets, code, NOTE, *PERSONAL] if word in log]
    assert leaked == []


def test_a_secret_that_reaches_a_record_anyway_is_replaced() -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(WithoutSecrets(["123:ABC-token", "", "s3cret"]))
    logger = logging.getLogger("tests.secrets")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling %s/bot%s/getMe", "https://api", "123:ABC-token")
        try:
            raise ValueError("bad request to /bot123:ABC-token/sendMessage")
        except ValueError:
            logger.exception("sending failed")
    finally:
        logger.removeHandler(handler)

    assert records == [
        "calling https://api/bot[secret]/getMe",
        "sending failed (ValueError)",
    ]
