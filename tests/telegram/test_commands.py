"""The command menu: the engine's commands, described within Telegram's limits in every
language."""

from __future__ import annotations

import re

import pytest

from bot.telegram.commands import COMMANDS, command_descriptions, default_descriptions
from dialogs.engine import Engine
from dialogs.events import ConversationKey, Incoming
from dialogs.flows import all_flows
from dialogs.i18n import SUPPORTED_LOCALES, _, use_locale
from tests.dialogs.conftest import MONDAY_MORNING, FixedClock, seed
from tests.fakes import FakeUnitOfWorkFactory

COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_command_is_described_in_each_language_within_telegram_s_limits(
    locale: str,
) -> None:
    menu = command_descriptions(locale)
    assert [command for command, _text in menu] == list(COMMANDS)
    assert all(COMMAND_NAME.fullmatch(command) for command, _text in menu)
    assert all(1 <= len(text) <= 256 for _command, text in menu)


def test_the_default_menu_gives_each_description_in_all_languages_once() -> None:
    menu = dict(default_descriptions())
    assert list(menu) == list(COMMANDS)
    assert all(1 <= len(text) <= 256 for text in menu.values())
    for locale in SUPPORTED_LOCALES:
        for command, text in command_descriptions(locale):
            assert text in menu[command].split(" / ")


@pytest.mark.parametrize("command", list(COMMANDS))
async def test_the_engine_knows_every_command_in_the_menu(command: str) -> None:
    world = FakeUnitOfWorkFactory()
    await seed(world)
    engine = Engine(uow_factory=world, flows=all_flows(), clock=FixedClock(MONDAY_MORNING))
    key = ConversationKey(platform="test", chat="se-G1", user="se-G1")
    replies = await engine.handle(Incoming(key=key, text=f"/{command}"))
    with use_locale("sv"):
        unknown = _("I don't know that command.")
    assert replies and not any(unknown in reply.text for reply in replies)
