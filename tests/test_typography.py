"""Each language's typography: its own quotation marks, quoted buttons as the buttons read,
and no possessive glued to a name ("Jonass")."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dialogs.i18n import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]
QUOTES = {"sv": ("”", "”"), "nb": ("«", "»"), "da": ("»", "«")}
ALL_QUOTES = set('"”“„«»')
ENGLISH_QUOTED = re.compile(r'"([^"]+)"')


def catalog(locale: str):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "narvaro.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def texts(locale: str) -> list[tuple[str, str]]:
    found = []
    for message in catalog(locale):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = (message.string,) if isinstance(message.string, str) else message.string
        found.extend((msgid, text) for text in strings)
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_only_the_language_s_own_quotation_marks(locale: str) -> None:
    own = set(QUOTES[locale])
    wrong = [text for _msgid, text in texts(locale) if (set(text) & ALL_QUOTES) - own]
    assert wrong == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_a_quoted_button_reads_as_the_button(locale: str) -> None:
    """'choose "Start over"' quotes the button's own translation, in the language's marks."""
    po = catalog(locale)
    opening, closing = QUOTES[locale]
    mismatched = []
    for msgid, text in texts(locale):
        for quoted in ENGLISH_QUOTED.findall(msgid):
            label = po.get(quoted)
            expected = f"{opening}{label.string if label else quoted}{closing}"
            if expected not in text:
                mismatched.append((msgid, expected))
    assert mismatched == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_no_possessive_is_glued_to_a_placeholder(locale: str) -> None:
    glued = [text for _msgid, text in texts(locale) if re.search(r"\}s\b", text)]
    assert glued == []
