"""Each person's Slack locale (users.info): a hint for their language.

`LocaleCache` asks for the person behind each request, once in a while. `SlackLocales` is the
scheduler's `PlatformLocales` port, for staff who never wrote (`scheduler.platform_locales`):
paced below Slack's limit for `users.info`, and telling a rate limit and a failure apart from
an answer.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.sender import UNREACHABLE, retry_after
from routine.ports import LocaleAnswer

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


# users.info is in Slack's tier 4 (100+ calls a minute): one call every 0.7 s stays under it.
PAUSE_SECONDS = 0.7


class SlackLocales:
    """The `PlatformLocales` port for Slack; the account id is the Slack user id."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        pause: float = PAUSE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._pause = pause
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0

    async def locale_of(self, account_id: str) -> LocaleAnswer:
        await self._paced()
        try:
            response = await self._client.users_info(user=account_id, include_locale=True)
        except SlackApiError as error:
            return _answer_to(error)
        except (ClientError, TimeoutError, OSError) as error:
            return LocaleAnswer(failed=type(error).__name__)
        return LocaleAnswer(locale=(response.get("user") or {}).get("locale") or None)

    async def _paced(self) -> None:
        wait = self._next - self._monotonic()
        if wait > 0:
            await self._sleep(wait)
        self._next = self._monotonic() + self._pause


def _answer_to(error: SlackApiError) -> LocaleAnswer:
    code = str(error.response.get("error", "")) or f"HTTP {error.response.status_code}"
    if error.response.status_code == 429 or code == "ratelimited":
        return LocaleAnswer(wait=retry_after(error.response.headers))
    if code in UNREACHABLE:
        # Gone from the workspace: nothing to ask again; an event would tell otherwise.
        return LocaleAnswer(locale=None)
    return LocaleAnswer(failed=code)
