"""Configuration from the environment, every variable prefixed NARVARO_ (listed in the README)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import AwareDatetime, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
# URLs as people write them, and the async driver narvaro uses for each.
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}
# What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NARVARO_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///narvaro.db",
        description="SQLAlchemy URL: sqlite+aiosqlite:///FILE or postgresql+asyncpg://...",
    )
    telegram_bot_username: str = Field(
        default="", description="The bot's @username, for t.me deep links in invites."
    )
    telegram_token: SecretStr = Field(
        default=SecretStr(""), description="The bot's token from @BotFather; empty: no Telegram."
    )
    telegram_api_url: str = Field(
        default="https://api.telegram.org",
        description="The Bot API server; the bot calls {url}/bot<token>/METHOD.",
    )
    telegram_mode: Literal["polling", "webhook"] = Field(
        default="polling", description="How updates arrive: long polling, or Telegram's webhook."
    )
    telegram_webhook_url: str = Field(
        default="",
        validate_default=True,
        description="The public HTTPS URL Telegram posts updates to (webhook mode).",
    )
    telegram_webhook_secret: SecretStr = Field(
        default=SecretStr(""),
        validate_default=True,
        description="Telegram sends it in X-Telegram-Bot-Api-Secret-Token (webhook mode).",
    )
    slack_bot_token: SecretStr = Field(
        default=SecretStr(""), description="The Slack app's bot token (xoxb-...); empty: no Slack."
    )
    # Before the signing secret, which only HTTP mode needs: fields are validated in order.
    slack_app_token: SecretStr = Field(
        default=SecretStr(""),
        validate_default=True,
        description=(
            "Socket Mode's app-level token (xapp-...): Slack's events come over a WebSocket "
            "the app opens, with no public URL; empty: over HTTP, at /slack/events."
        ),
    )
    slack_signing_secret: SecretStr = Field(
        default=SecretStr(""),
        validate_default=True,
        description="The Slack app's signing secret: every request from Slack is checked with it.",
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/",
        description="Slack's Web API (or the tests' fake); methods are called at {url}METHOD.",
    )
    http_host: str = Field(default="127.0.0.1", description="Where the HTTP server listens.")
    http_port: int = Field(
        default=8080, ge=0, le=65535, description="The HTTP server's port (webhook, /healthz)."
    )
    invite_ttl_hours: int = Field(default=72, gt=0, description="How long an invite code works.")
    fixed_time: AwareDatetime | None = Field(
        default=None,
        description=(
            "For tests and rehearsals only: the clock stands still at this moment "
            "(ISO 8601 with a UTC offset, e.g. 2026-11-23T08:30:00+01:00)."
        ),
    )
    misfire_grace_seconds: int = Field(
        default=3600,
        gt=0,
        description="How late a scheduled job may still run (after downtime), in seconds.",
    )
    outbox_give_up_hours: float = Field(
        default=24,
        gt=0,
        le=24 * 30,
        description=(
            "How long the outbox keeps retrying a message through network errors, 5xx and "
            "rate limits, in hours since it was created, before it fails it."
        ),
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="WARNING", description="Python logging level."
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError("not a database URL, e.g. sqlite+aiosqlite:///narvaro.db") from None
        driver = ASYNC_DRIVERS.get(url.drivername, url.drivername)
        if driver != url.drivername:
            # sqlite:/// and postgresql:// as people write them: the async driver is meant.
            value = url.set(drivername=driver).render_as_string(hide_password=False)
        if driver not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"unsupported database driver {driver!r}: use sqlite+aiosqlite:///FILE or "
                "postgresql+asyncpg://USER@HOST/DATABASE"
            )
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_url_in_webhook_mode(cls, value: str, info: ValidationInfo) -> str:
        if _webhook_on(info) and not value:
            raise ValueError("webhook mode needs the public URL Telegram should call")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret_in_webhook_mode(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        # Without a secret anyone who finds the URL could post updates as any guardian.
        if _webhook_on(info) and not WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError(
                "webhook mode needs a secret of 1-256 characters: letters, digits, _ and -"
            )
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_level_token(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        token = value.get_secret_value()
        if token and not token.startswith("xapp-"):
            # Most likely the bot token pasted twice.
            raise ValueError(
                "Socket Mode needs the app-level token, which starts with xapp- (Basic "
                "Information → App-Level Tokens, with the connections:write scope)"
            )
        if token and not _slack_on(info):
            raise ValueError("Socket Mode needs the bot token too (NARVARO_SLACK_BOT_TOKEN)")
        return value

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret_over_http(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        # Over HTTP nobody could tell Slack's requests from anyone else's without it. Socket
        # Mode needs none: its events come over the connection the app opened.
        if _slack_over_http(info) and not value.get_secret_value():
            raise ValueError(
                "Slack over HTTP needs its signing secret (NARVARO_SLACK_SIGNING_SECRET); "
                "or set NARVARO_SLACK_APP_TOKEN for Socket Mode"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # slack_sdk appends the method name to the base URL as it is.
        return value if value.endswith("/") else value + "/"

    @property
    def slack_enabled(self) -> bool:
        return bool(self.slack_bot_token.get_secret_value())

    @property
    def slack_socket_mode(self) -> bool:
        return self.slack_enabled and bool(self.slack_app_token.get_secret_value())

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token.get_secret_value())

    def secrets(self) -> list[str]:
        """Every secret setting's value, for the log to replace should one ever reach it; the
        database URL's password too."""
        values = [
            self.telegram_token,
            self.telegram_webhook_secret,
            self.slack_bot_token,
            self.slack_app_token,
            self.slack_signing_secret,
        ]
        found = [value.get_secret_value() for value in values]
        password = make_url(self.database_url).password
        return [secret for secret in [*found, password or ""] if secret]

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def _slack_on(info: ValidationInfo) -> bool:
    token = info.data.get("slack_bot_token")
    return token is not None and bool(token.get_secret_value())


def _slack_over_http(info: ValidationInfo) -> bool:
    """Slack is on without Socket Mode. (An app token that failed its own check is missing from
    `info.data`: its error says enough.)"""
    if "slack_app_token" not in info.data:
        return False
    return _slack_on(info) and not info.data["slack_app_token"].get_secret_value()


def _webhook_on(info: ValidationInfo) -> bool:
    """Webhook settings matter only when Telegram is on and in webhook mode. (Fields are
    validated in order, so the token and the mode are already in `info.data`.)"""
    token = info.data.get("telegram_token")
    has_token = token is not None and bool(token.get_secret_value())
    return has_token and info.data.get("telegram_mode") == "webhook"
