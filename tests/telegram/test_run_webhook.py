"""`narvaro run` in webhook mode as a real process: Telegram (the fake) posts updates to our
HTTP server with the secret; anything without it is turned away. And the mistakes an operator
can make in the Telegram settings are explained, without a traceback."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.telegram.app import SECRET_HEADER, WEBHOOK_PATH
from dialogs.i18n import language_name
from tests.bot.process import run_narvaro
from tests.telegram.fake_bot_api import FakeBotApi, TelegramUser, text_update
from tests.telegram.people import Person, say_in
from tests.telegram.service import Service, load_demo_schools, module_database, running_service

SECRET = "webhook-secret_for-this-test"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def webhook_service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Service, str]]:
    folder = tmp_path_factory.mktemp("telegram-webhook")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with module_database(request, "sqlite", folder) as database:
        asyncio.run(load_demo_schools(database))
        with (
            FakeBotApi().running() as api,
            running_service(
                database,
                api,
                folder,
                NARVARO_TELEGRAM_MODE="webhook",
                NARVARO_TELEGRAM_WEBHOOK_URL=base + WEBHOOK_PATH,
                NARVARO_TELEGRAM_WEBHOOK_SECRET=SECRET,
                NARVARO_HTTP_PORT=str(port),
            ) as service,
        ):
            yield service, base


async def fetch(method: str, url: str, **kwargs) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.request(method, url, **kwargs) as r:
        return r.status, await r.text()


def test_a_guardian_links_through_the_webhook(webhook_service: tuple[Service, str]) -> None:
    service, base = webhook_service
    (registered,) = service.api.calls_of("setWebhook")
    assert (registered.params["url"], registered.params["secret_token"]) == (
        base + WEBHOOK_PATH,
        SECRET,
    )
    ida = Person(service.api, TelegramUser(620_000_001, "Ida", "nb"))
    ida.say(f"/start {service.invite('no-furulund', 'G-NO-015')}")
    _privacy, menu = ida.press(language_name("nb"))
    assert say_in("nb", "Report an absence") in menu.labels
    assert service.api.calls_of("getUpdates") == []
    assert {status for _update, status in service.api.webhook_posts} == {200}


@pytest.mark.parametrize(("headers", "status"), [({}, 401), ({SECRET_HEADER: "nope"}, 403)])
def test_posts_without_the_secret_are_turned_away(
    webhook_service: tuple[Service, str], headers: dict[str, str], status: int
) -> None:
    service, base = webhook_service
    intruder = TelegramUser(620_000_002, "Mallory", "sv")
    update = text_update(10_000, intruder, "/start ABCDEFGHJK")
    answer = asyncio.run(fetch("POST", base + WEBHOOK_PATH, json=update, headers=headers))
    assert answer[0] == status
    assert service.api.messages_to(intruder.id) == []


def test_health_is_answered(webhook_service: tuple[Service, str]) -> None:
    _service, base = webhook_service
    assert asyncio.run(fetch("GET", base + "/healthz")) == (200, '{"status": "ok"}')


def test_a_token_telegram_refuses_stops_the_start_with_a_clear_message(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    with FakeBotApi().running() as api:
        result = run_narvaro(
            "run",
            cwd=tmp_path,
            NARVARO_DATABASE_URL=migrated_sqlite_url,
            NARVARO_TELEGRAM_TOKEN="123:not-the-right-token",
            NARVARO_TELEGRAM_API_URL=api.url,
        )
    assert result.returncode != 0
    assert "Telegram refused the bot token (NARVARO_TELEGRAM_TOKEN)" in result.stderr
    assert "Traceback" not in result.stderr and "not-the-right-token" not in result.stderr


def test_a_telegram_that_cannot_be_reached_stops_the_start_with_a_clear_message(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    result = run_narvaro(
        "run",
        cwd=tmp_path,
        NARVARO_DATABASE_URL=migrated_sqlite_url,
        NARVARO_TELEGRAM_TOKEN="123:secret-token-value",
        NARVARO_TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}",
    )
    assert result.returncode != 0
    assert "cannot reach Telegram at http://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.stderr and "secret-token-value" not in result.stderr


def test_webhook_mode_without_a_secret_is_refused_before_anything_starts(
    migrated_sqlite_url: str, tmp_path: Path
) -> None:
    result = run_narvaro(
        "run",
        cwd=tmp_path,
        NARVARO_DATABASE_URL=migrated_sqlite_url,
        NARVARO_TELEGRAM_TOKEN="123:abc",
        NARVARO_TELEGRAM_MODE="webhook",
        NARVARO_TELEGRAM_WEBHOOK_URL="https://narvaro.example/telegram/webhook",
    )
    assert result.returncode != 0
    assert "NARVARO_TELEGRAM_WEBHOOK_SECRET: Value error, webhook mode needs a secret" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr


def updates_handled(base: str) -> float:
    status, text = asyncio.run(fetch("GET", base + "/metrics"))
    assert status == 200
    families = {f.name: f for f in text_string_to_metric_families(text)}
    return sum(
        sample.value
        for sample in families["narvaro_updates"].samples
        if sample.name == "narvaro_updates_total" and sample.labels == {"platform": "telegram"}
    )


def test_metrics_count_the_updates_handled(webhook_service: tuple[Service, str]) -> None:
    service, base = webhook_service
    before = updates_handled(base)
    Person(service.api, TelegramUser(620_000_003, "Ola", "nb")).say("/help", replies=1)

    # The count follows the reply by a moment: the handler counts once the reply is out.
    deadline = time.monotonic() + 10
    while updates_handled(base) < before + 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert updates_handled(base) == before + 1
