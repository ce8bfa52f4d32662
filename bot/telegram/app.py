"""The Telegram channel inside `narvaro run`: python-telegram-bot's Application, receiving
updates by long polling or by webhook, handing each to the dialog engine and its replies back.

Everything runs in `narvaro run`'s event loop, with PTB's non-blocking lifecycle:
`start()` (initialize, command menus, start), then `receive()` (polling, or registering the
webhook once the HTTP server listens), and on SIGTERM `stop_receiving()` then `stop()`.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from time import perf_counter
from typing import Literal, Protocol

from aiohttp import web
from telegram import Bot, BotCommand, CallbackQuery, Message, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.errors import OperatorError
from bot.http import HttpServer
from bot.telegram import calls
from bot.telegram.commands import command_descriptions, default_descriptions
from bot.telegram.convert import incoming_from_update
from bot.telegram.ordering import OneAtATimePerChat
from bot.telegram.replies import send_replies
from bot.telegram.sender import TelegramSender
from dialogs.events import Incoming, Reply
from scheduler.metrics import Metrics

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# The only updates the engine has a use for; Telegram then sends no others.
UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
# Telegram holds a getUpdates request open this long when there is nothing new.
POLL_TIMEOUT_SECONDS = 30
# The command menu per app language: Telegram's codes for Norwegian are all bokmål to us.
MENU_LANGUAGES = {"sv": "sv", "nb": "nb", "no": "nb", "nn": "nb", "da": "da"}

Mode = Literal["polling", "webhook"]


class Dialogs(Protocol):
    """What the channel needs of the dialog engine."""

    async def handle(self, incoming: Incoming) -> list[Reply]: ...


def build_application(token: str, api_url: str, *, mode: Mode) -> Application:
    """`api_url` is the Bot API server (https://api.telegram.org, or a local one)."""
    # httpx logs each request's URL at INFO, and the Bot API's URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .concurrent_updates(OneAtATimePerChat())
    )
    if mode == "webhook":
        # Updates come through our own HTTP server, not PTB's.
        builder = builder.updater(None)
    return builder.build()


class TelegramChannel:
    def __init__(
        self,
        application: Application,
        dialogs: Dialogs,
        *,
        mode: Mode = "polling",
        api_url: str = "",
        webhook_url: str = "",
        webhook_secret: str = "",
        metrics: Metrics | None = None,
    ) -> None:
        self.application = application
        self._metrics = metrics or Metrics()
        self.sender = TelegramSender(application.bot)
        self._dialogs = dialogs
        self._mode = mode
        self._api_url = api_url
        self._webhook_url = webhook_url
        self._webhook_secret = webhook_secret
        application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self._on_update))
        application.add_handler(CallbackQueryHandler(self._on_update))
        application.add_error_handler(self._on_error)

    @property
    def uses_webhook(self) -> bool:
        return self._mode == "webhook"

    def mount(self, http: HttpServer) -> None:
        """Serve the webhook on `http` (before it starts)."""
        http.add_route("POST", WEBHOOK_PATH, self.webhook)

    async def start(self) -> None:
        """Check the token (getMe), set the command menus, and start handling updates."""
        try:
            await self.application.initialize()
        except InvalidToken:
            raise OperatorError(
                f"Telegram refused the bot token (NARVARO_TELEGRAM_TOKEN) at {self._api_url}"
            ) from None
        except TelegramError as error:
            raise OperatorError(f"cannot reach Telegram at {self._api_url}: {error}") from None
        await self._set_command_menus()
        await self.application.start()
        log.info("Telegram bot @%s started (%s)", self.application.bot.username, self._mode)

    async def receive(self) -> None:
        """Start polling, or tell Telegram where to post updates: the HTTP server must listen."""
        try:
            if self.uses_webhook:
                await self.application.bot.set_webhook(
                    self._webhook_url, secret_token=self._webhook_secret, allowed_updates=UPDATES
                )
            else:
                assert self.application.updater is not None
                await self.application.updater.start_polling(
                    timeout=POLL_TIMEOUT_SECONDS, allowed_updates=UPDATES
                )
        except TelegramError as error:
            raise OperatorError(f"cannot receive Telegram updates: {error}") from None
        log.info("receiving Telegram updates by %s", self._mode)

    async def stop_receiving(self) -> None:
        """Fetch no more updates. (A webhook stays registered: Telegram keeps updates for us
        while we are away, and other workers may still be serving it.)"""
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()

    async def stop(self) -> None:
        """Finish the updates already received, then let go of the connections."""
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    async def webhook(self, request: web.Request) -> web.Response:
        """Telegram's POST of one update. Without the right secret nothing is read."""
        sent = request.headers.get(SECRET_HEADER)
        if sent is None:
            log.warning("refused a Telegram webhook post: no secret token")
            return web.Response(status=401, text="missing secret token")
        if not _same_secret(sent, self._webhook_secret):
            log.warning("refused a Telegram webhook post: wrong secret token")
            return web.Response(status=403, text="wrong secret token")
        try:
            data = await request.json()
            update = Update.de_json(data, self.application.bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            # Not JSON (JSONDecodeError is a ValueError), or JSON that is no update.
            update = None
        if update is None:
            return web.Response(status=400, text="not an update")
        # Handled like a polled update: in order per chat, while Telegram gets its answer now.
        await self.application.update_queue.put(update)
        return web.Response(text="ok")

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        settling = None
        if update.callback_query is not None:
            # While the engine waits for the database, the press is settled; the next question
            # is sent only after the old keyboard is off.
            settling = asyncio.ensure_future(
                _settle_press(self.application.bot, update.callback_query)
            )
        try:
            incoming = incoming_from_update(update)
            if incoming is None:
                return
            start = perf_counter()
            replies = await self._dialogs.handle(incoming)
        finally:
            if settling is not None:
                await settling
        await send_replies(self.application.bot, incoming.key.chat, replies)
        self._metrics.update_handled("telegram", perf_counter() - start)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The engine answers its own errors; this is for the channel's. The person may have got
        # no answer: the operator's log says which update.
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("handling Telegram update %s failed", update_id, exc_info=context.error)

    async def _set_command_menus(self) -> None:
        """Best effort: the commands work without the menu, so a refusal (flood control after
        many restarts, say) is logged and the bot starts anyway."""
        bot = self.application.bot
        menus = [
            *(
                (language, command_descriptions(locale))
                for language, locale in MENU_LANGUAGES.items()
            ),
            (None, default_descriptions()),
        ]
        try:
            for language, descriptions in menus:
                commands = [BotCommand(c, d) for c, d in descriptions]
                await bot.set_my_commands(commands, language_code=language)
        except TelegramError as error:
            log.warning("could not set the Telegram command menus: %s", error)


def _same_secret(sent: str, secret: str) -> bool:
    """Whether the header is the secret, in constant time. A header is whatever a client sent:
    aiohttp hands undecodable bytes on as surrogates, which `encode()` alone would raise on."""
    return hmac.compare_digest(sent.encode("utf-8", "surrogateescape"), secret.encode())


async def _settle_press(bot: Bot, query: CallbackQuery) -> None:
    """Stop the spinner on the pressed button (the answer itself is a message), and take the
    keyboard off the message: its buttons have done their work, and a second press would only
    be told that they expired. Both are courtesies: a failure is logged, not fatal."""
    try:
        await calls.answer_callback_query(bot, query.id)
    except TelegramError as error:
        log.info("could not answer a button press: %s", error)
    message = query.message
    if not isinstance(message, Message):
        # None, or a message too old for the bot to see (or edit).
        return
    try:
        await calls.remove_keyboard(
            bot, message.chat_id, message.message_id, message.business_connection_id
        )
    except TelegramError as error:
        # E.g. the message is older than 48 hours, or already has no keyboard.
        log.info("could not take the keyboard off a message: %s", error)
