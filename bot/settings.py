"""Configuration from the environment, every variable prefixed NARVARO_ (listed in the README)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    log_level: str = Field(default="WARNING", description="Python logging level.")
