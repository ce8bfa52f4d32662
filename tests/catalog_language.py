"""Which of our languages a message is written in, told by the catalogs themselves.

Each catalog's translations, cut at their `{placeholders}` and line breaks, give fragments;
a fragment of one language that no other catalog has marks a text as written in it. A message
is in one language when fragments of that language, and of no other, are in it; a message too
short for any fragment, when words of that language only are in it. Lines quoted
with "> " (a ready message in a guardian's language, shown to staff) are not the reader's.
"""

from __future__ import annotations

import re
from functools import cache

from babel.messages.pofile import read_po

from dialogs.i18n import SUPPORTED_LOCALES
from locales import DOMAIN, LOCALES_DIR

# Shorter pieces ("7A", "kl.", "ja") say nothing of a language.
SHORTEST = 12
PLACEHOLDER = re.compile(r"\{[^{}]*\}|\n")
WORD = re.compile(r"[^\W\d_]+")


def _translations(code: str) -> list[str]:
    with open(LOCALES_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po", "rb") as po:
        catalog = read_po(po, locale=code)
    found = []
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found.extend(string for string in strings if string)
    return found


def _fragments(code: str) -> frozenset[str]:
    found: set[str] = set()
    for string in _translations(code):
        for piece in PLACEHOLDER.split(string):
            piece = piece.strip(" .,:;!?*•—-()\"'")
            if len(piece) >= SHORTEST:
                found.add(piece)
    return frozenset(found)


def _words(text: str) -> set[str]:
    return {word.lower() for word in WORD.findall(PLACEHOLDER.sub(" ", text))}


@cache
def marker_words() -> dict[str, frozenset[str]]:
    """Each language's words (of five letters or more) that no other catalog has."""
    every = {code: set().union(*map(_words, _translations(code))) for code in SUPPORTED_LOCALES}
    return {
        code: frozenset(
            word
            for word in words
            if len(word) >= 5
            and not any(word in every[other] for other in SUPPORTED_LOCALES if other != code)
        )
        for code, words in every.items()
    }


@cache
def markers() -> dict[str, frozenset[str]]:
    """Each language's fragments that no other catalog has."""
    every = {code: _fragments(code) for code in SUPPORTED_LOCALES}
    return {
        code: frozenset(
            fragment
            for fragment in fragments
            if not any(fragment in every[other] for other in SUPPORTED_LOCALES if other != code)
        )
        for code, fragments in every.items()
    }


def languages_in(text: str) -> dict[str, list[str]]:
    """Each language with fragments of its own in `text`, and those fragments. A fragment
    inside a longer one of another language found there is not counted (Danish "Skoledagen er
    slut" in Norwegian "Skoledagen er slutt")."""
    own = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    found = {
        code: [fragment for fragment in fragments if fragment in own]
        for code, fragments in markers().items()
    }
    kept = {
        code: sorted(
            fragment
            for fragment in fragments
            if not any(
                fragment in longer and fragment != longer
                for other, theirs in found.items()
                if other != code
                for longer in theirs
            )
        )
        for code, fragments in found.items()
    }
    found = {code: fragments for code, fragments in kept.items() if fragments}
    if found:
        return found
    # A short message ("Per svarte om Maja: syk i dag."): its words, then.
    words = _words(own)
    by_word = {code: sorted(words & marked) for code, marked in marker_words().items()}
    return {code: found for code, found in by_word.items() if found}


def written_in(text: str) -> str | None:
    """The one language `text` is written in; None if it shows none, or more than one."""
    found = languages_in(text)
    return next(iter(found)) if len(found) == 1 else None
