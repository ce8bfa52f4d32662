"""The command menu Telegram shows beside the text field, in each person's language.

The commands are the engine's (`dialogs.engine`); this only describes them for the menu.
"""

from __future__ import annotations

from dialogs.i18n import N_, SUPPORTED_LOCALES, use_locale

COMMANDS = {
    "start": N_("Show the menu, or link this chat with the school's code"),
    "menu": N_("Show the choices again"),
    "cancel": N_("Stop what you are doing"),
    "language": N_("Change language"),
    "help": N_("How this chat works"),
    "privacy": N_("What is stored about you, and why"),
    "stop": N_("Unlink this chat"),
}


def command_descriptions(locale: str) -> list[tuple[str, str]]:
    """(command, description) in `locale`, in the order the menu shows them."""
    with use_locale(locale):
        return [(command, str(description)) for command, description in COMMANDS.items()]


def default_descriptions() -> list[tuple[str, str]]:
    """For people whose app speaks none of our languages: each description in all of them, as
    the engine answers someone whose language it cannot know yet."""
    translations = [command_descriptions(locale) for locale in SUPPORTED_LOCALES]
    return [
        (command, " / ".join(dict.fromkeys(texts[i][1] for texts in translations)))
        for i, (command, _description) in enumerate(translations[0])
    ]
