"""The guides' wording: each country's language, tidy texts, quotation marks, the glossary's
terms, and items that are a sentence or a clause, not a paragraph."""

from __future__ import annotations

import re

import pytest

from routine.guides import GUIDES
from routine.model import Country, Language
from routine.stages import STAGES
from tests.routine.guides_support import all_items, all_sets, all_texts
from tests.test_glossary import glossary, rejected_in


def test_each_country_s_guides_are_in_its_language() -> None:
    language = {Country.SE: Language.SV, Country.NO: Language.NB, Country.DK: Language.DA}
    for country, stages in STAGES.items():
        for stage in stages:
            guide = GUIDES[stage]
            texts = [guide.name, *(entry.text for entry in guide.checklist)]
            texts += [qs.title for qs in guide.questions]
            texts += [entry.text for qs in guide.questions for entry in qs.items]
            assert {text.original for text in texts} == {language[country]}, stage


@pytest.mark.parametrize("language", list(Language))
def test_no_text_is_empty_or_untidy(language: Language) -> None:
    for where, text in all_texts():
        value = text.in_language(language)
        assert value and value == value.strip() and "  " not in value, where


QUOTES = {Language.SV: "”", Language.NB: "«»", Language.DA: "»«"}
ALL_QUOTES = set('"”“„«»')


@pytest.mark.parametrize("language", list(Language))
def test_each_language_uses_its_own_quotation_marks(language: Language) -> None:
    wrong = [
        where
        for where, text in all_texts()
        if (set(text.in_language(language)) & ALL_QUOTES) - set(QUOTES[language])
    ]
    assert wrong == []


@pytest.mark.parametrize("language", list(Language))
def test_translations_use_the_glossary_s_terms(language: Language) -> None:
    """The sources' own words stand as they are ("er der så tiltag i skolen", 004: 2324); a
    translation uses the glossary's term, checked as the catalogs are (tests/test_glossary.py:
    rejected terms, words only within a term, phrases a rejected word may stand in)."""
    translated = [
        (where, text.in_language(language))
        for where, text in all_texts()
        if text.original is not language
    ]
    assert rejected_in(glossary(language.value), translated) == []


# The word the case card puts before every question set's title ("Questions: {title}").
QUESTIONS = {Language.SV: "frågor", Language.NB: "spørsmål", Language.DA: "spørgsmål"}


@pytest.mark.parametrize("language", list(Language))
def test_a_question_set_s_title_does_not_say_questions_again(language: Language) -> None:
    doubled = [
        (where, question_set.id)
        for where, question_set in all_sets()
        if QUESTIONS[language] in question_set.title.in_language(language).casefold().split()
    ]
    assert doubled == []


# A checklist item or question of the Danish detection stage is a clause of the model, not its
# paragraph: the longest (the head's duty to contact the parents, 004: 2474–2475, and appointing
# a tovholder, 004: 993–994) have 16 words.
MOST_WORDS = 16


def test_the_danish_detection_stage_quotes_clauses_not_paragraphs() -> None:
    guide = GUIDES["dk.detection"]
    entries = [*guide.checklist, *(entry for qs in guide.questions for entry in qs.items)]
    assert len(guide.questions) >= 2
    too_long = [entry.id for entry in entries if len(entry.text.da.split()) > MOST_WORDS]
    assert too_long == []


# No item is a paragraph: a checklist item or question is a sentence or a clause of its source,
# about twenty words at most. The longest, 22 words, are single sentences that say what to do and
# why (002: 686–688, 700–702, 1189–1191) or what to weigh first (004: 1450–1452). One question is
# asked whole, because its first half is how to put it to the guardians (002: 1207–1209).
MOST_WORDS_ANYWHERE = 22
ASKED_WHOLE = {"outside_school"}
# A full stop, question or exclamation mark, then a new sentence; "t.ex. BUP" is not one.
NEXT_SENTENCE = re.compile(r"(?<!t\.ex)[.?!] +[A-ZÆØÅ«»”]")


def test_no_item_of_any_stage_is_a_paragraph() -> None:
    too_long = sorted(
        {
            (where, entry.id)
            for where, entry in all_items()
            if len(entry.text.verbatim.split()) > MOST_WORDS_ANYWHERE
            and entry.id not in ASKED_WHOLE
        }
    )
    assert too_long == []
    whole = [entry for _where, entry in all_items() if entry.id in ASKED_WHOLE]
    assert whole and all(entry.text.verbatim.endswith("?") for entry in whole)


def test_an_item_holds_one_sentence_unless_its_source_s_bullet_has_two() -> None:
    """Two short sentences stand together only where the source's one bullet has them: two
    questions about the way to school (002: 1124) and the meeting's 'here and now' (002:
    1345–1346)."""
    two = {entry.id for _where, entry in all_items() if NEXT_SENTENCE.search(entry.text.verbatim)}
    assert two == {"way_to_school", "here_and_now"}
