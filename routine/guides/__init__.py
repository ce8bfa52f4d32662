"""Each stage's guide: its owner, checklist and conversation questions, in the sources' own words.

A case (see `routine.stages`) shows its current stage's checklist, and staff open the question
sets during a meeting. Every text is the source's verbatim wording in its own language
(`Text.original`), translated faithfully into the other two; `source` says where it stands
("002: 1110" is seed 002, line 1110). Questions about health, home or feelings are
`covered_only`: a "covered" tick, never a field for the answer (domain §6). Items only the
principal sees, such as a report to social services, are `principal_only`.

Content per country: `se.py` (Närvaromodellen, seed 000), `no.py` with `no_talks.py`,
`no_agreement.py` and `no_meeting.py` (Drammen, seed 002), `dk.py` with `dk_detection.py`,
`dk_measures.py` and `dk_sets.py` (the Danish national model, seed 004). The closing questions
are the Danish model's (004: 2296–2336), for all three countries: the Swedish and Norwegian
sources have none of their own."""

from __future__ import annotations

from dataclasses import replace

from routine.guides import dk, no, se
from routine.guides.dk_sets import CLOSING as _DK_CLOSING
from routine.guides.model import GuideItem, QuestionSet, StageGuide, Text, source_lines
from routine.model import Country

__all__ = [
    "CLOSING",
    "GUIDES",
    "GuideItem",
    "QuestionSet",
    "StageGuide",
    "Text",
    "guide_for",
    "item",
    "source_lines",
]

GUIDES: dict[str, StageGuide] = {
    guide.stage: guide for guide in (*se.GUIDES, *no.GUIDES, *dk.GUIDES)
}

# Only the Danish source has closing questions (004: 2296–2336); the Swedish and Norwegian
# sources leave closing open, so their schools get the same questions, without the advice on
# handing over from the Danish municipalities' kom-i-skole team (004: 2333–2335), a body they
# do not have.
_ELSEWHERE = replace(
    _DK_CLOSING,
    items=tuple(entry for entry in _DK_CLOSING.items if entry.id != "closing_handover"),
)
CLOSING: dict[Country, QuestionSet] = {
    country: _DK_CLOSING if country is Country.DK else _ELSEWHERE for country in Country
}


def guide_for(stage: str) -> StageGuide:
    """The guide of `stage`; KeyError for a stage nobody wrote a guide for."""
    return GUIDES[stage]


def item(stage: str, item_id: str) -> GuideItem | None:
    """The checklist item or question `item_id` of `stage`'s guide, or None.

    Ids are unique across a stage's checklist and all its question sets, so a logged tick's
    (stage, item id) names one item. The closing questions are found under any stage."""
    guide = GUIDES.get(stage)
    if guide is None:
        return None
    sets = (*guide.questions, CLOSING[Country(stage.split(".", 1)[0].upper())])
    for candidate in (*guide.checklist, *(entry for qs in sets for entry in qs.items)):
        if candidate.id == item_id:
            return candidate
    return None
