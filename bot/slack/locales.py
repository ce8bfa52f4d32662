"""Each person's Slack locale (users.info), asked once in a while: a hint for their language."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

# People rarely change their Slack language; asking at every message would cost a call each.
KEEP_SECONDS = 3600.0


class LocaleCache:
    def __init__(
        self, client: AsyncWebClient, *, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._client = client
        self._monotonic = monotonic
        self._known: dict[str, tuple[str | None, float]] = {}

    async def locale_of(self, user: str) -> str | None:
        """e.g. "sv-SE"; None if Slack would not say (the engine then uses other hints)."""
        cached = self._known.get(user)
        if cached is not None and cached[1] > self._monotonic():
            return cached[0]
        try:
            response = await self._client.users_info(user=user, include_locale=True)
            locale = (response.get("user") or {}).get("locale")
        except SlackApiError as error:
            log.info("no Slack locale for a user: %s", error.response.get("error"))
            locale = None
        self._known[user] = (locale, self._monotonic() + KEEP_SECONDS)
        return locale
