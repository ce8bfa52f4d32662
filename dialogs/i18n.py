"""Translation with a context-local locale, in the spirit of aiogram's `utils/i18n`.

Text is translated when it is rendered, in the locale of the person it is for: the engine sets
the locale for the duration of one event with `use_locale`, and `_()` looks it up then.
Catalogs are read from the checked-in `.po` files (compiled in memory) unless a `.mo` file at
least as new sits beside them, so a fresh clone needs no build step.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, time
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, get_time_format
from babel.dates import format_time as babel_format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from locales import DOMAIN, LOCALES_DIR

SUPPORTED_LOCALES = ("sv", "nb", "da")
DEFAULT_LOCALE = "sv"

_current_locale: ContextVar[str] = ContextVar("narvaro_locale", default=DEFAULT_LOCALE)


def current_locale() -> str:
    return _current_locale.get()


@contextmanager
def use_locale(code: str) -> Iterator[str]:
    """Render everything inside the block for a person who reads `code`."""
    chosen = code if code in SUPPORTED_LOCALES else DEFAULT_LOCALE
    token = _current_locale.set(chosen)
    try:
        yield chosen
    finally:
        _current_locale.reset(token)


@functools.cache
def translations(code: str) -> NullTranslations:
    po_path = LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if _is_current(mo_path, po_path):
        with mo_path.open("rb") as mo_file:
            return GNUTranslations(mo_file)
    if not po_path.exists():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)


def _is_current(mo_path: Path, po_path: Path) -> bool:
    if not mo_path.exists():
        return False
    return not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


_ = gettext


class LazyString:
    """A msgid declared at import time and translated each time it is shown."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __str__(self) -> str:
        return gettext(self.message)

    def __repr__(self) -> str:
        return f"N_({self.message!r})"


def N_(message: str) -> LazyString:  # the conventional marker name
    return LazyString(message)


def babel_locale() -> Locale:
    return Locale.parse(current_locale())


def format_day(day: date) -> str:
    """A date in full as people in that country write it: 'mandag den 23. november 2026'."""
    return _format_day(day, current_locale())


# A morning's messages name the same day and times thousands of times: each is formatted
# once per locale (Babel parses the pattern and the locale's data on every call).
@functools.lru_cache(maxsize=1024)
def _format_day(day: date, code: str) -> str:
    return babel_format_date(day, format="full", locale=Locale.parse(code))


def format_short_day(day: date) -> str:
    """A date short enough for a button: 'mån 23 nov.'."""
    return format_skeleton("MMMEd", day, locale=babel_locale())


def format_clock(moment: time) -> str:
    return _format_clock(moment, current_locale())


@functools.lru_cache(maxsize=1024)
def _format_clock(moment: time, code: str) -> str:
    return babel_format_time(moment, format="short", locale=Locale.parse(code))


def example_day(day: date) -> str:
    """A day and month as people type them, for examples: '24/11', '24.11.', '24.11'."""
    return format_skeleton("dM", day, locale=babel_locale())


def clock_hint() -> str:
    """How to type a time, as the reader writes it: 'TT:MM' in Swedish, 'TT.MM' in Danish.

    Babel's short time pattern gives the separator; the catalog gives the letters people use
    for hours and minutes in that language."""
    pattern = get_time_format("short", locale=babel_locale()).pattern
    # The letters are one msgid each: a translator sees them side by side in the catalog.
    hours, minutes = gettext("HH"), gettext("MM")
    return pattern.replace("HH", "\0").replace("mm", minutes).replace("\0", hours)


def format_number(number: int) -> str:
    """A count as the reader writes numbers ('1 000' in Swedish, '1.000' in Danish)."""
    return format_decimal(number, locale=babel_locale())


def language_name(code: str, *, capitalised: bool = True) -> str:
    """A language's name in that language, so a person always recognises their own.

    Nordic languages write language names in lower case mid-sentence ("på svenska"), and
    Norwegians say "på bokmål" in a sentence: Babel's "norsk bokmål" is a list heading."""
    if not capitalised:
        return _IN_A_SENTENCE.get(code) or Locale.parse(code).get_display_name(code).lower()
    return Locale.parse(code).get_display_name(code).capitalize()


_IN_A_SENTENCE = {"nb": "bokmål"}
