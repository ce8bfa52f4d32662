"""Each catalog names each concept of the routine with the one term of its glossary.

`locales/{locale}/glossary.toml` lists, per concept, the term to use and the terms not to use
(see "Reviewing a translation" in the README). A rejected term anywhere in a msgstr fails,
and so does a glossary whose term the catalog never uses (the glossary must describe the
catalog, or it stops being read)."""

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dialogs.i18n import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parents[1]


def glossary(locale: str) -> dict[str, dict]:
    with (ROOT / "locales" / locale / "glossary.toml").open("rb") as toml_file:
        return tomllib.load(toml_file)


def translations(locale: str) -> list[tuple[str, str]]:
    """(msgid, text) for every translated form, plural forms included."""
    path = ROOT / "locales" / locale / "LC_MESSAGES" / "narvaro.po"
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=locale)
    found = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        texts = (message.string,) if isinstance(message.string, str) else message.string
        found.extend((msgid, text) for text in texts)
    return found


def pattern(term: str) -> re.Pattern[str]:
    """A whole word or phrase; a trailing * allows any ending ("meddelelse*")."""
    stem = re.escape(term.removesuffix("*"))
    ending = r"\w*" if term.endswith("*") else ""
    return re.compile(rf"(?<!\w){stem}{ending}(?!\w)", re.IGNORECASE)


def without(phrases: Iterable[str], text: str) -> str:
    """`text` with each of `phrases` (whole words, any case) taken out."""
    for phrase in phrases:
        text = pattern(phrase).sub("", text)
    return text


def rejected_uses(locale: str) -> list[tuple[str, str, str]]:
    return rejected_in(glossary(locale), translations(locale))


def rejected_in(
    entries: dict[str, dict], texts: list[tuple[str, str]]
) -> list[tuple[str, str, str]]:
    """(concept, rejected term, msgid) for every use of a rejected term, and of a word that
    may only appear within the concept's term (`only_within_term`: Danish "frihed", which
    alone is any freedom, only as "ekstraordinær frihed").

    A rejected word inside one of the concept's `allowed_in` phrases is another concept and
    is not counted (Norwegian "innsats" is not a measure in "felles innsats", a joint effort)."""
    found = [
        (concept, term, msgid)
        for concept, entry in entries.items()
        for term in entry.get("rejected", ())
        for msgid, text in texts
        if pattern(term).search(without(entry.get("allowed_in", ()), text))
    ]
    for concept, entry in entries.items():
        whole = pattern(entry["term"] + "*")
        found.extend(
            (concept, word, msgid)
            for word in entry.get("only_within_term", ())
            for msgid, text in texts
            if pattern(word).search(whole.sub("", text))
        )
    return found


def test_a_rejected_term_is_found_whole_word_and_with_endings() -> None:
    assert pattern("melding").search("Send meldingen") is None
    assert pattern("melding").search("Trekk fraværsmeldingen") is None
    assert pattern("melding").search("Uten melding.")
    assert pattern("meddelelse*").search("uden meddelelser")
    assert pattern("ikke kendt endnu").search("Ikke kendt endnu")


def test_a_word_only_within_the_term_is_found_alone() -> None:
    entry = {"term": "ekstraordinær frihed", "only_within_term": ["frihed*"]}
    texts = [
        ("a", "Søg om ekstraordinær frihed"),
        ("b", "Har du brug for friheden?"),
        ("c", "Ekstraordinær frihed er bevilget."),
        ("d", "Bevilg frihed"),
    ]
    assert rejected_in({"leave": entry}, texts) == [
        ("leave", "frihed*", "b"),
        ("leave", "frihed*", "d"),
    ]


def test_a_rejected_word_within_an_allowed_phrase_is_another_concept() -> None:
    entry = {"term": "tiltak", "rejected": ["innsats*"], "allowed_in": ["felles innsats"]}
    texts = [
        ("a", "slik at det blir en felles innsats."),
        ("b", "Felles innsats, og en innsats til"),
        ("c", "Avslutning av innsats eller forløp"),
    ]
    assert rejected_in({"measure": entry}, texts) == [
        ("measure", "innsats*", "b"),
        ("measure", "innsats*", "c"),
    ]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_concept_has_a_term_and_the_term_is_not_rejected_elsewhere(locale: str) -> None:
    entries = glossary(locale)
    assert all(entry.get("term") for entry in entries.values())
    clashes = [
        (concept, other)
        for concept, entry in entries.items()
        for other, other_entry in entries.items()
        for term in other_entry.get("rejected", ())
        if pattern(term).search(entry["term"])
    ]
    assert clashes == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_uses_no_rejected_term(locale: str) -> None:
    assert rejected_uses(locale) == []


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_uses_each_concept_s_term(locale: str) -> None:
    """A concept named only by rejected terms, or a stale glossary, shows up here."""
    texts = [text.lower() for _msgid, text in translations(locale)]
    unused = [
        concept
        for concept, entry in glossary(locale).items()
        if not any(entry["term"].lower() in text for text in texts)
    ]
    assert unused == []


@pytest.mark.parametrize(
    ("locale", "text", "concept"),
    [
        ("sv", "En åtgärd i planen", "measure"),
        ("sv", "Uppföljningsdatumet för Elsa har kommit.", "review_date"),
        ("nb", "Datoen for oppfølging av Elsa er nådd.", "review_date"),
        ("da", "Aktuel fase: Trin 2", "step"),
        ("da", "Dine beslutninger i denne fase:", "step"),
        # The native review of the guides and the closing questions (branch native)
        ("da", "Fastlægge tiltag på baggrund af kortlægningen", "measure"),
        ("da", "Tiltagene afprøves og evalueres.", "measure"),
        ("nb", "Avslutning av innsats eller forløp", "measure"),
        ("nb", "Gir barnet uttrykk for å være motivert for innsatsen?", "measure"),
        ("sv", "Åtgärderna testas och utvärderas.", "measure"),
    ],
)
def test_the_glossary_catches_a_variant_found_in_review(
    locale: str, text: str, concept: str
) -> None:
    """Variants a native reading found in the catalogs (issue #14) stay caught."""
    found = {
        found_concept
        for found_concept, _term, _msgid in rejected_in(glossary(locale), [("m", text)])
    }
    assert found == {concept}
