"""What the guides' tests share: the seed lines the guides cite, the text compared with them,
and every item, question set and text of the guides.

The seed lines are copied in `guide_sources.txt` (written by `make_guide_sources.py`), so these
tests run from a clone without the seeds."""

from __future__ import annotations

import re
from pathlib import Path

from routine.guides import CLOSING, GUIDES, GuideItem, QuestionSet, Text
from routine.guides.model import source_lines

FIXTURE = Path(__file__).with_name("guide_sources.txt")


def seed_lines() -> dict[tuple[str, int], str]:
    found = {}
    for row in FIXTURE.read_text(encoding="utf-8").splitlines():
        if row.startswith("#"):
            continue
        key, _, text = row.partition("\t")
        number, _, line = key.partition(":")
        found[number, int(line)] = text
    return found


SEEDS = seed_lines()


def normalised(text: str) -> str:
    """Text to compare with a PDF's: no whitespace, soft hyphens, hyphens (a word broken at a
    line end reads the same as a whole one), bullets or quotation-mark style; case-folded."""
    text = re.sub(r"[\s\u00ad\-•\uf0b7]", "", text)
    return re.sub("[”“„«»]", '"', text).casefold()


def quoted(text: str) -> str:
    """A guide's text as it must stand in its source: where it cuts a sentence short, it ends
    with the full stop or question mark the cut needs, which the source has not there."""
    return normalised(text).rstrip(".?!,:;")


def cited_text(source: str) -> str:
    number, lines = source_lines(source)
    missing = [line for line in lines if (number, line) not in SEEDS]
    assert missing == [], f"{source}: run make_guide_sources.py, lines {missing} are not copied"
    return normalised(" ".join(SEEDS[number, line] for line in lines))


def all_sets() -> list[tuple[str, QuestionSet]]:
    sets = [(stage, qs) for stage, guide in GUIDES.items() for qs in guide.questions]
    return sets + [(f"closing {country}", qs) for country, qs in CLOSING.items()]


def all_items() -> list[tuple[str, GuideItem]]:
    found = [(stage, entry) for stage, guide in GUIDES.items() for entry in guide.checklist]
    return found + [(where, entry) for where, qs in all_sets() for entry in qs.items]


def all_texts() -> list[tuple[str, Text]]:
    texts = [(stage, guide.name) for stage, guide in GUIDES.items()]
    texts += [(f"{where} {qs.id}", qs.title) for where, qs in all_sets()]
    return texts + [(f"{where} {entry.id}", entry.text) for where, entry in all_items()]
