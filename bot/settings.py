"""Configuration from the environment, every variable prefixed NARVARO_ (listed in the README)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NARVARO_", extra="ignore")

    database_url: str = Field(
        default="sqlite+aiosqlite:///narvaro.db",
        description="SQLAlchemy URL: sqlite+aiosqlite:///FILE or postgresql+asyncpg://...",
    )
    telegram_bot_username: str = Field(
        default="", description="The bot's @username, for t.me deep links in invites."
    )
    invite_ttl_hours: int = Field(default=72, gt=0, description="How long an invite code works.")
    misfire_grace_seconds: int = Field(
        default=3600,
        gt=0,
        description="How late a scheduled job may still run (after downtime), in seconds.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="WARNING", description="Python logging level."
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            driver = make_url(value).drivername
        except ArgumentError:
            raise ValueError("not a database URL, e.g. sqlite+aiosqlite:///narvaro.db") from None
        if driver not in SUPPORTED_DRIVERS:
            raise ValueError(
                f"unsupported database driver {driver!r}: use sqlite+aiosqlite:///FILE or "
                "postgresql+asyncpg://USER@HOST/DATABASE"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value
