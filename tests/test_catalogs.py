"""The catalogs must be complete, free of fuzzy guesses, and current with the code."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from dialogs.i18n import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def msgids_in_code() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def singular(msgid: str | tuple[str, ...]) -> str:
    """A plural entry (ngettext) is named by its singular, as the extractor gives it."""
    return msgid if isinstance(msgid, str) else msgid[0]


def forms(text: str | tuple[str, ...]) -> tuple[str, ...]:
    return (text,) if isinstance(text, str) else tuple(text)


def catalog(locale: str):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "narvaro.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


@pytest.fixture(scope="module")
def code_msgids() -> set[str]:
    return msgids_in_code()


def test_the_code_has_translatable_text(code_msgids: set[str]) -> None:
    assert "Report an absence" in code_msgids


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_has_exactly_the_code_s_messages(locale: str, code_msgids: set[str]) -> None:
    in_catalog = {singular(message.id) for message in catalog(locale) if message.id}
    assert (sorted(code_msgids - in_catalog), sorted(in_catalog - code_msgids)) == ([], [])


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_has_no_untranslated_or_fuzzy_entries(locale: str) -> None:
    po = catalog(locale)
    unfinished = [m.id for m in po if m.id and (m.fuzzy or not all(forms(m.string)))]
    assert (unfinished, po.fuzzy) == ([], False)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_translations_keep_every_placeholder(locale: str) -> None:
    broken = [
        m.id
        for m in catalog(locale)
        if m.id
        for msgid in forms(m.id)
        for text in forms(m.string)
        if set(PLACEHOLDER.findall(msgid)) != set(PLACEHOLDER.findall(text))
    ]
    assert broken == []
