"""The guides' citations: every text is the sources' own, on the lines it cites (the seed lines
are copied in `guide_sources.txt`, see `guides_support.py`)."""

from __future__ import annotations

import pytest

from routine.guides import GUIDES, GuideItem
from routine.guides.model import source_lines
from tests.routine.guides_support import SEEDS, all_items, all_sets, cited_text, normalised, quoted


@pytest.mark.parametrize(("where", "entry"), all_items(), ids=lambda v: getattr(v, "id", v))
def test_an_item_s_original_is_the_source_s_wording(where: str, entry: GuideItem) -> None:
    assert quoted(entry.text.verbatim) in cited_text(entry.source), (where, entry.source)


@pytest.mark.parametrize(("where", "entry"), all_items(), ids=lambda v: getattr(v, "id", v))
def test_an_item_cites_no_line_its_words_are_not_on(where: str, entry: GuideItem) -> None:
    """The first and the last line an item cites hold some of its words: a citation that runs
    past the item points a reader at the wrong lines."""
    number, lines = source_lines(entry.source)
    written = [line for line in lines if SEEDS[number, line].strip()]
    for left_out in {written[0], written[-1]} if len(written) > 1 else set():
        rest = [line for line in lines if line != left_out]
        text = normalised(" ".join(SEEDS[number, line] for line in rest))
        assert quoted(entry.text.verbatim) not in text, (where, entry.source, left_out)


def test_a_question_set_s_items_stand_in_the_set_s_lines() -> None:
    for where, question_set in all_sets():
        number, lines = source_lines(question_set.source)
        for entry in question_set.items:
            cited_number, cited = source_lines(entry.source)
            assert cited_number == number and set(cited) <= set(lines), (where, entry.id)


def test_each_name_and_title_is_found_in_its_source() -> None:
    named = [(guide.name, guide.source) for guide in GUIDES.values()]
    named += [(qs.title, qs.source) for _where, qs in all_sets()]
    for text, source in named:
        for part in text.verbatim.split(" – "):
            assert normalised(part) in cited_text(source), (part, source)
